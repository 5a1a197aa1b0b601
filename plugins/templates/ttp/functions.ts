import type { PyValue } from './pyliteral.ts';
import { compilePy, pyEscape } from './patterns.ts';
import { IpValue, IpError, ipInfo, overlaps, toIp, toNet } from './ip.ts';
import { isDict, pyFloat, pyIn, pyInt, pyReplacement, pyStr, pyEquals, type Dict, type Runtime } from './runtime.ts';

/** `data` as an IP value (strings parsed; a string that is not an address gives null). */
function ipOrNull(data: unknown): IpValue | null {
  if (data instanceof IpValue) return data;
  if (typeof data !== 'string') return null;
  try {
    return toIp(data);
  } catch {
    return null;
  }
}

/**
 * Match-variable functions. Each returns `[newData, flag]` like TTP: `false` invalidates the
 * match, `true`/`null` keep it, `{new_field: {...}}` adds fields to the result.
 */
export type MatchFlag = boolean | null | { new_field: Dict };
export type MatchFunction = (
  rt: Runtime,
  data: unknown,
  args: PyValue[],
  kwargs: Record<string, PyValue>,
) => [unknown, MatchFlag];

const s = (v: unknown): string => (typeof v === 'string' ? v : pyStr(v));
const ok = (data: unknown, pass: boolean): [unknown, MatchFlag] => [data, pass];

function pySub(pattern: string, replacement: string, data: string, count = 0): string {
  const re = compilePy(pattern, 'g');
  const repl = pyReplacement(replacement);
  if (count <= 0) return data.replace(re, repl);
  let n = 0;
  return data.replace(re, (...m) => {
    if (n++ >= count) return m[0] as string;
    return m[0].replace(compilePy(pattern), repl);
  });
}

function fromVars(rt: Runtime, name: unknown): unknown {
  const key = s(name);
  if (key in rt.vars) return rt.vars[key];
  if (key in rt.globalVars) return rt.globalVars[key];
  return name;
}

function lookupData(rt: Runtime, name: string): unknown {
  let node: unknown = rt.lookups;
  for (const part of name.split('.').map((p) => p.trim())) node = isDict(node) ? node[part] : undefined;
  return node;
}

/**
 * The table `lookup` searches: a `<lookup>` (`name`), another template's first results
 * (`template="name.path"`) or a group's results of this template's earlier inputs
 * (`group="name.path"`).
 */
function lookupSource(rt: Runtime, name: PyValue | undefined, kwargs: Record<string, PyValue>): unknown {
  const descend = (node: unknown, path: string[]): unknown => {
    for (const part of path) node = isDict(node) ? (node[part] ?? {}) : {};
    return node;
  };
  const source = kwargs.name ?? name;
  if (source !== undefined && source !== null) return lookupData(rt, s(source));
  if (kwargs.template) {
    const path = s(kwargs.template)
      .split('.')
      .map((p) => p.trim());
    const template = rt.templates.find((t) => t.name === path[0]);
    if (!template) return undefined;
    const results = Array.isArray(template.results) ? template.results[0] : template.results;
    return descend(results, path.slice(1));
  }
  if (kwargs.group) {
    const path = s(kwargs.group)
      .split('.')
      .map((p) => p.trim());
    for (const result of rt.templateResults) {
      if (isDict(result) && path[0] in result) return descend(result[path[0]], path.slice(1));
    }
  }
  return undefined;
}

