/**
 * Attribute and item lookup with Python methods on strings, lists and dicts (`d.items()`,
 * `s.split('/')`, `x.startswith('Gi')`).
 *
 * Only own data properties and the methods listed here are reachable from a template, so
 * JavaScript internals such as `constructor` or `__proto__` stay out of reach.
 */
import { PyError, PyNamespace, isMapping, isSafeString, num, pyEq, pyStr, tuple, typeName, unwrap } from './py.ts';

type Method = (self: any, ...args: any[]) => unknown;

const WHITESPACE = ' \t\n\r\v\f';

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === undefined || chars === null ? WHITESPACE : String(chars);
  let start = 0;
  let end = s.length;
  if (left) while (start < end && set.includes(s[start])) start++;
  if (right) while (end > start && set.includes(s[end - 1])) end--;
  return s.slice(start, end);
}

function pySplit(s: string, sep: unknown, maxsplit: unknown): string[] {
  const limit = maxsplit === undefined || maxsplit === null ? -1 : num(maxsplit);
  if (sep === undefined || sep === null) {
    const out: string[] = [];
    let rest = s.replace(/^\s+/, '');
    while (rest.length > 0) {
      if (limit >= 0 && out.length === limit) {
        out.push(rest);
        return out;
      }
      const m = /\s+/.exec(rest);
      if (!m) {
        out.push(rest);
        break;
      }
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return out;
  }
  const separator = String(sep);
  if (separator === '') throw new PyError('empty separator');
  const parts = s.split(separator);
  if (limit < 0 || parts.length <= limit + 1) return parts;
  return [...parts.slice(0, limit), parts.slice(limit).join(separator)];
}

function pyReplace(s: string, old: string, replacement: string, count: unknown): string {
  const limit = count === undefined || count === null ? -1 : num(count);
  if (limit < 0) return s.split(old).join(replacement);
  let out = '';
  let rest = s;
  for (let i = 0; i < limit; i++) {
    const at = old === '' ? (i === 0 ? 0 : 1) : rest.indexOf(old);
    if (at < 0 || (old === '' && at > rest.length)) break;
    out += rest.slice(0, at) + replacement;
    rest = rest.slice(at + old.length);
  }
  return out + rest;
}

function affix(s: string, arg: unknown, test: (s: string, a: string) => boolean): boolean {
  const options = Array.isArray(arg) ? arg : [arg];
  return options.some((a) => test(s, String(unwrap(a))));
}

export function capitalize(s: string): string {
  return s.length === 0 ? s : s[0].toUpperCase() + s.slice(1).toLowerCase();
}

/** Python `str.title()`: a letter after a non-letter starts a word. */
function strTitle(s: string): string {
  return s.toLowerCase().replace(/(^|[^\p{L}])(\p{L})/gu, (_m, pre: string, ch: string) => pre + ch.toUpperCase());
}

export function center(s: string, width: number, fill = ' '): string {
  const pad = width - s.length;
  if (pad <= 0) return s;
  const left = Math.floor(pad / 2) + (pad & width & 1);
  return fill.repeat(left) + s + fill.repeat(pad - left);
}

const STR_METHODS: Record<string, Method> = {
  upper: (s: string) => s.toUpperCase(),
  lower: (s: string) => s.toLowerCase(),
  strip: (s: string, chars?: unknown) => stripChars(s, chars, true, true),
  lstrip: (s: string, chars?: unknown) => stripChars(s, chars, true, false),
  rstrip: (s: string, chars?: unknown) => stripChars(s, chars, false, true),
  split: (s: string, sep?: unknown, maxsplit?: unknown) => pySplit(s, sep, maxsplit),
  rsplit: (s: string, sep?: unknown, maxsplit?: unknown) => {
    if (maxsplit === undefined || maxsplit === null || num(maxsplit) < 0) return pySplit(s, sep, maxsplit);
    const reversed = pySplit(
      Array.from(s).reverse().join(''),
      sep === undefined || sep === null ? sep : Array.from(String(sep)).reverse().join(''),
      maxsplit,
    );
    return reversed.map((p) => Array.from(p).reverse().join('')).reverse();
  },
  splitlines: (s: string) => s.split(/\r\n|\r|\n/).filter((line, i, all) => i < all.length - 1 || line !== ''),
  startswith: (s: string, prefix: unknown) => affix(s, prefix, (x, a) => x.startsWith(a)),
  endswith: (s: string, suffix: unknown) => affix(s, suffix, (x, a) => x.endsWith(a)),
  replace: (s: string, old: unknown, replacement: unknown, count?: unknown) =>
    pyReplace(s, pyStr(old), pyStr(replacement), count),
  join: (s: string, items: unknown) => iterateForJoin(items).join(s),
  find: (s: string, sub: unknown) => s.indexOf(pyStr(sub)),
  rfind: (s: string, sub: unknown) => s.lastIndexOf(pyStr(sub)),
  index: (s: string, sub: unknown) => {
    const at = s.indexOf(pyStr(sub));
    if (at < 0) throw new PyError('substring not found');
    return at;
  },
  count: (s: string, sub: unknown) => {
    const needle = pyStr(sub);
    return needle === '' ? s.length + 1 : s.split(needle).length - 1;
  },
  isdigit: (s: string) => /^\d+$/.test(s),
  isnumeric: (s: string) => /^\d+$/.test(s),
  isalpha: (s: string) => /^\p{L}+$/u.test(s),
  isalnum: (s: string) => /^[\p{L}\d]+$/u.test(s),
  isspace: (s: string) => /^\s+$/.test(s),
  isupper: (s: string) => /\p{Lu}/u.test(s) && s === s.toUpperCase(),
  islower: (s: string) => /\p{Ll}/u.test(s) && s === s.toLowerCase(),
  capitalize: (s: string) => capitalize(s),
  title: (s: string) => strTitle(s),
  swapcase: (s: string) =>
    Array.from(s)
      .map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()))
      .join(''),
  zfill: (s: string, width: unknown) => {
    const sign = /^[+-]/.test(s) ? s[0] : '';
    return sign + s.slice(sign.length).padStart(num(width) - sign.length, '0');
  },
  ljust: (s: string, width: unknown, fill?: unknown) => s.padEnd(num(width), fill === undefined ? ' ' : String(fill)),
  rjust: (s: string, width: unknown, fill?: unknown) => s.padStart(num(width), fill === undefined ? ' ' : String(fill)),
  center: (s: string, width: unknown, fill?: unknown) => center(s, num(width), fill === undefined ? ' ' : String(fill)),
  partition: (s: string, sep: unknown) => {
    const at = s.indexOf(pyStr(sep));
    return at < 0 ? [s, '', ''] : [s.slice(0, at), pyStr(sep), s.slice(at + pyStr(sep).length)];
  },
};

