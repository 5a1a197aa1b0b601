import { TextFsmTemplateError } from './errors.ts';
import { pyRstrip, pyStrip, splitFileLines } from './lines.ts';
import { PyRegex, PythonRegexError } from './regex.ts';

/**
 * Compiles TextFSM template text into an immutable {@link CompiledTemplate}. The grammar, the
 * checks and the error messages follow Python textfsm 1.1.0 (`textfsm/parser.py`) line for line,
 * because users compare our errors with what the reference tool prints.
 */

export type ValueOption = 'Required' | 'Filldown' | 'Fillup' | 'Key' | 'List';
export type LineOp = '' | 'Next' | 'Continue' | 'Error';
export type RecordOp = '' | 'Record' | 'NoRecord' | 'Clear' | 'Clearall';

const VALUE_OPTIONS: ReadonlySet<string> = new Set<ValueOption>(['Required', 'Filldown', 'Fillup', 'Key', 'List']);
const LINE_OPS: ReadonlySet<string> = new Set(['Continue', 'Next', 'Error']);
const RECORD_OPS: ReadonlySet<string> = new Set(['Clear', 'Clearall', 'Record', 'NoRecord']);
const MAX_NAME_LEN = 48;

export interface TemplateValue {
  /** Position in the header (and in every record). */
  readonly index: number;
  readonly name: string;
  /** The regex as written, e.g. `(\S+)`. */
  readonly regex: string;
  /** Options in the order written; the order matters when options react to the same event. */
  readonly options: readonly ValueOption[];
  /** The regex with its first group named after the value, as substituted into rules. */
  readonly template: string;
  /** For List values whose regex has more than one group: matched against each item to build dicts. */
  readonly listRegex: PyRegex | null;
  readonly isList: boolean;
  readonly hasFilldown: boolean;
}

export interface TemplateRule {
  /** Rule text left of ` -> `, as written (after stripping the line). */
  readonly match: string;
  /** `match` after `${VALUE}` substitution: the Python regex. */
  readonly regex: string;
  readonly lineOp: LineOp;
  readonly recordOp: RecordOp;
  /** Target state name, or the quoted message of an `Error` action; empty when none. */
  readonly newState: string;
  readonly lineNum: number;
  readonly compiled: PyRegex;
  /** Pairs `[valueIndex, groupNumber]` in group order, for the named groups that are Values. */
  readonly assignments: Int32Array;
  /** The state entered on match; null when staying or when the target is `End`/`EOF`. */
  target: TemplateState | null;
}

export interface TemplateState {
  readonly name: string;
  readonly rules: TemplateRule[];
}

export interface CompiledTemplate {
  readonly values: readonly TemplateValue[];
  readonly header: readonly string[];
  readonly states: ReadonlyMap<string, TemplateState>;
  readonly start: TemplateState;
  /** An explicit (empty) `EOF` state suppresses the implicit record at the end of input. */
  readonly hasEofState: boolean;
}