export const MATCH_FUNCTIONS: Record<string, MatchFunction> = {
  exclude: (_rt, data, [pattern]) => ok(data, !pyIn(pattern, data)),
  equal: (_rt, data, [value]) => ok(data, pyEquals(data, value)),
  notequal: (_rt, data, [value]) => ok(data, !pyEquals(data, value)),
  contains: (_rt, data, patterns) =>
    ok(
      data,
      patterns.some((p) => pyIn(p, data)),
    ),
  sformat: (_rt, data, [template]) => [s(template).replace(/{}/g, () => s(data)), null],
  isdigit: (_rt, data) => ok(data, /^\d+$/.test(s(data).trim())),
  notdigit: (_rt, data) => ok(data, !/^\d+$/.test(s(data).trim())),
  greaterthan: (_rt, data, [value]) => {
    const a = s(data).trim();
    const b = s(value).trim();
    return ok(data, /^\d+$/.test(a) && /^\d+$/.test(b) && Number(a) > Number(b));
  },
  lessthan: (_rt, data, [value]) => {
    const a = s(data).trim();
    const b = s(value).trim();
    return ok(data, /^\d+$/.test(a) && /^\d+$/.test(b) && Number(a) < Number(b));
  },
  join: (_rt, data, [char]) => [Array.isArray(data) ? data.map(s).join(s(char)) : data, null],
  append: (rt, data, [char]) => {
    const value = char !== undefined && s(char) in rt.vars ? rt.vars[s(char)] : char;
    if (typeof data === 'string') return [data + s(value), null];
    if (Array.isArray(data)) return [[...data, value], null];
    return [data, null];
  },
  prepend: (rt, data, [char]) => {
    const value = char !== undefined && s(char) in rt.vars ? rt.vars[s(char)] : char;
    if (typeof data === 'string') return [s(value) + data, null];
    if (Array.isArray(data)) return [[value, ...data], null];
    return [data, null];
  },
  print: (_rt, data) => [data, null],
  replaceall: (rt, data, rawArgs) => [
    replaceEach(rt.vars, data, rawArgs, (old, repl, text) => text.split(old).join(repl)),
    null,
  ],
  truncate: (_rt, data, [count]) => {
    const parts = s(data).split(' ');
    const n = Number(count);
    return [parts.length >= n ? parts.slice(0, n).join(' ') : data, null];
  },
  startswith_re: (_rt, data, [p]) => ok(data, compilePy(`^(?:${s(p)})`).test(s(data))),
  endswith_re: (_rt, data, [p]) => ok(data, compilePy(`(?:${s(p)})$`).test(s(data))),
  contains_re: (_rt, data, [p]) => ok(data, compilePy(s(p)).test(s(data))),
  notstartswith_re: (_rt, data, [p]) => ok(data, !compilePy(`^(?:${s(p)})`).test(s(data))),
  notendswith_re: (_rt, data, [p]) => ok(data, !compilePy(`(?:${s(p)})$`).test(s(data))),
  exclude_re: (_rt, data, [p]) => ok(data, !compilePy(s(p)).test(s(data))),
  resub: (rt, data, [old, replacement, count], kwargs) => {
    const n = Number(kwargs.count ?? count ?? 1);
    const key = s(kwargs.old ?? old);
    const repl = s(kwargs.new ?? replacement);
    if (key in rt.vars) return [pySub(pyEscape(s(rt.vars[key])), repl, s(data), n), null];
    return [pySub(key, repl, s(data), n), null];
  },
  resuball: (rt, data, rawArgs) => [
    replaceEach(
      rt.vars,
      data,
      rawArgs,
      (old, repl, text) => pySub(old, repl, text),
      (v, repl, text) => pySub(pyEscape(v), repl, text),
    ),
    null,
  ],
  to_str: (_rt, data) => [s(data), null],
  to_list: (_rt, data) => [[data], null],
  to_int: (_rt, data) => {
    const n = pyInt(data);
    if (n !== undefined) return [n, null];
    const f = pyFloat(data);
    return [f !== undefined ? f : data, null];
  },
  to_float: (_rt, data) => {
    const f = pyFloat(data);
    return [f !== undefined ? f : data, null];
  },
  to_unicode: (_rt, data) => [data, null],
  set: (rt, data, [value], kwargs) => {
    if (s(data).trimEnd() === kwargs.match_line) {
      if (typeof value === 'string') {
        if (value in rt.vars) return [rt.vars[value], null];
        if (value in rt.globalVars) return [rt.globalVars[value], null];
      }
      return [value, null];
    }
    return [data, false];
  },
  let: (_rt, data, [nameOrValue, value]) => {
    if (value === undefined || value === '' || value === null || value === false || value === 0)
      return [nameOrValue, null];
    return [data, { new_field: { [s(nameOrValue)]: value } }];
  },
  item: (_rt, data, [index]) => {
    const seq = typeof data === 'string' ? [...data] : Array.isArray(data) ? data : [];
    const i = Number(index);
    if (seq.length === 0) return [data, null];
    if (i >= 0) return [i <= seq.length - 1 ? seq[i] : seq[seq.length - 1], null];
    return [Math.abs(i) <= seq.length ? seq[seq.length + i] : seq[0], null];
  },
  count: (rt, data, _args, kwargs) => {
    if (kwargs.var) rt.vars[s(kwargs.var)] = ((rt.vars[s(kwargs.var)] as number) ?? 0) + 1;
    if (kwargs.globvar) rt.globalVars[s(kwargs.globvar)] = ((rt.globalVars[s(kwargs.globvar)] as number) ?? 0) + 1;
    return [data, null];
  },
  record: (rt, data, [name]) => {
    rt.vars[s(name)] = data;
    rt.globalVars[s(name)] = data;
    return [data, null];
  },
  unrange: (_rt, data, [rangeChar, joinChar], kwargs) => {
    const rc = s(kwargs.rangechar ?? rangeChar);
    const jc = s(kwargs.joinchar ?? joinChar);
    const text = s(data);
    if (!text.includes(rc)) return [data, null];
    let result: string[] = [];
    for (const item of text.split(rc)) {
      const split = item.split(jc).filter((i) => i);
      if (result.length) {
        const start = pyInt(result[result.length - 1]);
        const end = pyInt(split[0]);
        if (start === undefined || end === undefined) return [data, null];
        const range: string[] = [];
        for (let n = start; n < end; n++) range.push(String(n));
        result = [...result, ...range.slice(1), ...split];
      } else {
        result = split;
      }
    }
    return [result.join(jc), null];
  },
  mac_eui: (_rt, data) => {
    let mac = s(data).replace(/[.:-]/g, '').toLowerCase();
    if (!/^[\p{L}\p{N}]+$/u.test(mac)) return [data, null];
    if (mac.length !== 12) mac += '0'.repeat(Math.max(0, 12 - mac.length));
    const pairs: string[] = [];
    for (let i = 0; i < mac.length; i += 2) pairs.push(mac.slice(i, i + 2));
    return [pairs.join(':'), null];
  },
  copy: (_rt, data, [name]) => [data, { new_field: { [s(name)]: structuredClone(data) } }],
  joinmatches: (_rt, data) => [data, null],
  void: (_rt, data) => [data, false],
  lookup: (rt, data, [name], kwargs) => {
    const table = lookupSource(rt, name, kwargs);
    const addField = kwargs.add_field;
    if (!isDict(table)) return [data, null];
    const key = s(data);
    if (!(key in table)) return [data, null];
    const found = table[key];
    if (addField !== undefined && addField !== false) return [data, { new_field: { [s(addField)]: found } }];
    return [found, null];
  },
  rlookup: (rt, data, [name], kwargs) => {
    const table = lookupData(rt, s(kwargs.name ?? name));
    if (!isDict(table)) return [data, null];
    const text = s(data);
    for (const [key, value] of Object.entries(table)) {
      if (text.includes(key)) {
        if (kwargs.add_field) return [data, { new_field: { [s(kwargs.add_field)]: value } }];
        return [value, null];
      }
    }
    return [data, null];
  },
  gpvlookup: (rt, data, [name], kwargs) => {
    const table = lookupData(rt, s(kwargs.name ?? name));
    if (!isDict(table)) return [data, null];
    const text = s(data);
    const found: string[] = [];
    for (const [key, patterns] of Object.entries(table)) {
      const list = Array.isArray(patterns) ? patterns : [patterns];
      if (list.some((p) => globMatch(s(p), text))) {
        found.push(key);
        if (!kwargs.multimatch) break;
      }
    }
    if (kwargs.record) {
      rt.vars[s(kwargs.record)] = found;
      rt.globalVars[s(kwargs.record)] = found;
    }
    if (kwargs.add_field) return [data, { new_field: { [s(kwargs.add_field)]: found } }];
    return [found, null];
  },
  to_ip: (_rt, data, args) => {
    try {
      return [typeof data === 'string' ? toIp(data) : data, null];
    } catch (e) {
      if (e instanceof IpError && args.length >= 0) return [data, null];
      throw e;
    }
  },
  to_net: (_rt, data) => {
    try {
      return [typeof data === 'string' ? toNet(data) : data, null];
    } catch {
      return [data, null];
    }
  },
  is_ip: (_rt, data) => {
    try {
      toIp(s(data));
      return [data, true];
    } catch {
      return [data, false];
    }
  },
  to_cidr: (_rt, data) => {
    const parts = s(data).split('.');
    const counts = parts.map((p) => pyInt(p));
    if (counts.some((c) => c === undefined)) return [data, null];
    return [counts.reduce((sum: number, c) => sum + (c! >>> 0).toString(2).split('1').length - 1, 0), null];
  },
  ip_info: (_rt, data) => {
    const ip = ipOrNull(data);
    return [ip ? ipInfo(ip) : data, null];
  },
  cidr_match: (rt, data, [prefix]) => {
    const p = s(fromVars(rt, prefix));
    const ip = ipOrNull(data);
    if (!ip) return [data, null];
    const net = toNet(p);
    const subject = ip.kind === 'address' ? new IpValue('interface', ip.address, 32) : ip;
    return [data, overlaps(subject, net)];
  },
  uptimeparse: (_rt, data, _args, kwargs) => uptimeParse(s(data), s(kwargs.format ?? 'seconds')),
};

