/**
 * Python value semantics for template data: how Jinja2 prints, compares, adds and tests values.
 *
 * Templates written for Jinja2 rely on Python rules that differ from JavaScript: empty lists and
 * dicts are false, `None` prints as `None`, `'-' * 20` repeats, `10 / 4` is a float. The compiled
 * template calls these helpers instead of JavaScript operators.
 */
import { njRuntime } from './nunjucks-internals.ts';

/** A Python float whose value happens to be integral must still print as `2.0`. */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return floatRepr(this.value);
  }
}

/** The object `namespace()` returns: the one object `{% set ns.attr = … %}` may assign to. */
export class PyNamespace {
  constructor(init: Record<string, unknown>) {
    Object.assign(this, init);
  }
}

const TUPLE = Symbol('tuple');

/** Marks an array as a Python tuple so it prints as `('a', 1)`; it behaves as a list otherwise. */
export function tuple<T>(items: T[]): T[] {
  Object.defineProperty(items, TUPLE, { value: true, enumerable: false });
  return items;
}

export function isTuple(v: unknown): boolean {
  return Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[TUPLE] === true;
}

/** A template-level error with Python's exception wording. */
export class PyError extends Error {}

export function isSafeString(v: unknown): v is { val: string } {
  return v instanceof njRuntime.SafeString;
}

/** Macro output and `caller()` are nunjucks SafeStrings; Python sees them as plain strings. */
export function unwrap(v: unknown): unknown {
  if (isSafeString(v)) return String(v);
  if (v instanceof PyFloat) return v.value;
  return v;
}

export function isString(v: unknown): boolean {
  return typeof v === 'string' || isSafeString(v);
}

export function isNumber(v: unknown): boolean {
  return typeof v === 'number' || v instanceof PyFloat;
}

export function isFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isSafeString(v) && !(v instanceof PyFloat);
}

export function num(v: unknown): number {
  const u = unwrap(v);
  if (typeof u === 'boolean') return u ? 1 : 0;
  if (typeof u !== 'number') throw new PyError(`unsupported operand type: ${typeName(v)}`);
  return u;
}

export function typeName(v: unknown): string {
  const u = unwrap(v);
  if (u === undefined) return 'Undefined';
  if (u === null) return 'NoneType';
  if (typeof u === 'boolean') return 'bool';
  if (typeof u === 'number') return isFloat(v) ? 'float' : 'int';
  if (typeof u === 'string') return 'str';
  if (Array.isArray(u)) return 'list';
  if (typeof u === 'function') return 'function';
  return 'dict';
}

export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return n.toFixed(1);
  // JavaScript and Python both print the shortest round-tripping digits; only the exponent differs.
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
}

function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + quote;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return quote + out + quote;
}

/** Python `repr()`: how values look inside printed lists and dicts. */
export function pyRepr(v: unknown): string {
  if (isString(v)) return strRepr(String(v));
  return pyStr(v, true);
}

/** Python `str()` with Jinja2's Undefined printing as empty text. */
export function pyStr(v: unknown, nested = false): string {
  if (v === undefined) return '';
  if (v === null) return 'None';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : floatRepr(v);
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (isSafeString(v)) return String(v);
  if (isTuple(v))
    return '(' + (v as unknown[]).map((x) => pyRepr(x)).join(', ') + ((v as unknown[]).length === 1 ? ',)' : ')');
  if (Array.isArray(v)) return '[' + v.map((x) => pyRepr(x)).join(', ') + ']';
  if (typeof v === 'function') return nested ? '<function>' : '';
  if (v instanceof PyNamespace) return '<Namespace ' + pyStr({ ...v }) + '>';
  if (typeof v === 'object') {
    return (
      '{' +
      Object.entries(v)
        .map(([k, x]) => `${strRepr(k)}: ${pyRepr(x)}`)
        .join(', ') +
      '}'
    );
  }
  return String(v);
}

/** Python truthiness: empty containers, empty strings, zero, None and Undefined are false. */
export function truthy(v: unknown): boolean {
  const u = unwrap(v);
  if (Array.isArray(u)) return u.length > 0;
  if (isMapping(u)) return Object.keys(u).length > 0 || u instanceof PyNamespace;
  return Boolean(u);
}

