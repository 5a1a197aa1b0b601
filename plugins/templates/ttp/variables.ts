import { getAttributes, type FunctionCall } from './attributes.ts';
import { getPattern, pyEscape } from './patterns.ts';

/** What a regex match does to the results being formed. */
export type SaveAction = 'add' | 'start' | 'startempty' | 'end' | 'join';

/** The part of a group a match variable needs while it is being compiled. */
export interface VariableOwner {
  /** Group-wide default (`default=` attribute) or `_Not_Given_`. */
  default: unknown;
  /** Per-variable defaults collected from `default()` / unconditional `set()`. */
  defaults: Record<string, unknown>;
  /** Template variables (`<vars>`). */
  vars: Record<string, unknown>;
}

const VARIABLE_IN_LINE = /{{([\S\s]+?)}}/g;
const NO_DEFAULTS = ['_end_', '_line_', 'ignore', '_start_'];
/** Functions whose arguments may name a template variable holding the real value. */
const ARGS_FROM_VARS = new Set([
  'contains_re',
  'startswith_re',
  'endswith_re',
  'notstartswith_re',
  'notendswith_re',
  'exclude_re',
  'exclude',
  'contains',
  'equal',
  'notequal',
  'sformat',
]);

/** One `{{ name | fn | fn(args) }}` of a template line, compiled to its regex piece. */
export class MatchVariable {
  readonly variable: string;
  readonly line: string;
  readonly owner: VariableOwner;
  functions: FunctionCall[] = [];
  saveAction: SaveAction = 'add';
  isLine = false;
  /** `ignore` variables match but are not saved. */
  skipVariableDict = false;
  /** Unconditional `set` (a line holding only the variable) contributes no regex. */
  skipRegexDict = false;
  varRes: string[] = [];
  subVariables: Record<string, MatchVariable> = {};
  regex = '';
  readonly varName: string;
  readonly varNameOriginal: string;
  private readonly varCall: FunctionCall;
  private readonly attributes: FunctionCall[];

  constructor(variable: string, line: string, owner: VariableOwner) {
    this.variable = variable;
    this.line = line;
    this.owner = owner;
    const attributes = getAttributes(variable);
    this.varCall = attributes.shift() ?? { name: '', args: [], kwargs: {} };
    this.attributes = attributes;
    this.varNameOriginal = this.varCall.name;
    // Regex group names must be identifiers; TTP maps the original name back when saving.
    this.varName = this.varNameOriginal.replace(/\W+|^(?=\d)/gu, '_');
    if (owner.default !== NOT_GIVEN && typeof owner.default === 'string') {
      if (!(this.varNameOriginal in owner.defaults) && !NO_DEFAULTS.includes(this.varNameOriginal)) {
        owner.defaults[this.varNameOriginal] = owner.default;
      }
    }
    this.extractFunctions();
  }

  private extractFunctions(): void {
    const extractRe = (call: FunctionCall): void => {
      const regex = call.args.length > 0 ? String(call.args[0]) : call.name;
      const fromVar = this.owner.vars[regex];
      const fromPatterns = getPattern(regex);
      if (fromVar) this.varRes.push(String(fromVar));
      else if (fromPatterns) this.varRes.push(fromPatterns);
      else this.varRes.push(regex);
    };
    const argsFromVars = (call: FunctionCall): void => {
      call.args = call.args.map((a) =>
        typeof a === 'string' && a in this.owner.vars ? (this.owner.vars[a] as never) : a,
      );
      this.functions.push(call);
    };
    const handlers: Record<string, (call: FunctionCall) => void> = {
      ignore: () => {
        this.skipVariableDict = true;
      },
      _start_: () => {
        this.saveAction = this.varName === '_start_' ? 'startempty' : 'start';
      },
      _end_: () => {
        this.saveAction = 'end';
      },
      _line_: (call) => {
        this.saveAction = 'join';
        this.isLine = true;
        extractRe(call);
      },
      _exact_: () => undefined,
      _exact_space_: () => undefined,
      _headers_: () => {
        this.saveAction = 'start';
      },
      chain: (call) => {
        const value = this.owner.vars[String(call.args[0])];
        if (value === undefined || value === null) return;
        const items = Array.isArray(value)
          ? value.flatMap((v) => getAttributes(String(v)))
          : getAttributes(String(value));
        for (const item of items) dispatch(item);
      },
      set: (call) => {
        const matchLine = this.line.replace(VARIABLE_IN_LINE, '').trimEnd();
        if (matchLine) {
          call.kwargs.match_line = '\n' + matchLine;
          this.functions.push(call);
        } else {
          this.owner.defaults[this.varNameOriginal] = call.args[0];
          this.skipRegexDict = true;
        }
      },
      default: (call) => {
        if (NO_DEFAULTS.includes(this.varNameOriginal)) return;
        this.owner.defaults[this.varNameOriginal] = call.args.length === 1 ? call.args[0] : 'None';
      },
      joinmatches: (call) => {
        this.functions.push(call);
        this.saveAction = 'join';
      },
      re: extractRe,
    };
    const dispatch = (call: FunctionCall): void => {
      const handler = handlers[call.name];
      if (handler) handler(call);
      else if (ARGS_FROM_VARS.has(call.name)) argsFromVars(call);
      else if (getPattern(call.name)) extractRe(call);
      else this.functions.push(call);
    };
    const own = handlers[this.varName];
    if (own) own(this.varCall);
    for (const call of this.attributes) dispatch(call);
  }