function globMatch(pattern: string, text: string): boolean {
  const re =
    '^' +
    pattern
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.') +
    '$';
  return new RegExp(re).test(text);
}

const UPTIME_UNITS: [RegExp, string, number][] = [
  [/(\d+)\s*(?:years?|y)\b/, 'years', 31536000],
  [/(\d+)\s*(?:weeks?|w)\b/, 'weeks', 604800],
  [/(\d+)\s*(?:days?|d)\b/, 'days', 86400],
  [/(\d+)\s*(?:hours?|h)\b/, 'hours', 3600],
  [/(\d+)\s*(?:minutes?|m)\b/, 'minutes', 60],
  [/(\d+)\s*(?:seconds?|s)\b/, 'seconds', 1],
];

function uptimeParse(text: string, format: string): [unknown, MatchFlag] {
  const parts: Record<string, number> = {};
  const clock = /(\d+):(\d+):(\d+)/.exec(text);
  if (clock) {
    parts.hours = Number(clock[1]);
    parts.minutes = Number(clock[2]);
    parts.seconds = Number(clock[3]);
  }
  for (const [re, name] of UPTIME_UNITS) {
    const m = re.exec(clock ? text.replace(clock[0], '') : text);
    if (m) parts[name] = Number(m[1]);
  }
  if (format === 'dict') {
    const keys: Record<string, string> = {
      years: 'years',
      weeks: 'weeks',
      days: 'days',
      hours: 'hours',
      minutes: 'mins',
      seconds: 'secs',
    };
    const out: Record<string, string> = {};
    for (const [, name] of UPTIME_UNITS) if (name in parts) out[keys[name]] = String(parts[name]);
    return [out, null];
  }
  let seconds = 0;
  for (const [, name, factor] of UPTIME_UNITS) seconds += (parts[name] ?? 0) * factor;
  return [seconds, null];
}