/** Python `==`: deep for lists and dicts, `1 == 1.0`, `True == 1`, but `'1' != 1`. */
export function pyEq(a: unknown, b: unknown): boolean {
  const x = unwrap(a);
  const y = unwrap(b);
  if (x === undefined || y === undefined) return x === y;
  if ((typeof x === 'number' || typeof x === 'boolean') && (typeof y === 'number' || typeof y === 'boolean')) {
    return Number(x) === Number(y);
  }
  if (Array.isArray(x) && Array.isArray(y)) {
    return x.length === y.length && x.every((item, i) => pyEq(item, y[i]));
  }
  if (isMapping(x) && isMapping(y)) {
    const kx = Object.keys(x);
    return kx.length === Object.keys(y).length && kx.every((k) => Object.hasOwn(y, k) && pyEq(x[k], y[k]));
  }
  return x === y;
}

/** Python ordering; mixing strings and numbers raises like Python does. */
export function pyCmp(a: unknown, b: unknown, op: string): number {
  const x = unwrap(a);
  const y = unwrap(b);
  const xs = typeof x === 'string';
  const ys = typeof y === 'string';
  const xn = typeof x === 'number' || typeof x === 'boolean';
  const yn = typeof y === 'number' || typeof y === 'boolean';
  if (xs && ys) return x < y ? -1 : x > y ? 1 : 0;
  if (xn && yn) return Number(x) - Number(y);
  if (Array.isArray(x) && Array.isArray(y)) {
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (!pyEq(x[i], y[i])) return pyCmp(x[i], y[i], op);
    }
    return x.length - y.length;
  }
  throw new PyError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export function pyCompare(first: unknown, rest: unknown[]): boolean {
  let left = first;
  for (let i = 0; i < rest.length; i += 2) {
    const op = rest[i] as string;
    const right = rest[i + 1];
    let ok: boolean;
    switch (op) {
      case '==':
      case '===':
        ok = pyEq(left, right);
        break;
      case '!=':
      case '!==':
        ok = !pyEq(left, right);
        break;
      case '<':
        ok = pyCmp(left, right, op) < 0;
        break;
      case '>':
        ok = pyCmp(left, right, op) > 0;
        break;
      case '<=':
        ok = pyCmp(left, right, op) <= 0;
        break;
      case '>=':
        ok = pyCmp(left, right, op) >= 0;
        break;
      default:
        throw new PyError(`unknown comparison operator ${op}`);
    }
    if (!ok) return false;
    left = right;
  }
  return true;
}

function floatResult(a: unknown, b: unknown, value: number): number | PyFloat {
  return isFloat(a) || isFloat(b) ? new PyFloat(value) : value;
}

export function pyAdd(a: unknown, b: unknown): unknown {
  const x = unwrap(a);
  const y = unwrap(b);
  if (typeof x === 'string' && typeof y === 'string') return x + y;
  if (Array.isArray(x) && Array.isArray(y)) return [...x, ...y];
  if (isNumber(a) && isNumber(b)) return floatResult(a, b, num(a) + num(b));
  if ((typeof x === 'boolean' || isNumber(a)) && (typeof y === 'boolean' || isNumber(b))) return num(a) + num(b);
  throw new PyError(`unsupported operand type(s) for +: '${typeName(a)}' and '${typeName(b)}'`);
}

export function pySub(a: unknown, b: unknown): unknown {
  return floatResult(a, b, num(a) - num(b));
}

export function pyMul(a: unknown, b: unknown): unknown {
  const x = unwrap(a);
  const y = unwrap(b);
  if (typeof x === 'string' && typeof y === 'number') return x.repeat(Math.max(0, y));
  if (typeof x === 'number' && typeof y === 'string') return y.repeat(Math.max(0, x));
  if (Array.isArray(x) && typeof y === 'number') return Array.from({ length: Math.max(0, y) }, () => x).flat();
  return floatResult(a, b, num(a) * num(b));
}

export function pyDiv(a: unknown, b: unknown): PyFloat {
  const d = num(b);
  if (d === 0) throw new PyError('division by zero');
  return new PyFloat(num(a) / d);
}

export function pyFloorDiv(a: unknown, b: unknown): unknown {
  const d = num(b);
  if (d === 0) throw new PyError('integer division or modulo by zero');
  return floatResult(a, b, Math.floor(num(a) / d));
}

export function pyMod(a: unknown, b: unknown): unknown {
  const x = unwrap(a);
  if (typeof x === 'string') return percentFormat(x, b);
  const d = num(b);
  if (d === 0) throw new PyError('integer division or modulo by zero');
  const r = num(a) % d;
  return floatResult(a, b, r !== 0 && r < 0 !== d < 0 ? r + d : r);
}

