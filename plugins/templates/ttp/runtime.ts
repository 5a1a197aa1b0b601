/**
 * State shared by match/group functions during one parse — what TTP keeps in its `_ttp_`
 * module dictionary (parser variables, global variables, lookups, the results being formed).
 */
import type { GroupRuns } from './groups.ts';

export type Dict = Record<string, unknown>;

export interface ResultsAccess {
  record: { result: Dict; PATH: unknown[] };
  dynPathCache: Dict;
  formPath(path: string[]): unknown[] | false;
  saveCurElements(resultData: unknown, resultPath: unknown[]): void;
}

export interface TemplateResultsAccess {
  name: string;
  results: unknown;
}

export interface Runtime {
  /** Per-input template variables (`_ttp_["vars"]`). */
  vars: Dict;
  /** Variables shared across inputs and templates (`record`, `count(globvar=)`). */
  globalVars: Dict;
  lookups: Dict;
  results: ResultsAccess | null;
  /** Results of the current input formed so far (for group `lookup(group=...)`). */
  mainResults: unknown;
  /** Results of the current template (earlier inputs). */
  templateResults: unknown[];
  /** All templates, for `lookup(template=...)`. */
  templates: TemplateResultsAccess[];
  /** Group default values for this parse (TTP's `group.runs`). */
  groupRuns: GroupRuns;
}

export function isDict(value: unknown): value is Dict {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

/** Python `str()` of a JSON-like value. */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'number') return String(value);
  // Engine objects such as IP addresses print like their Python counterparts.
  if (typeof value === 'object' && Object.getPrototypeOf(value) !== Object.prototype && !Array.isArray(value))
    return String(value);
  return pyRepr(value);
}

/** Python `repr()` of a JSON-like value. */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const body = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');
    return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
  }
  if (Array.isArray(value)) return '[' + value.map(pyRepr).join(', ') + ']';
  if (isDict(value))
    return (
      '{' +
      Object.entries(value)
        .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
        .join(', ') +
      '}'
    );
  return pyStr(value);
}

/** Python equality for JSON-like values (`1 == 1.0`, deep for containers). */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'boolean' && typeof b === 'number') return (a ? 1 : 0) === b;
  if (typeof b === 'boolean' && typeof a === 'number') return (b ? 1 : 0) === a;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && pyEquals(a[k], b[k]));
  }
  return false;
}

/** Python truthiness. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isDict(value)) return Object.keys(value).length > 0;
  return true;
}

/** Python `x in container` for strings, lists and dicts. */
export function pyIn(needle: unknown, container: unknown): boolean {
  if (typeof container === 'string') return typeof needle === 'string' && container.includes(needle);
  if (Array.isArray(container)) return container.some((x) => pyEquals(x, needle));
  if (isDict(container)) return typeof needle === 'string' && needle in container;
  return false;
}

/** Python `int()` of a string or number; undefined when Python would raise. */
export function pyInt(value: unknown): number | undefined {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!/^[+-]?\d+(_\d+)*$/.test(text)) return undefined;
  return parseInt(text.replace(/_/g, ''), 10);
}

/** Python `float()` of a string or number; undefined when Python would raise. */
export function pyFloat(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (!/^[+-]?(\d+(_\d+)*(\.(\d+(_\d+)*)?)?|\.\d+(_\d+)*)(e[+-]?\d+)?$/.test(text)) return undefined;
  return Number(text.replace(/_/g, ''));
}

/** Python `re.sub` replacement template → JavaScript replacement string. */
export function pyReplacement(template: string): string {
  return template
    .replace(/\$/g, '$$$$')
    .replace(/\\g<(\w+)>|\\(\d{1,2})|\\(.)/g, (whole, name?: string, num?: string, ch?: string) => {
      if (name !== undefined) return /^\d+$/.test(name) ? `$${name}` : `$<${name}>`;
      if (num !== undefined) return `$${num}`;
      if (ch === 'n') return '\n';
      if (ch === 't') return '\t';
      if (ch === '\\') return '\\';
      return whole;
    });
}
