/**
 * Jinja2 3.1 built-in filters with their Python semantics and signatures (positional and
 * keyword arguments), replacing nunjucks' same-named filters whose behaviour differs
 * (`default`, `join`, `title`, `indent`, `int`, `sort`, `selectattr`…).
 */
import { capitalize, center, lookup } from './methods.ts';
import {
  PyError,
  PyFloat,
  isFloat,
  isMapping,
  iterate,
  num,
  percentFormat,
  pyAdd,
  pyLen,
  pyStr,
  sortCompare,
  truthy,
  tuple,
  unwrap,
} from './py.ts';
import type { TestFn } from './tests.ts';

export type FilterFn = (value: unknown, ...args: unknown[]) => unknown;

interface Registry {
  filters: Record<string, FilterFn>;
  tests: Record<string, TestFn>;
}

/** nunjucks passes keyword arguments as a trailing object flagged `__keywords`. */
function splitArgs(args: unknown[]): { positional: unknown[]; keywords: Record<string, unknown> } {
  const last = args[args.length - 1];
  if (typeof last === 'object' && last !== null && (last as Record<string, unknown>).__keywords === true) {
    const { __keywords: _flag, ...keywords } = last as Record<string, unknown>;
    return { positional: args.slice(0, -1), keywords };
  }
  return { positional: args, keywords: {} };
}

/** Binds arguments to a Python-style signature, rejecting unknown keywords like Python does. */
function bindArgs(filter: string, args: unknown[], params: [string, unknown][]): Record<string, any> {
  const { positional, keywords } = splitArgs(args);
  if (positional.length > params.length) {
    throw new PyError(`${filter}() takes at most ${params.length + 1} positional arguments`);
  }
  const bound: Record<string, unknown> = {};
  params.forEach(([name, dflt], i) => {
    bound[name] = i < positional.length ? positional[i] : dflt;
  });
  for (const [key, value] of Object.entries(keywords)) {
    if (!params.some(([name]) => name === key))
      throw new PyError(`${filter}() got an unexpected keyword argument '${key}'`);
    bound[key] = value;
  }
  return bound;
}

function str(v: unknown): string {
  return pyStr(v);
}

/** Jinja2's attribute getter: `'a.b'` walks nested attributes, digit parts index lists. */
function attrGetter(attribute: unknown, dflt?: unknown): (item: unknown) => unknown {
  const parts =
    attribute === null || attribute === undefined
      ? []
      : String(attribute)
          .split('.')
          .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return (item) => {
    let cur = item;
    for (const p of parts) cur = lookup(cur, p);
    return cur === undefined && dflt !== undefined ? dflt : cur;
  };
}

function sortKey(attribute: unknown, caseSensitive: unknown): (item: unknown) => unknown[] {
  const getters =
    attribute === null || attribute === undefined
      ? [(x: unknown) => x]
      : String(attribute)
          .split(',')
          .map((a) => attrGetter(a.trim()));
  return (item) =>
    getters.map((g) => {
      const v = unwrap(g(item));
      return !truthy(caseSensitive) && typeof v === 'string' ? v.toLowerCase() : v;
    });
}

function sortBy<T>(items: T[], key: (item: T) => unknown, reverse: boolean): T[] {
  const decorated = items.map((item, i) => ({ item, key: key(item), i }));
  // Python's sort is stable in both directions.
  decorated.sort((a, b) => {
    const c = sortCompare(a.key, b.key);
    return c !== 0 ? (reverse ? -c : c) : a.i - b.i;
  });
  return decorated.map((d) => d.item);
}

/** Python `str.splitlines()` boundaries. */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