export function pyPow(a: unknown, b: unknown): unknown {
  return floatResult(a, b, num(a) ** num(b));
}

export function pyNeg(a: unknown): unknown {
  return a instanceof PyFloat ? new PyFloat(-a.value) : -num(a);
}

/** Python `'%s/%d' % (a, b)` printf-style formatting for the conversions templates use. */
export function percentFormat(format: string, arg: unknown): string {
  const values = Array.isArray(arg) ? [...arg] : [arg];
  const named = isMapping(arg) ? arg : undefined;
  let index = 0;
  const out = format.replace(
    /%(\(([^)]*)\))?([-+ 0#]*)(\d+|\*)?(?:\.(\d+))?([sdifFrxXoeEgc%])/g,
    (
      _m,
      _g,
      key: string | undefined,
      flags: string,
      width: string | undefined,
      precision: string | undefined,
      conv: string,
    ) => {
      if (conv === '%') return '%';
      let value: unknown;
      if (key !== undefined && named) value = named[key];
      else {
        if (index >= values.length) throw new PyError('not enough arguments for format string');
        value = values[index++];
      }
      let text: string;
      switch (conv) {
        case 's':
          text = pyStr(value);
          break;
        case 'r':
          text = pyRepr(value);
          break;
        case 'd':
        case 'i': {
          const n = num(value);
          text = String(Math.trunc(n));
          if (flags.includes('+') && n >= 0) text = '+' + text;
          break;
        }
        case 'f':
        case 'F':
          text = num(value).toFixed(precision === undefined ? 6 : Number(precision));
          if (flags.includes('+') && num(value) >= 0) text = '+' + text;
          break;
        case 'x':
          text = Math.trunc(num(value)).toString(16);
          break;
        case 'X':
          text = Math.trunc(num(value)).toString(16).toUpperCase();
          break;
        case 'o':
          text = Math.trunc(num(value)).toString(8);
          break;
        case 'c':
          text = typeof value === 'number' ? String.fromCodePoint(value) : pyStr(value);
          break;
        default:
          text = String(num(value));
      }
      if (precision !== undefined && (conv === 's' || conv === 'r')) text = text.slice(0, Number(precision));
      const w = width === undefined || width === '*' ? 0 : Number(width);
      if (text.length < w) {
        if (flags.includes('-')) text = text.padEnd(w);
        else if (flags.includes('0') && conv !== 's' && conv !== 'r') {
          const sign = /^[+-]/.test(text) ? text[0] : '';
          text = sign + text.slice(sign.length).padStart(w - sign.length, '0');
        } else text = text.padStart(w);
      }
      return text;
    },
  );
  if (!named && index < values.length && !(values.length === 1 && index === 0 && isMapping(arg))) {
    throw new PyError('not all arguments converted during string formatting');
  }
  return out;
}

/** Python `in`: substring, list membership (by `==`) or dict key. */
export function pyIn(needle: unknown, haystack: unknown): boolean {
  const h = unwrap(haystack);
  if (typeof h === 'string') return h.includes(pyStr(needle));
  if (Array.isArray(h)) return h.some((x) => pyEq(x, needle));
  if (isMapping(h)) return Object.hasOwn(h, pyStr(needle));
  if (h === undefined) return false;
  throw new PyError(`argument of type '${typeName(haystack)}' is not iterable`);
}

/** What `for x in value` iterates: list items, dict keys, string characters; Undefined is empty. */
export function iterate(v: unknown): unknown[] {
  const u = unwrap(v);
  if (u === undefined) return [];
  if (Array.isArray(u)) return u;
  if (typeof u === 'string') return Array.from(u);
  if (isMapping(u)) return Object.keys(u);
  throw new PyError(`'${typeName(v)}' object is not iterable`);
}

/** Python `len()`. */
export function pyLen(v: unknown): number {
  const u = unwrap(v);
  if (typeof u === 'string') return Array.from(u).length;
  if (Array.isArray(u)) return u.length;
  if (isMapping(u)) return Object.keys(u).length;
  if (u === undefined) return 0;
  throw new PyError(`object of type '${typeName(v)}' has no len()`);
}

/** Python's sort key comparison used by `sort`, `dictsort`, `min` and `max`. */
export function sortCompare(a: unknown, b: unknown): number {
  const c = pyCmp(a, b, '<');
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}