/**
 * Python built-in methods TTP falls back to when a name is not a TTP function
 * (`{{ x | upper }}`, `split(',')`, `strip`, `with_prefixlen` on IP objects).
 * Returns undefined when the attribute does not exist.
 */
export function callBuiltin(data: unknown, name: string, args: PyValue[]): { value: unknown } | undefined {
  if (data instanceof IpValue) {
    const value = data.attribute(name);
    return value === undefined ? undefined : { value };
  }
  if (typeof data === 'string') return stringMethod(data, name, args);
  if (Array.isArray(data)) {
    if (name === 'count') return { value: data.filter((x) => pyEquals(x, args[0])).length };
    if (name === 'index') return { value: data.findIndex((x) => pyEquals(x, args[0])) };
    if (name === 'copy') return { value: [...data] };
  }
  return undefined;
}

function pyStrip(text: string, chars: PyValue | undefined, side: 'both' | 'left' | 'right'): string {
  const set = chars === undefined || chars === null ? null : s(chars);
  const strip = (c: string): boolean => (set === null ? /\s/.test(c) : set.includes(c));
  let start = 0;
  let end = text.length;
  if (side !== 'right') while (start < end && strip(text[start])) start++;
  if (side !== 'left') while (end > start && strip(text[end - 1])) end--;
  return text.slice(start, end);
}

function pySplit(text: string, sep: PyValue | undefined, maxsplit: number): string[] {
  if (sep === undefined || sep === null) {
    const parts: string[] = [];
    let rest = text.replace(/^\s+/, '');
    while (rest) {
      if (maxsplit >= 0 && parts.length === maxsplit) {
        parts.push(rest);
        break;
      }
      const m = /\s+/.exec(rest);
      if (!m) {
        parts.push(rest);
        break;
      }
      parts.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return parts;
  }
  const separator = s(sep);
  const parts = text.split(separator);
  if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
  return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(separator)];
}