function splitLines(s: string): string[] {
  const lines = s.split(LINE_BREAK);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function parsePyInt(text: string, base: number): number | undefined {
  let t = text.trim().replace(/(\d)_(?=\d)/g, '$1');
  let sign = 1;
  if (/^[+-]/.test(t)) {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  const prefixes: Record<number, RegExp> = { 16: /^0x/i, 8: /^0o/i, 2: /^0b/i };
  if (prefixes[base]) t = t.replace(prefixes[base], '');
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  if (t === '' || ![...t.toLowerCase()].every((c) => digits.includes(c))) return undefined;
  return sign * parseInt(t, base);
}

function parsePyFloat(text: string): number | undefined {
  const t = text
    .trim()
    .replace(/(\d)_(?=\d)/g, '$1')
    .toLowerCase();
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return Number(t);
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return NaN;
  return undefined;
}

function toFloat(value: unknown): number | undefined {
  const v = unwrap(value);
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return parsePyFloat(v);
  return undefined;
}

/** Python's round(): exact ties go to the even neighbour, everything else to the nearest. */
function roundHalfEven(value: number, precision: number): number {
  const factor = 10 ** precision;
  const scaled = value * factor;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5) return (floor % 2 === 0 ? floor : floor + 1) / factor;
  if (precision < 0) return Math.round(scaled) / factor;
  return Number(value.toFixed(precision));
}

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;')
    .replace(/'/g, '&#39;');
}

/** `json.dumps(sort_keys=True)` with Jinja's HTML-safe escaping, as the `tojson` filter does. */
function pyJson(v: unknown, indent: number | undefined, level = 0): string {
  const u = unwrap(v);
  const pad = indent === undefined ? '' : '\n' + ' '.repeat(indent * (level + 1));
  const end = indent === undefined ? '' : '\n' + ' '.repeat(indent * level);
  const sep = indent === undefined ? ', ' : ',';
  if (u === null || u === undefined) return 'null';
  if (typeof u === 'boolean') return u ? 'true' : 'false';
  if (typeof u === 'number') return isFloat(v) ? pyStr(new PyFloat(u)).replace('inf', 'Infinity') : String(u);
  if (typeof u === 'string') {
    return JSON.stringify(u).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  }
  if (Array.isArray(u)) {
    if (u.length === 0) return '[]';
    return (
      '[' +
      pad +
      u.map((x) => pyJson(x, indent, level + 1)).join(sep + pad.replace(/^\n/, indent === undefined ? '' : '\n')) +
      end +
      ']'
    );
  }
  if (isMapping(u)) {
    const keys = Object.keys(u).sort();
    if (keys.length === 0) return '{}';
    const body = keys.map((k) => pyJson(k, indent) + ': ' + pyJson(u[k], indent, level + 1));
    return '{' + pad + body.join(sep + (indent === undefined ? '' : pad)) + end + '}';
  }
  throw new PyError(`Object of type ${typeof u} is not JSON serializable`);
}

function htmlSafeJson(s: string): string {
  return s.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/'/g, '\\u0027');
}

function testOrTruth(reg: Registry, name: unknown, args: unknown[]): (v: unknown) => boolean {
  if (name === undefined) return (v) => truthy(v);
  const testName = String(name);
  const test = Object.hasOwn(reg.tests, testName) ? reg.tests[testName] : undefined;
  if (!test) throw new PyError(`No test named '${testName}'.`);
  return (v) => test(v, ...args) === true;
}

function selectOrReject(
  reg: Registry,
  value: unknown,
  args: unknown[],
  keep: boolean,
  byAttribute: boolean,
): unknown[] {
  const { positional } = splitArgs(args);
  let getter = (x: unknown): unknown => x;
  let rest = positional;
  if (byAttribute) {
    if (rest.length === 0) throw new PyError('Missing parameter for attribute name');
    getter = attrGetter(rest[0]);
    rest = rest.slice(1);
  }
  const predicate = testOrTruth(reg, rest[0], rest.slice(1));
  return iterate(value).filter((item) => predicate(getter(item)) === keep);
}

/** Builds the filter table; filters that call other filters or tests look them up in `registry`. */
export function buildFilters(registry: () => Registry): Record<string, FilterFn> {
  const filters: Record<string, FilterFn> = {
    default: (value, ...args) => {
      const a = bindArgs('default', args, [
        ['default_value', ''],
        ['boolean', false],
      ]);
      if (value === undefined || (truthy(a.boolean) && !truthy(value))) return a.default_value;
      return value;
    },
    join: (value, ...args) => {
      const a = bindArgs('join', args, [
        ['d', ''],
        ['attribute', null],
      ]);
      const getter = a.attribute === null ? (x: unknown) => x : attrGetter(a.attribute);
      return iterate(value)
        .map((x) => str(getter(x)))
        .join(str(a.d));
    },
    upper: (value) => str(value).toUpperCase(),
    lower: (value) => str(value).toLowerCase(),
    capitalize: (value) => capitalize(str(value)),
    title: (value) =>
      str(value)
        .split(/([-\s({[<]+)/)
        .filter((p) => p !== '')
        .map((p) => p[0].toUpperCase() + p.slice(1).toLowerCase())
        .join(''),
    replace: (value, ...args) => {
      const a = bindArgs('replace', args, [
        ['old', undefined],
        ['new', undefined],
        ['count', null],
      ]);
      const s = str(value);
      const old = str(a.old);
      const replacement = str(a.new);
      if (a.count === null) return s.split(old).join(replacement);
      let out = s;
      let from = 0;
      for (let i = 0; i < num(a.count); i++) {
        const at = out.indexOf(old, from);
        if (at < 0) break;
        out = out.slice(0, at) + replacement + out.slice(at + old.length);
        from = at + replacement.length + (old === '' ? 1 : 0);
      }
      return out;
    },
    int: (value, ...args) => {
      const a = bindArgs('int', args, [
        ['default', 0],
        ['base', 10],
      ]);
      const v = unwrap(value);
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : a.default;
      if (typeof v === 'string') {
        const parsed = parsePyInt(v, num(a.base));
        if (parsed !== undefined) return parsed;
        const f = parsePyFloat(v);
        return f !== undefined && Number.isFinite(f) ? Math.trunc(f) : a.default;
      }
      return a.default;
    },
    float: (value, ...args) => {
      const a = bindArgs('float', args, [['default', new PyFloat(0)]]);
      const f = toFloat(value);
      return f === undefined ? a.default : new PyFloat(f);
    },
    string: (value) => str(value),
    length: (value) => pyLen(value),
    list: (value) => [...iterate(value)],
    first: (value) => iterate(value)[0],
    last: (value) => {
      const items = iterate(value);
      return items[items.length - 1];
    },
    reverse: (value) => {
      const v = unwrap(value);
      if (typeof v === 'string') return Array.from(v).reverse().join('');
      return [...iterate(value)].reverse();
    },
    abs: (value) => (value instanceof PyFloat ? new PyFloat(Math.abs(value.value)) : Math.abs(num(value))),
    round: (value, ...args) => {
      const a = bindArgs('round', args, [
        ['precision', 0],
        ['method', 'common'],
      ]);
      const method = str(a.method);
      const precision = num(a.precision);
      const v = num(value);
      if (method === 'common') {
        if (!isFloat(value)) return v;
        return new PyFloat(roundHalfEven(v, precision));
      }
      if (method !== 'ceil' && method !== 'floor') throw new PyError('method must be common, ceil or floor');
      const factor = 10 ** precision;
      return new PyFloat((method === 'ceil' ? Math.ceil(v * factor) : Math.floor(v * factor)) / factor);
    },
    trim: (value, ...args) => {
      const a = bindArgs('trim', args, [['chars', null]]);
      const s = str(value);
      if (a.chars === null) return s.replace(/^\s+|\s+$/g, '');
      const set = str(a.chars);
      let start = 0;
      let end = s.length;
      while (start < end && set.includes(s[start])) start++;
      while (end > start && set.includes(s[end - 1])) end--;
      return s.slice(start, end);
    },
    center: (value, ...args) => {
      const a = bindArgs('center', args, [['width', 80]]);
      return center(str(value), num(a.width));
    },
    indent: (value, ...args) => {
      const a = bindArgs('indent', args, [
        ['width', 4],
        ['first', false],
        ['blank', false],
      ]);
      const indention = typeof a.width === 'string' ? a.width : ' '.repeat(num(a.width));
      const s = str(value) + '\n';
      const lines = splitLines(s);
      let rv: string;
      if (truthy(a.blank)) rv = lines.join('\n' + indention);
      else {
        rv = lines.shift() ?? '';
        if (lines.length > 0) rv += '\n' + lines.map((line) => (line ? indention + line : line)).join('\n');
      }
      return truthy(a.first) ? indention + rv : rv;
    },
    batch: (value, ...args) => {
      const a = bindArgs('batch', args, [
        ['linecount', undefined],
        ['fill_with', null],
      ]);
      const size = num(a.linecount);
      const out: unknown[][] = [];
      let tmp: unknown[] = [];
      for (const item of iterate(value)) {
        if (tmp.length === size) {
          out.push(tmp);
          tmp = [];
        }
        tmp.push(item);
      }
      if (tmp.length > 0) {
        if (a.fill_with !== null && tmp.length < size) tmp.push(...Array(size - tmp.length).fill(a.fill_with));
        out.push(tmp);
      }
      return out;
    },
    dictsort: (value, ...args) => {
      const a = bindArgs('dictsort', args, [
        ['case_sensitive', false],
        ['by', 'key'],
        ['reverse', false],
      ]);
      const v = unwrap(value);
      if (!isMapping(v)) throw new PyError('dictsort expects a dict');
      const pos: number = a.by === 'key' ? 0 : a.by === 'value' ? 1 : -1;
      if (pos < 0) throw new PyError('You can only sort by either "key" or "value"');
      return sortBy(
        Object.entries(v).map((pair) => tuple(pair)),
        (pair) => {
          const k = unwrap(pos === 0 ? pair[0] : pair[1]);
          return !truthy(a.case_sensitive) && typeof k === 'string' ? k.toLowerCase() : k;
        },
        truthy(a.reverse),
      );
    },
    sort: (value, ...args) => {
      const a = bindArgs('sort', args, [
        ['reverse', false],
        ['case_sensitive', false],
        ['attribute', null],
      ]);
      return sortBy([...iterate(value)], sortKey(a.attribute, a.case_sensitive), truthy(a.reverse));
    },
    unique: (value, ...args) => {
      const a = bindArgs('unique', args, [
        ['case_sensitive', false],
        ['attribute', null],
      ]);
      const key = sortKey(a.attribute, a.case_sensitive);
      const seen: unknown[] = [];
      const out: unknown[] = [];
      for (const item of iterate(value)) {
        const k = JSON.stringify(key(item));
        if (!seen.includes(k)) {
          seen.push(k);
          out.push(item);
        }
      }
      return out;
    },
    min: (value, ...args) => {
      const a = bindArgs('min', args, [
        ['case_sensitive', false],
        ['attribute', null],
      ]);
      const items = iterate(value);
      return items.length === 0 ? undefined : sortBy(items, sortKey(a.attribute, a.case_sensitive), false)[0];
    },
    max: (value, ...args) => {
      const a = bindArgs('max', args, [
        ['case_sensitive', false],
        ['attribute', null],
      ]);
      const items = iterate(value);
      if (items.length === 0) return undefined;
      // Python's max() returns the first of equal maxima.
      const key = sortKey(a.attribute, a.case_sensitive);
      return items.reduce((best, item) => (sortCompare(key(item), key(best)) > 0 ? item : best));
    },
    sum: (value, ...args) => {
      const a = bindArgs('sum', args, [
        ['attribute', null],
        ['start', 0],
      ]);
      const getter = a.attribute === null ? (x: unknown) => x : attrGetter(a.attribute);
      return iterate(value).reduce((acc: unknown, item) => pyAdd(acc, getter(item)), a.start);
    },
    select: (value, ...args) => selectOrReject(registry(), value, args, true, false),
    reject: (value, ...args) => selectOrReject(registry(), value, args, false, false),
    selectattr: (value, ...args) => selectOrReject(registry(), value, args, true, true),
    rejectattr: (value, ...args) => selectOrReject(registry(), value, args, false, true),
    map: (value, ...args) => {
      const { positional, keywords } = splitArgs(args);
      if (positional.length === 0 && Object.hasOwn(keywords, 'attribute')) {
        const getter = attrGetter(keywords.attribute, keywords.default);
        return iterate(value).map(getter);
      }
      if (positional.length === 0) throw new PyError('map requires a filter argument');
      const name = str(positional[0]);
      const filter = Object.hasOwn(registry().filters, name) ? registry().filters[name] : undefined;
      if (!filter) throw new PyError(`No filter named '${name}'.`);
      const extra = positional.slice(1);
      if (Object.keys(keywords).length > 0) extra.push({ ...keywords, __keywords: true });
      return iterate(value).map((item) => filter(item, ...extra));
    },
    attr: (value, name) => lookup(value, name),
    items: (value) => {
      const v = unwrap(value);
      if (v === undefined) return [];
      if (!isMapping(v)) throw new PyError(`Can only get item pairs from a mapping.`);
      return Object.entries(v).map((pair) => tuple(pair));
    },
    format: (value, ...args) => {
      const { positional, keywords } = splitArgs(args);
      if (positional.length > 0 && Object.keys(keywords).length > 0) {
        throw new PyError("can't handle positional and keyword arguments at the same time");
      }
      return percentFormat(str(value), Object.keys(keywords).length > 0 ? keywords : positional);
    },
    wordcount: (value) => (str(value).match(/[\p{L}\p{N}_]+/gu) ?? []).length,
    truncate: (value, ...args) => {
      const a = bindArgs('truncate', args, [
        ['length', 255],
        ['killwords', false],
        ['end', '...'],
        ['leeway', null],
      ]);
      const s = str(value);
      const length = num(a.length);
      const end = str(a.end);
      const leeway = a.leeway === null ? 5 : num(a.leeway);
      if (length < end.length) throw new PyError(`expected length >= ${end.length}, got ${length}`);
      if (s.length <= length + leeway) return s;
      if (truthy(a.killwords)) return s.slice(0, length - end.length) + end;
      const head = s.slice(0, length - end.length);
      const cut = head.lastIndexOf(' ');
      return (cut < 0 ? head : head.slice(0, cut)) + end;
    },
    tojson: (value, ...args) => {
      const a = bindArgs('tojson', args, [['indent', null]]);
      return htmlSafeJson(pyJson(value, a.indent === null ? undefined : num(a.indent)));
    },
    escape: (value) => escapeHtml(str(value)),
    safe: (value) => str(value),
  };
  filters.d = filters.default;
  filters.count = filters.length;
  filters.e = filters.escape;
  return filters;
}