  /** Builds the line regex (when `regex` is empty) or substitutes this variable into it. */
  formRegex(regex: string): string {
    const noIndentLine = this.line.trimStart();
    const spans: [number, number][] = [[0, 0]];
    for (const m of noIndentLine.matchAll(VARIABLE_IN_LINE)) spans.push([m.index!, m.index! + m[0].length]);
    spans.push([this.line.length, this.line.length]);
    const chunks: string[] = [];
    for (let i = 1; i < spans.length; i++) {
      let before = noIndentLine.slice(spans[i - 1][1], spans[i][0]);
      if (before) {
        before = pyEscape(before);
        if (!this.line.includes('_exact_space_')) before = before.replace(/(?:\\ |\\t)+/g, '[\\t ]+');
        if (!this.line.includes('_exact_')) before = before.replace(/\d+/g, '\\d+');
        chunks.push(before);
      }
      chunks.push(noIndentLine.slice(spans[i][0], spans[i][1]));
    }
    const escLine = chunks.join('');
    const escVar = '{{' + this.variable + '}}';
    if (regex === '') {
      const indent = this.line.slice(0, this.line.length - noIndentLine.length);
      this.regex = '\\n' + indent + escLine + '[\\t ]*(?=\\n|\\r\\n)';
    } else {
      this.regex = regex;
    }

    const deleteVar = (): void => {
      const index = this.regex.indexOf(escVar);
      if (index < 0) return;
      const result = this.regex.slice(0, index).replace(/(?:\\ \+|\[\\t \]\+)$/, '') + '[\\t ]*(?=\\n|\\r\\n)';
      if (result) this.regex = result;
    };
    const ignore = (call: FunctionCall): void => {
      if (call.args.length === 0) {
        this.regex = this.regex.replace(escVar, () => '\\S+');
      } else {
        const pattern = String(call.args[0]);
        const fromVar = this.owner.vars[pattern];
        const fromPatterns = getPattern(pattern);
        const chosen = fromVar ? String(fromVar) : (fromPatterns ?? pattern);
        this.regex = this.regex.replace(escVar, () => `(?:${chosen})`);
      }
    };
    const headers = (): void => this.formHeadersRegex(escVar);
    const byVarName: Record<string, (call: FunctionCall) => void> = {
      ignore,
      _start_: deleteVar,
      _end_: deleteVar,
      _headers_: headers,
    };
    byVarName[this.varName]?.(this.varCall);
    for (const call of this.functions) if (call.name === 'set') deleteVar();
    if (this.varRes.length === 0) this.varRes.push(getPattern('WORD')!);
    if (this.varName !== 'ignore') {
      const group = `(?<${this.varName}>(?:${this.varRes.join(')|(?:')}))`;
      this.regex = this.regex.replace(escVar, () => group);
    }
    return this.regex;
  }

  /** `_headers_`: turns a column header line into fixed-width named groups. */
  private formHeadersRegex(escVar: string): void {
    const index = this.line.indexOf(escVar);
    let text = this.line.slice(0, index).trimEnd();
    const headers = text.match(/(\S+\s+|\S+)/g) ?? [];
    text = text.replace(/\t/g, '    ');
    headers[0] = ' '.repeat(text.length - text.trimStart().length) + headers[0];
    const rowRe = headers.slice(0, -2).map((h) => `(?<${safeName(h.trim())}>.{${h.length}})`);
    if (headers.length >= 2) {
      const h = headers[headers.length - 2];
      rowRe.push(`(?<${safeName(h.trim())}>.{1,${h.length}})`);
    }
    rowRe.push(`(?<${safeName(headers[headers.length - 1].trim())}>.*)`);
    this.regex = '\\n' + rowRe.join('') + '(?=\\n|\\r\\n)';
    for (const h of headers) {
      const name = h.trim();
      this.subVariables[safeName(name)] = new MatchVariable(
        `${name} | strip | exclude(${quotePy(name)})`,
        '',
        this.owner,
      );
    }
  }
}

function safeName(name: string): string {
  return name.replace(/\W+|^(?=\d)/gu, '_');
}

function quotePy(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export const NOT_GIVEN = '_Not_Given_';