function iterateForJoin(items: unknown): string[] {
  const u = unwrap(items);
  const list = Array.isArray(u) ? u : isMapping(u) ? Object.keys(u) : typeof u === 'string' ? Array.from(u) : [];
  return list.map((x) => {
    if (typeof unwrap(x) !== 'string') throw new PyError(`sequence item: expected str instance, ${typeName(x)} found`);
    return String(unwrap(x));
  });
}

const LIST_METHODS: Record<string, Method> = {
  append: (l: unknown[], x: unknown) => {
    l.push(x);
    return null;
  },
  extend: (l: unknown[], xs: unknown) => {
    const items = unwrap(xs);
    if (Array.isArray(items)) l.push(...items);
    return null;
  },
  insert: (l: unknown[], i: unknown, x: unknown) => {
    l.splice(num(i), 0, x);
    return null;
  },
  pop: (l: unknown[], i?: unknown) => {
    if (l.length === 0) throw new PyError('pop from empty list');
    const at = i === undefined ? l.length - 1 : num(i) < 0 ? l.length + num(i) : num(i);
    return l.splice(at, 1)[0];
  },
  remove: (l: unknown[], x: unknown) => {
    const at = l.findIndex((y) => pyEq(x, y));
    if (at < 0) throw new PyError('list.remove(x): x not in list');
    l.splice(at, 1);
    return null;
  },
  index: (l: unknown[], x: unknown) => {
    const at = l.findIndex((y) => pyEq(x, y));
    if (at < 0) throw new PyError(`${pyStr(x)} is not in list`);
    return at;
  },
  count: (l: unknown[], x: unknown) => l.filter((y) => pyEq(x, y)).length,
  copy: (l: unknown[]) => [...l],
};

