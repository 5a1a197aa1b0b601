import { TextFsmError } from './errors.ts';
import { splitLines } from './lines.ts';
import { isFastText } from './regex.ts';
import type { CompiledTemplate, TemplateRule, TemplateState, TemplateValue } from './template.ts';

/**
 * The TextFSM state machine (Python textfsm 1.1.0 `TextFSM.ParseText` semantics). A compiled
 * template is immutable and shared; every call gets its own run state, so concurrent parses with
 * one cached template are safe.
 */

/** A List item: the matched text, or a dict of the nested named groups of the Value's regex. */
export type ListItem = string | null | Record<string, string | null>;
/** A record field: text for ordinary values, an array for List values. */
export type Cell = string | ListItem[];
export type Row = Cell[];
export type RecordDict = Record<string, Cell>;

const OPT_REQUIRED = 1;
const OPT_FILLDOWN = 2;
const OPT_FILLUP = 3;
const OPT_KEY = 4;
const OPT_LIST = 5;
const OPTION_CODES: Record<string, number> = {
  Required: OPT_REQUIRED,
  Filldown: OPT_FILLDOWN,
  Fillup: OPT_FILLUP,
  Key: OPT_KEY,
  List: OPT_LIST,
};

// Per-template option codes, computed once per compiled template.
const optionCodeCache = new WeakMap<CompiledTemplate, Uint8Array[]>();

function optionCodes(tpl: CompiledTemplate): Uint8Array[] {
  let codes = optionCodeCache.get(tpl);
  if (!codes) {
    codes = tpl.values.map((v) => Uint8Array.from(v.options.map((o) => OPTION_CODES[o])));
    optionCodeCache.set(tpl, codes);
  }
  return codes;
}

/** Python truthiness of a field value: '' , None and [] are false. */
function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

class FsmRun {
  private readonly values: readonly TemplateValue[];
  private readonly codes: Uint8Array[];
  /** Current value of each Value: string, null (unset) or, after a save, the List array. */
  private readonly current: (string | null | ListItem[])[];
  private readonly filldown: (string | null)[];
  private readonly lists: ListItem[][];
  readonly result: Row[] = [];
  private state: TemplateState;
  /** 'End' or 'EOF' once a rule moved there; parsing stops. */
  private stoppedAt = '';

  constructor(
    private readonly tpl: CompiledTemplate,
    private readonly fast: boolean,
  ) {
    this.values = tpl.values;
    this.codes = optionCodes(tpl);
    const n = tpl.values.length;
    this.current = new Array(n).fill(null);
    this.filldown = new Array(n).fill(null);
    this.lists = [];
    for (let i = 0; i < n; i++) this.lists.push([]);
    this.state = tpl.start;
  }

  run(text: string, eof: boolean): Row[] {
    const lines = splitLines(text);
    for (let i = 0; i < lines.length; i++) {
      this.checkLine(lines[i]);
      if (this.stoppedAt) break;
    }
    if (this.stoppedAt !== 'End' && !this.tpl.hasEofState && eof) this.appendRecord();
    return this.result;
  }