function stringMethod(text: string, name: string, args: PyValue[]): { value: unknown } | undefined {
  switch (name) {
    case 'upper':
      return { value: text.toUpperCase() };
    case 'lower':
      return { value: text.toLowerCase() };
    case 'title':
      return {
        value: text.toLowerCase().replace(/(^|[^\p{L}])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase()),
      };
    case 'capitalize':
      return { value: text.charAt(0).toUpperCase() + text.slice(1).toLowerCase() };
    case 'swapcase':
      return { value: [...text].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('') };
    case 'strip':
      return { value: pyStrip(text, args[0], 'both') };
    case 'lstrip':
      return { value: pyStrip(text, args[0], 'left') };
    case 'rstrip':
      return { value: pyStrip(text, args[0], 'right') };
    case 'split':
      return { value: pySplit(text, args[0], args[1] === undefined ? -1 : Number(args[1])) };
    case 'rsplit':
      return { value: pySplit(text, args[0], -1) };
    case 'splitlines':
      return { value: text.split(/\r\n|\n|\r/) };
    case 'replace':
      return {
        value:
          args[2] === undefined
            ? text.split(s(args[0])).join(s(args[1]))
            : replaceCount(text, s(args[0]), s(args[1]), Number(args[2])),
      };
    case 'startswith':
      return { value: (Array.isArray(args[0]) ? args[0] : [args[0]]).some((p) => text.startsWith(s(p))) };
    case 'endswith':
      return { value: (Array.isArray(args[0]) ? args[0] : [args[0]]).some((p) => text.endsWith(s(p))) };
    case 'isdigit':
    case 'isnumeric':
    case 'isdecimal':
      return { value: /^\d+$/.test(text) };
    case 'isalpha':
      return { value: /^\p{L}+$/u.test(text) };
    case 'isalnum':
      return { value: /^[\p{L}\p{N}]+$/u.test(text) };
    case 'isspace':
      return { value: /^\s+$/.test(text) };
    case 'islower':
      return { value: /\p{Ll}/u.test(text) && text === text.toLowerCase() };
    case 'isupper':
      return { value: /\p{Lu}/u.test(text) && text === text.toUpperCase() };
    case 'count':
      return { value: text.split(s(args[0])).length - 1 };
    case 'find':
      return { value: text.indexOf(s(args[0])) };
    case 'zfill':
      return { value: text.padStart(Number(args[0]), '0') };
    case 'ljust':
      return { value: text.padEnd(Number(args[0]), args[1] === undefined ? ' ' : s(args[1])) };
    case 'rjust':
      return { value: text.padStart(Number(args[0]), args[1] === undefined ? ' ' : s(args[1])) };
    case 'center': {
      const width = Number(args[0]);
      const total = Math.max(0, width - text.length);
      const left = Math.floor(total / 2) + (total % 2 && width % 2 ? 1 : 0);
      const fill = args[1] === undefined ? ' ' : s(args[1]);
      return { value: fill.repeat(left) + text + fill.repeat(total - left) };
    }
    default:
      return undefined;
  }
}

function replaceCount(text: string, old: string, replacement: string, count: number): string {
  if (count < 0) return text.split(old).join(replacement);
  let out = text;
  let from = 0;
  for (let i = 0; i < count; i++) {
    const idx = out.indexOf(old, from);
    if (idx < 0) break;
    out = out.slice(0, idx) + replacement + out.slice(idx + old.length);
    from = idx + replacement.length;
  }
  return out;
}

/**
 * `replaceall` / `resuball`: the first of several arguments is the replacement; every other argument
 * is a literal to replace, or the name of a template variable holding a list of literals or a
 * `{new: old | [old, …]}` dictionary. `stringVar` handles a variable holding one string (resuball).
 */
function replaceEach(
  vars: Record<string, unknown>,
  data: unknown,
  rawArgs: readonly unknown[],
  replace: (old: string, replacement: string, text: string) => string,
  stringVar?: (value: string, replacement: string, text: string) => string,
): string {
  const args = [...rawArgs];
  const replacement = args.length > 1 ? s(args.shift()) : '';
  let text = s(data);
  for (const old of args) {
    const key = s(old);
    if (!(key in vars)) {
      text = replace(key, replacement, text);
      continue;
    }
    const variable = vars[key];
    if (Array.isArray(variable)) {
      for (const o of variable) if (typeof o === 'string') text = replace(o, replacement, text);
    } else if (isDict(variable)) {
      for (const [newValue, o] of Object.entries(variable)) {
        for (const item of Array.isArray(o) ? o : [o])
          if (typeof item === 'string') text = replace(item, newValue, text);
      }
    } else if (typeof variable === 'string' && stringVar) {
      text = stringVar(variable, replacement, text);
    }
  }
  return text;
}