const DICT_METHODS: Record<string, Method> = {
  items: (d: Record<string, unknown>) => Object.entries(d).map((pair) => tuple(pair)),
  keys: (d: Record<string, unknown>) => Object.keys(d),
  values: (d: Record<string, unknown>) => Object.values(d),
  get: (d: Record<string, unknown>, key: unknown, fallback: unknown = null) => {
    const k = pyStr(key);
    return Object.hasOwn(d, k) ? d[k] : fallback;
  },
  update: (d: Record<string, unknown>, other: unknown) => {
    if (isMapping(other)) Object.assign(d, other);
    return null;
  },
  copy: (d: Record<string, unknown>) => ({ ...d }),
  pop: (d: Record<string, unknown>, key: unknown, fallback?: unknown) => {
    const k = pyStr(key);
    if (!Object.hasOwn(d, k)) {
      if (fallback === undefined) throw new PyError(`KeyError: ${k}`);
      return fallback;
    }
    const v = d[k];
    delete d[k];
    return v;
  },
  setdefault: (d: Record<string, unknown>, key: unknown, fallback: unknown = null) => {
    const k = pyStr(key);
    if (!Object.hasOwn(d, k)) d[k] = fallback;
    return d[k];
  },
};

function bind(method: Method, self: unknown): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => method(self, ...args.map((a) => (isSafeString(a) ? String(a) : a)));
}

function methodOf(obj: unknown, key: string): ((...args: unknown[]) => unknown) | undefined {
  if (typeof obj === 'string') return Object.hasOwn(STR_METHODS, key) ? bind(STR_METHODS[key], obj) : undefined;
  if (Array.isArray(obj)) return Object.hasOwn(LIST_METHODS, key) ? bind(LIST_METHODS[key], obj) : undefined;
  if (isMapping(obj) && !(obj instanceof PyNamespace)) {
    return Object.hasOwn(DICT_METHODS, key) ? bind(DICT_METHODS[key], obj) : undefined;
  }
  return undefined;
}

function indexInto(seq: ArrayLike<unknown>, key: unknown): unknown {
  const k = unwrap(key);
  if (typeof k !== 'number' && typeof k !== 'boolean') return undefined;
  const n = Number(k);
  if (!Number.isInteger(n)) return undefined;
  const i = n < 0 ? seq.length + n : n;
  return i >= 0 && i < seq.length ? seq[i] : undefined;
}

/**
 * `obj.key` / `obj[key]`: data first (a dict key named like a method stays reachable as data),
 * then Python methods. Missing things are Undefined, never an error.
 */
export function lookup(target: unknown, key: unknown): unknown {
  const obj = unwrap(target);
  if (obj === undefined || obj === null) return undefined;
  if (typeof obj === 'string') {
    const ch = indexInto(Array.from(obj), key);
    return ch !== undefined ? ch : methodOf(obj, pyStr(key));
  }
  if (Array.isArray(obj)) {
    const item = indexInto(obj, key);
    return item !== undefined ? item : methodOf(obj, pyStr(key));
  }
  if (isMapping(obj)) {
    const k = pyStr(unwrap(key));
    if (Object.hasOwn(obj, k)) return obj[k];
    return methodOf(obj, k);
  }
  return undefined;
}

/** `obj.name(...)`: as Python, a method call prefers the method over a same-named dict key. */
export function methodLookup(target: unknown, key: unknown): unknown {
  const obj = unwrap(target);
  if (obj === undefined || obj === null) return undefined;
  return methodOf(obj, pyStr(unwrap(key))) ?? lookup(target, key);
}

/** `obj[start:stop:step]` with Python slice rules for lists and strings. */
export function slice(target: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  const obj = unwrap(target);
  const isStr = typeof obj === 'string';
  const seq: unknown[] = isStr ? Array.from(obj as string) : Array.isArray(obj) ? obj : [];
  if (!isStr && !Array.isArray(obj)) return undefined;
  const len = seq.length;
  const st = step === null || step === undefined ? 1 : num(step);
  if (st === 0) throw new PyError('slice step cannot be zero');
  const norm = (v: unknown, dflt: number, lo: number, hi: number): number => {
    if (v === null || v === undefined) return dflt;
    let n = num(v);
    if (n < 0) n += len;
    return Math.min(Math.max(n, lo), hi);
  };
  const out: unknown[] = [];
  if (st > 0) {
    const a = norm(start, 0, 0, len);
    const b = norm(stop, len, 0, len);
    for (let i = a; i < b; i += st) out.push(seq[i]);
  } else {
    const a = norm(start, len - 1, -1, len - 1);
    const b = norm(stop, -1, -1, len - 1);
    for (let i = a; i > b; i += st) out.push(seq[i]);
  }
  return isStr ? out.join('') : out;
}