  private checkLine(line: string): void {
    const rules = this.state.rules;
    const fast = this.fast;
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r];
      const re = fast ? rule.compiled.fastRe : rule.compiled.exactRe;
      re.lastIndex = 0;
      let m = re.exec(line);
      if (m === null) continue;
      const repeated = rule.compiled.repeatedCaptures;
      if (repeated !== null) {
        for (let i = 0; i < repeated.length; i++) {
          if (m[repeated[i]] === undefined) {
            m = rule.compiled.recoverCaptures(line, m);
            break;
          }
        }
      }
      const pairs = rule.assignments;
      for (let p = 0; p < pairs.length; p += 2) {
        const g = m[pairs[p + 1]];
        this.assign(pairs[p], g === undefined ? null : g);
      }
      if (this.operations(rule, line)) {
        const next = rule.newState;
        if (next) {
          if (next === 'End' || next === 'EOF') this.stoppedAt = next;
          else this.state = rule.target!;
        }
        return;
      }
    }
  }

  /** Applies the record and line operators; false means `Continue` (same line, next rule). */
  private operations(rule: TemplateRule, line: string): boolean {
    switch (rule.recordOp) {
      case 'Record':
        this.appendRecord();
        break;
      case 'Clear':
        this.clearRecord();
        break;
      case 'Clearall':
        this.clearAllRecord();
        break;
    }
    if (rule.lineOp === 'Error') {
      if (rule.newState) {
        throw new TextFsmError(`Error: ${rule.newState}. Rule Line: ${rule.lineNum}. Input Line: ${line}.`);
      }
      throw new TextFsmError(`State Error raised. Rule Line: ${rule.lineNum}. Input Line: ${line}`);
    }
    return rule.lineOp !== 'Continue';
  }

  private assign(v: number, text: string | null): void {
    this.current[v] = text;
    const codes = this.codes[v];
    for (let o = 0; o < codes.length; o++) {
      switch (codes[o]) {
        case OPT_FILLDOWN:
          this.filldown[v] = text;
          break;
        case OPT_FILLUP:
          if (text) {
            const result = this.result;
            for (let r = result.length - 1; r >= 0; r--) {
              if (truthy(result[r][v])) break;
              result[r][v] = text;
            }
          }
          break;
        case OPT_LIST:
          this.lists[v].push(this.listItem(this.values[v], text));
          break;
      }
    }
  }

  private listItem(value: TemplateValue, text: string | null): ListItem {
    const re = value.listRegex;
    if (re === null || text === null || re.groupNames.length === 0) return text;
    const m = re.match(text, this.fast);
    if (m === null) return text;
    const item: Record<string, string | null> = {};
    for (const name of re.groupNames) {
      const g = m[re.groupIndex.get(name)!];
      item[name] = g === undefined ? null : g;
    }
    return item;
  }

  private clearRecord(): void {
    for (let v = 0; v < this.values.length; v++) {
      this.current[v] = null;
      const codes = this.codes[v];
      for (let o = 0; o < codes.length; o++) {
        if (codes[o] === OPT_FILLDOWN) this.current[v] = this.filldown[v];
        else if (codes[o] === OPT_LIST && !this.values[v].hasFilldown) this.lists[v] = [];
      }
    }
  }

  private clearAllRecord(): void {
    for (let v = 0; v < this.values.length; v++) {
      this.current[v] = null;
      this.filldown[v] = null;
      this.lists[v] = [];
    }
  }

  private appendRecord(): void {
    const n = this.values.length;
    if (n === 0) return;
    const record: (string | null | ListItem[])[] = new Array(n);
    let empty = true;
    for (let v = 0; v < n; v++) {
      const codes = this.codes[v];
      for (let o = 0; o < codes.length; o++) {
        if (codes[o] === OPT_REQUIRED) {
          if (!truthy(this.current[v])) {
            this.clearRecord();
            return;
          }
        } else if (codes[o] === OPT_LIST) {
          this.current[v] = this.lists[v].slice();
        }
      }
      const cell = this.current[v];
      record[v] = cell;
      if (cell !== null && !(Array.isArray(cell) && cell.length === 0)) empty = false;
    }
    // Python leaves the record uncleared when every field is empty.
    if (empty) return;
    for (let v = 0; v < n; v++) if (record[v] === null) record[v] = '';
    this.result.push(record as Row);
    this.clearRecord();
  }
}

export interface ParseOptions {
  /** False when parsing part of a stream: suppresses the implicit record at end of input. */
  eof?: boolean;
  /**
   * `exact` always uses the Unicode-exact regex translation; `auto` (default) uses the native
   * JavaScript escapes when the text allows it (see isFastText). Both give the same records.
   */
  regexMode?: 'auto' | 'exact';
}

/** Python `TextFSM(template).ParseText(text)`: the rows, one cell per Value in header order. */
export function parseText(tpl: CompiledTemplate, text: string, options: ParseOptions = {}): Row[] {
  const fast = options.regexMode !== 'exact' && isFastText(text);
  return new FsmRun(tpl, fast).run(text, options.eof ?? true);
}

/** Turns rows into dicts keyed by the header (optionally lower-cased, as ntc-templates does). */
export function rowsToDicts(header: readonly string[], rows: readonly Row[], lowercaseKeys = false): RecordDict[] {
  const keys = lowercaseKeys ? header.map((h) => h.toLowerCase()) : header;
  const out: RecordDict[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const dict: RecordDict = {};
    for (let c = 0; c < keys.length; c++) dict[keys[c]] = row[c];
    out[r] = dict;
  }
  return out;
}

/** Python `ParseTextToDicts`: `[{VALUE: …}]`. */
export function parseTextToDicts(
  tpl: CompiledTemplate,
  text: string,
  options: ParseOptions & { lowercaseKeys?: boolean } = {},
): RecordDict[] {
  return rowsToDicts(tpl.header, parseText(tpl, text, options), options.lowercaseKeys ?? false);
}
