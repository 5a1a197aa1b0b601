import type { Group, LineRegex } from './groups.ts';
import { MATCH_FUNCTIONS, callBuiltin, type MatchFlag } from './functions.ts';
import type { MatchEntry } from './results.ts';
import type { Dict, Runtime } from './runtime.ts';

/** Match positions → matches found there, for one top group and its descendants. */
export type RawMatches = Map<number, MatchEntry[]>;

interface FoundMatch {
  index: number;
  end: number;
  text: string;
  groups: Record<string, string | undefined> | undefined;
}

function findAll(regex: RegExp, text: string): FoundMatch[] {
  const out: FoundMatch[] = [];
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    out.push({ index: m.index, end: m.index + m[0].length, text: m[0], groups: m.groups });
    if (m[0].length === 0) regex.lastIndex++;
  }
  return out;
}

/** Runs a variable's function chain over a matched value. */
function runFunctions(
  rt: Runtime,
  re: LineRegex,
  varName: string,
  value: unknown,
): { data: unknown; failed: boolean; newFields: Dict } {
  let data = value;
  const newFields: Dict = {};
  const variable = re.variables[varName];
  for (const call of variable?.functions ?? []) {
    let flag: MatchFlag = null;
    const fn = MATCH_FUNCTIONS[call.name];
    if (fn) {
      [data, flag] = fn(rt, data, call.args, call.kwargs);
    } else {
      const builtin = callBuiltin(data, call.name, call.args);
      if (builtin) {
        if (builtin.value === false) flag = false;
        else if (builtin.value === true) flag = true;
        else data = builtin.value;
      }
    }
    if (flag === false) return { data, failed: true, newFields };
    if (flag !== null && typeof flag === 'object') Object.assign(newFields, flag.new_field);
  }
  return { data, failed: false, newFields };
}

function checkMatches(rt: Runtime, re: LineRegex, matches: FoundMatch[], results: RawMatches, start: number): void {
  for (const match of matches) {
    let result: Dict | false = {};
    const named = match.groups && Object.keys(match.groups).length ? match.groups : undefined;
    const temp: Record<string, unknown> = {};
    if (named) for (const [k, v] of Object.entries(named)) temp[k] = v ?? null;
    else for (const k of Object.keys(re.variables)) temp[k] = match.text;
    for (const [varName, value] of Object.entries(temp)) {
      const { data, failed, newFields } = runFunctions(rt, re, varName, value);
      if (failed) {
        result = false;
        break;
      }
      const original = re.variables[varName]?.varNameOriginal ?? varName;
      result[original] = data;
      Object.assign(result, newFields);
    }
    if (result === false && !re.action.startsWith('start')) continue;
    const spanStart = start + match.index;
    const list = results.get(spanStart);
    if (list) list.push([re, result]);
    else results.set(spanStart, [[re, result]]);
  }
}

/** TTP's `run_re`: start regexes bound the group, end regexes cut it, children recurse. */
export function runGroup(
  rt: Runtime,
  text: string,
  group: Group,
  results: RawMatches,
  start = 0,
  end = -1,
): RawMatches {
  let s = 0;
  let e = -1;
  let found = false;
  // Text position of the last start match.
  let lastStart = -1;
  const slice = (from: number, to: number): string => text.slice(from, to < 0 ? text.length + to : to);
  for (const re of group.startRe) {
    const matches = findAll(re.regex, slice(start, end));
    if (!matches.length) continue;
    checkMatches(rt, re, matches, results, start);
    if (s > matches[0].index || !found) {
      found = true;
      s = matches[0].index;
    }
    lastStart = Math.max(lastStart, start + matches[matches.length - 1].index);
  }
  start = start + s;
  if (!found) {
    if (group.hasStartReDefault) {
      let key = 10000000;
      while (results.has(key)) key++;
      const startRe: LineRegex =
        group.startRe.length === 0
          ? { regex: /$^/, source: '', variables: {}, action: 'start', group, isLine: false }
          : group.startRe[0];
      results.set(key, [[startRe, {}]]);
    }
    for (const child of group.children) runGroup(rt, text, child, results, start, end);
    return results;
  }
  for (const re of group.endRe) {
    const matches = findAll(re.regex, slice(start, end));
    if (!matches.length) continue;
    checkMatches(rt, re, matches, results, start);
    const last = matches[matches.length - 1];
    if (e < last.end) e = last.end;
  }
  // A start after the last end opens a group that runs on to the end of the scope, so the
  // end matches do not bound this group then.
  if (e !== -1 && start + e > lastStart) {
    end = start + e;
    for (const [spanStart, entries] of [...results.entries()]) {
      const kept = entries.filter(([re]) => !(re.group === group && spanStart > end));
      if (kept.length === 0) results.delete(spanStart);
      else if (kept.length !== entries.length) results.set(spanStart, kept);
    }
  }
  for (const re of group.re) checkMatches(rt, re, findAll(re.regex, slice(start, end)), results, start);
  for (const child of group.children) runGroup(rt, text, child, results, start, end);
  return results;
}

export function sortedMatches(results: RawMatches): MatchEntry[][] {
  return [...results.keys()].sort((a, b) => a - b).map((k) => results.get(k)!);
}
