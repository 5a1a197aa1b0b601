import type { PyValue } from './pyliteral.ts';
import { isDict, pyEquals, pyFloat, pyIn, pyInt, pyStr, type Dict, type Runtime } from './runtime.ts';

/**
 * Group functions (`<group contains="x" del="y" ...>`): run on a finished group result.
 * Return `[data, flag]`; `false` drops the group result.
 */
export type GroupFunction = (
  rt: Runtime,
  data: Dict,
  args: PyValue[],
  kwargs: Record<string, PyValue>,
) => [Dict, boolean | null];

const s = (v: unknown): string => (typeof v === 'string' ? v : pyStr(v));

function toNumber(value: unknown): unknown {
  const i = pyInt(value);
  if (i !== undefined) return i;
  const f = pyFloat(value);
  return f !== undefined ? f : value;
}

export const GROUP_FUNCTIONS: Record<string, GroupFunction> = {
  contains: (_rt, data, args) => [data, args.some((k) => s(k) in data)],
  containsall: (_rt, data, args) => [data, args.every((k) => s(k) in data)],
  exclude: (_rt, data, args) => [data, !args.some((k) => s(k) in data)],
  excludeall: (_rt, data, args) => [data, !args.every((k) => s(k) in data)],
  del: (_rt, data, args) => {
    for (const k of args) delete data[s(k)];
    return [data, true];
  },
  void: (_rt, data) => [data, false],
  equal: (rt, data, [key, value]) => {
    const v = s(value) in rt.vars ? rt.vars[s(value)] : value;
    return [data, pyEquals(data[s(key)], v) ? null : false];
  },
  contains_val: (rt, data, [key, value]) => {
    const v = s(value) in rt.vars ? rt.vars[s(value)] : value;
    return [data, pyIn(v, data[s(key)] ?? '') ? null : false];
  },
  exclude_val: (rt, data, [key, value]) => {
    const v = s(value) in rt.vars ? rt.vars[s(value)] : value;
    if (!(s(key) in data)) return [data, true];
    return [data, !pyEquals(data[s(key)], v)];
  },
  set: (rt, data, [source, target], kwargs) => {
    const src = s(source);
    const def = kwargs.default;
    const value = src in rt.vars ? rt.vars[src] : def !== undefined ? def : source;
    const tgt = target === undefined || target === '_use_source_' ? src : s(target);
    data[tgt] = value;
    return [data, null];
  },
  record: (rt, data, [source, target]) => {
    const src = s(source);
    if (src in data) {
      const tgt = target === undefined ? src : s(target);
      rt.vars[tgt] = data[src];
      rt.globalVars[tgt] = data[src];
    }
    return [data, null];
  },
  to_int: (_rt, data, args, kwargs) => {
    const keys = args.length ? args.map(s) : Object.keys(data);
    for (const k of keys) {
      if (!(k in data)) continue;
      data[k] = toNumber(data[k]);
      if (kwargs.intlist === true && Array.isArray(data[k])) data[k] = (data[k] as unknown[]).map(toNumber);
    }
    return [data, null];
  },
  expand: (_rt, data) => {
    const out: Dict = {};
    for (const [key, value] of Object.entries(data)) {
      const keys = key.split('.');
      let ref: Dict = out;
      while (keys.length > 1) {
        const k = keys.shift()!;
        if (!isDict(ref[k])) ref[k] = {};
        ref = ref[k] as Dict;
      }
      ref[keys[0]] = value;
    }
    return [out, true];
  },
  items2dict: (_rt, data, [keyName, valueName]) => {
    const k = s(keyName);
    const v = s(valueName);
    if (!(k in data) || !(v in data)) return [data, false];
    const key = s(data[k]);
    const value = data[v];
    delete data[k];
    delete data[v];
    data[key] = value;
    return [data, null];
  },
  itemize: (rt, data, [key, path], kwargs) => {
    const k = s(kwargs.key ?? key);
    const p = kwargs.path ?? path;
    const results = rt.results;
    if (!results || !(k in data)) return [data, false];
    Object.assign(results.dynPathCache, data);
    const star = (items: string[]): string[] => {
      const last = items[items.length - 1];
      if (last.endsWith('**') || !last.endsWith('*')) items[items.length - 1] = last.replace(/\*+$/, '') + '*';
      return items;
    };
    if (!p) {
      // Without a path the item replaces the group result, saved at the group path as a list.
      results.record.PATH = star((results.record.PATH as string[]).map(String));
      return [data[k] as Dict, null];
    }
    const processed = results.formPath(
      star(
        s(p)
          .split('.')
          .map((x) => x.trim()),
      ),
    );
    if (processed) results.saveCurElements(data[k], processed);
    return [data, null];
  },
  sformat: (rt, data, [template, addField], kwargs) => {
    const field = s(kwargs.add_field ?? addField);
    const fill = (source: Dict): string | undefined => {
      let missing = false;
      const out = s(kwargs.string ?? template).replace(/{(\w*)}/g, (_m, name: string) => {
        if (!(name in source)) {
          missing = true;
          return '';
        }
        return s(source[name]);
      });
      return missing ? undefined : out;
    };
    const direct = fill(data) ?? fill({ ...rt.globalVars, ...rt.vars, ...data });
    if (direct !== undefined) data[field] = direct;
    return [data, null];
  },
  lookup: (rt, data, [key], kwargs) => {
    const k = s(kwargs.key ?? key);
    let lookupData: unknown;
    let path: string[];
    if (kwargs.name) {
      path = s(kwargs.name)
        .split('.')
        .map((x) => x.trim());
      lookupData = rt.lookups;
    } else if (kwargs.template) {
      path = s(kwargs.template)
        .split('.')
        .map((x) => x.trim());
      const template = rt.templates.find((t) => t.name === path[0]);
      if (template) {
        lookupData = Array.isArray(template.results) ? template.results[0] : template.results;
        path = path.slice(1);
      }
    } else if (kwargs.group) {
      path = s(kwargs.group)
        .split('.')
        .map((x) => x.trim());
      if (isDict(rt.mainResults) && path[0] in rt.mainResults) {
        lookupData = rt.mainResults[path[0]];
      } else {
        for (const result of rt.templateResults) {
          if (isDict(result) && path[0] in result) {
            lookupData = result[path[0]];
            break;
          }
        }
      }
      path = path.slice(1);
    } else {
      return [data, null];
    }
    for (const part of path) lookupData = isDict(lookupData) ? (lookupData[part] ?? {}) : {};
    if (!isDict(lookupData) || !(s(data[k]) in lookupData)) return [data, null];
    const found = lookupData[s(data[k])];
    const addField = kwargs.add_field;
    if (addField) data[s(addField)] = found;
    else if (kwargs.update === true && isDict(found)) Object.assign(data, found);
    else if (kwargs.replace !== false) data[k] = found;
    return [data, null];
  },
};