const COMMENT = /^[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*#/;
const STATE_NAME = new PyRegex('^(\\w+)$');
const VALUE_REGEX_SHAPE = new PyRegex('^\\(.*\\)$');
const WORD_START = new PyRegex('\\w+');
const MATCH_ACTION = new PyRegex('(?P<match>.*)(\\s->(?P<action>.*))');
const LINE_OP_RE = '(?P<ln_op>Continue|Next|Error)';
const RECORD_OP_RE = '(?P<rec_op>Clear|Clearall|Record|NoRecord)';
const OPERATOR_RE = `(${LINE_OP_RE}(\\.${RECORD_OP_RE})?)`;
const NEWSTATE_RE = '(?P<new_state>\\w+|\\".*\\")';
const ACTION_RES = [
  new PyRegex(`\\s+${OPERATOR_RE}(\\s+${NEWSTATE_RE})?$`),
  new PyRegex(`\\s+${RECORD_OP_RE}(\\s+${NEWSTATE_RE})?$`),
  new PyRegex(`(\\s+${NEWSTATE_RE})?$`),
];
const SUBSTITUTION = /\$(?:(\$)|([_a-zA-Z][_a-zA-Z0-9]*)|\{([_a-zA-Z][_a-zA-Z0-9]*)\}|())/g;

function group(re: PyRegex, m: RegExpExecArray, name: string): string | undefined {
  const index = re.groupIndex.get(name);
  return index === undefined ? undefined : m[index];
}

function regexMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Parses one `Value` line (without line-number decoration, which the caller adds). */
function parseValue(line: string, index: number): TemplateValue {
  const tokens = line.split(' ');
  if (tokens.length < 3) throw new TextFsmTemplateError('Expect at least 3 tokens on line.');
  const options: ValueOption[] = [];
  let name: string;
  let regex: string;
  if (!tokens[2].startsWith('(')) {
    for (const option of tokens[1].split(',')) {
      if (options.includes(option as ValueOption)) throw new TextFsmTemplateError(`Duplicate option "${option}"`);
      if (!VALUE_OPTIONS.has(option)) throw new TextFsmTemplateError(`Unknown option "${option}"`);
      options.push(option as ValueOption);
    }
    name = tokens[2];
    regex = tokens.slice(3).join(' ');
  } else {
    name = tokens[1];
    regex = tokens.slice(2).join(' ');
  }
  if (name.length > MAX_NAME_LEN) {
    throw new TextFsmTemplateError(`Invalid Value name '${name}' or name too long.`);
  }
  if (!VALUE_REGEX_SHAPE.match(regex) || count(regex, '(') !== count(regex, ')')) {
    throw new TextFsmTemplateError(`Value '${regex}' must be contained within a '()' pair.`);
  }
  const template = regex.replace(/^\(/, `(?P<${name}>`);
  const isList = options.includes('List');
  let listRegex: PyRegex | null = null;
  if (isList) {
    let compiled: PyRegex;
    try {
      compiled = new PyRegex(regex);
    } catch (err) {
      throw new TextFsmTemplateError(regexMessage(err));
    }
    // Python only tries the dict form when the regex has nested groups (`groups > 1`).
    if (compiled.groupCount > 1) listRegex = compiled;
  }
  return { index, name, regex, options, template, listRegex, isList, hasFilldown: options.includes('Filldown') };
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/** Python `string.Template(text).substitute(map)`; null where Python raises ValueError/KeyError. */
function substitute(text: string, map: ReadonlyMap<string, string>): string | null {
  let failed = false;
  const out = text.replace(
    SUBSTITUTION,
    (_all, escaped: string | undefined, named: string | undefined, braced: string | undefined) => {
      if (escaped !== undefined) return '$';
      const key = named ?? braced;
      if (key !== undefined) {
        const value = map.get(key);
        if (value !== undefined) return value;
      }
      failed = true;
      return '';
    },
  );
  return failed ? null : out;
}

function parseRule(
  rawLine: string,
  lineNum: number,
  valueMap: ReadonlyMap<string, string>,
  values: readonly TemplateValue[],
): TemplateRule {
  const line = pyStrip(rawLine);
  if (!line) throw new TextFsmTemplateError(`Null data in FSMRule. Line: ${lineNum}`);
  const matchAction = MATCH_ACTION.match(line);
  const match = matchAction ? group(MATCH_ACTION, matchAction, 'match')! : line;
  let regex = match;
  if (valueMap.size > 0) {
    const substituted = substitute(match, valueMap);
    if (substituted === null) {
      throw new TextFsmTemplateError(`Duplicate or invalid variable substitution: '${match}'. Line: ${lineNum}.`);
    }
    regex = substituted;
  }
  let compiled: PyRegex;
  try {
    compiled = new PyRegex(regex);
  } catch (err) {
    if (!(err instanceof PythonRegexError)) throw err;
    throw new TextFsmTemplateError(`Invalid regular expression: '${regex}'. Line: ${lineNum}.`);
  }
  let lineOp: LineOp = '';
  let recordOp: RecordOp = '';
  let newState = '';
  if (matchAction) {
    const action = group(MATCH_ACTION, matchAction, 'action')!;
    let actionMatch: RegExpExecArray | null = null;
    let actionRe: PyRegex | null = null;
    for (const re of ACTION_RES) {
      actionMatch = re.match(action);
      if (actionMatch) {
        actionRe = re;
        break;
      }
    }
    if (!actionMatch || !actionRe) {
      throw new TextFsmTemplateError(`Badly formatted rule '${line}'. Line: ${lineNum}.`);
    }
    lineOp = (group(actionRe, actionMatch, 'ln_op') || '') as LineOp;
    recordOp = (group(actionRe, actionMatch, 'rec_op') || '') as RecordOp;
    newState = group(actionRe, actionMatch, 'new_state') || '';
    if (lineOp === 'Continue' && newState) {
      throw new TextFsmTemplateError(`Action '${lineOp}' with new state ${newState} specified. Line: ${lineNum}.`);
    }
    if (lineOp !== 'Error' && newState && !WORD_START.match(newState)) {
      throw new TextFsmTemplateError(`Alphanumeric characters only in state names. Line: ${lineNum}.`);
    }
  }
  const pairs: number[] = [];
  for (const name of compiled.groupNames) {
    const value = values.find((v) => v.name === name);
    if (value) pairs.push(value.index, compiled.groupIndex.get(name)!);
  }
  return {
    match,
    regex,
    lineOp,
    recordOp,
    newState,
    lineNum,
    compiled,
    assignments: Int32Array.from(pairs),
    target: null,
  };
}

/** Compiles template text; throws {@link TextFsmTemplateError} with Python textfsm's message. */
export function compileTemplate(text: string): CompiledTemplate {
  if (!text) throw new TextFsmTemplateError('Null template.');
  const lines = splitFileLines(text);
  let cursor = 0;
  let lineNum = 0;
  const values: TemplateValue[] = [];
  const valueMap = new Map<string, string>();

  // Value block: ends at the first blank line.
  while (cursor < lines.length) {
    lineNum++;
    const line = pyRstrip(lines[cursor++]);
    if (!line) break;
    if (COMMENT.test(line)) continue;
    if (line.startsWith('Value ')) {
      let value: TemplateValue;
      try {
        value = parseValue(line, values.length);
      } catch (err) {
        if (!(err instanceof TextFsmTemplateError)) throw err;
        throw new TextFsmTemplateError(`${err.message} Line ${lineNum}.`);
      }
      if (values.some((v) => v.name === value.name)) {
        throw new TextFsmTemplateError(`Duplicate declarations for Value '${value.name}'. Line: ${lineNum}.`);
      }
      values.push(value);
      valueMap.set(value.name, value.template);
    } else if (values.length === 0) {
      throw new TextFsmTemplateError('No Value definitions found.');
    } else {
      throw new TextFsmTemplateError(`Expected blank line after last Value entry. Line: ${lineNum}.`);
    }
  }

  const states = new Map<string, TemplateState>();
  for (;;) {
    let stateName = '';
    while (cursor < lines.length) {
      lineNum++;
      const line = pyRstrip(lines[cursor++]);
      if (!line || COMMENT.test(line)) continue;
      if (!STATE_NAME.match(line) || line.length > MAX_NAME_LEN || LINE_OPS.has(line) || RECORD_OPS.has(line)) {
        throw new TextFsmTemplateError(`Invalid state name: '${line}'. Line: ${lineNum}`);
      }
      if (states.has(line)) throw new TextFsmTemplateError(`Duplicate state name: '${line}'. Line: ${lineNum}`);
      stateName = line;
      break;
    }
    if (!stateName) break;
    const state: TemplateState = { name: stateName, rules: [] };
    states.set(stateName, state);
    while (cursor < lines.length) {
      lineNum++;
      const line = pyRstrip(lines[cursor++]);
      if (!line) break;
      if (COMMENT.test(line)) continue;
      if (!(line.startsWith(' ^') || line.startsWith('  ^') || line.startsWith('\t^'))) {
        throw new TextFsmTemplateError(`Missing white space or carat ('^') before rule. Line: ${lineNum}`);
      }
      state.rules.push(parseRule(line, lineNum, valueMap, values));
    }
  }

  const start = states.get('Start');
  if (!start) throw new TextFsmTemplateError("Missing state 'Start'.");
  if ((states.get('End')?.rules.length ?? 0) > 0) throw new TextFsmTemplateError("Non-Empty 'End' state.");
  if ((states.get('EOF')?.rules.length ?? 0) > 0) throw new TextFsmTemplateError("Non-Empty 'EOF' state.");
  states.delete('End');
  for (const state of states.values()) {
    for (const rule of state.rules) {
      if (rule.lineOp === 'Error') continue;
      if (!rule.newState || rule.newState === 'End' || rule.newState === 'EOF') continue;
      const target = states.get(rule.newState);
      if (!target)
        throw new TextFsmTemplateError(`State '${rule.newState}' not found, referenced in state '${state.name}'`);
      rule.target = target;
    }
  }
  return {
    values,
    header: values.map((v) => v.name),
    states,
    start,
    hasEofState: states.has('EOF'),
  };
}
