import type { FunctionCall } from './attributes.ts';
import type { Group, GroupId, LineRegex } from './groups.ts';
import { sameGroupId } from './groups.ts';
import { GROUP_FUNCTIONS } from './group-functions.ts';
import { isDict, pyStr, type Dict, type ResultsAccess, type Runtime } from './runtime.ts';

/** A path element after dynamic substitution: `[key, asterisks]` (`*` = list, `**` = merge). */
export type PathItem = [string, string];
type AnyPath = (string | PathItem)[];

/** One regex match at one text position: the line regex and its result (`false` = failed checks). */
export type MatchEntry = [LineRegex, Dict | false];

interface RecordState {
  result: Dict;
  PATH: AnyPath;
  FUNCTIONS: FunctionCall[];
  DEFAULTS: Dict;
  GRP_ID: GroupId | null;
}

const emptyRecord = (): RecordState => ({ result: {}, PATH: [], FUNCTIONS: [], DEFAULTS: {}, GRP_ID: null });

/**
 * Forms the nested result structure from sorted matches, as TTP's `_results_class` does:
 * `start` opens a group record, `add`/`join` fill it, the next `start` saves it under its
 * (dynamic) path; `_end_` and failed checks lock a group so later lines are not added.
 */
export class ResultsBuilder implements ResultsAccess {
  results: unknown = {};
  record: RecordState = emptyRecord();
  dynPathCache: Dict = {};
  private startedGroups: GroupId[] = [];
  private lock: { locked: boolean; path: string[] } = { locked: false, path: [] };
  /** Groups ended by an `_end_` match and not started again since. */
  private readonly ended = new Set<Group>();
  private variables: Dict = {};

  constructor(private readonly rt: Runtime) {}

  makeResults(variables: Dict, rawResults: MatchEntry[][][], mainResults: unknown): void {
    this.results = mainResults;
    this.variables = variables;
    if (rawResults.length) this.saveVars(variables);
    for (const groupResults of rawResults) {
      this.lock = { locked: false, path: [] };
      this.ended.clear();
      for (const result of groupResults) {
        let chosen: MatchEntry = result[0];
        if (result.length > 1) chosen = this.choose(result);
        const [re, resultData] = chosen;
        const group = re.group;
        if (resultData === false) {
          this.lock = { locked: true, path: group.path };
          continue;
        } else if (this.lock.locked) {
          const lockedPath = this.lock.path;
          const groupPath = group.path.join('.');
          if (re.action.startsWith('start')) {
            if (samePath(group.path, lockedPath)) this.lock = { locked: false, path: [] };
            else if (groupPath.startsWith(lockedPath.join('.'))) continue;
            else this.lock = { locked: false, path: [] };
          } else if (groupPath.startsWith(lockedPath.join('.'))) {
            continue;
          }
        }
        // A group closed by `_end_` takes no further children until it starts again.
        if (re.action.startsWith('start') && group.ancestors.some((a) => this.ended.has(a))) continue;
        this.save(re, resultData, group);
      }
    }
    if (this.processGroup() !== false) this.saveCurElements(this.record.result, this.record.PATH as PathItem[]);
  }

  private choose(result: MatchEntry[]): MatchEntry {
    const startRe: number[] = [];
    const normalRe: number[] = [];
    const lineRe: number[] = [];
    result.forEach(([re], index) => {
      if (re.isLine) lineRe.push(index);
      else if (re.action.startsWith('start')) startRe.push(index);
      else normalRe.push(index);
    });
    let chosen: MatchEntry = result[0];
    if (startRe.length) {
      for (const index of startRe) {
        chosen = result[index];
        const [re, data] = chosen;
        if (data === false) continue;
        if (sameGroupId(re.group.groupId, this.record.GRP_ID)) break;
        if (this.record.GRP_ID && re.group.groupId[0].startsWith(this.record.GRP_ID[0])) break;
      }
    } else {
      const candidates = normalRe.length ? normalRe : lineRe;
      let started: MatchEntry | undefined;
      for (const index of candidates) {
        chosen = result[index];
        if (sameGroupId(chosen[0].group.groupId, this.record.GRP_ID)) return chosen;
        if (!started && this.startedGroups.some((id) => sameGroupId(id, chosen[0].group.groupId))) started = chosen;
      }
      // Otherwise prefer a group that is open (an ancestor of the current record).
      if (started) return started;
    }
    return chosen;
  }

  private save(re: LineRegex, result: Dict, group: Group): void {
    const path = [...group.path];
    switch (re.action) {
      case 'start':
        this.start(result, path, group, false);
        break;
      case 'startempty':
        this.start(result, path, group, true);
        break;
      case 'add':
        this.add(result, path, group);
        break;
      case 'join':
        this.join(result, path, re);
        break;
      case 'end':
        this.end(path, group);
        break;
    }
  }

  private saveVars(variables: Dict): void {
    const toResults = (variables._vars_to_results_ ?? {}) as Record<string, string[]>;
    for (const pathItem of Object.keys(toResults).sort()) {
      if (!pathItem) continue;
      const result: Dict = {};
      for (const name of toResults[pathItem]) if (name in variables) result[name] = variables[name];
      this.record = { ...emptyRecord(), result, PATH: pathItem.split('.').map((i) => i.trim()) };
      const processed = this.formPath(this.record.PATH as string[]);
      if (!processed || processed.length === 0) continue;
      this.record.PATH = processed;
      this.saveCurElements(this.record.result, processed);
    }
    this.record = emptyRecord();
  }

  private traceStart(group: Group): void {
    while (this.startedGroups.length) {
      if (sameGroupId(group.parentGroupId, this.startedGroups[this.startedGroups.length - 1])) {
        this.startedGroups.push(group.groupId);
        return;
      }
      this.startedGroups.pop();
    }
    this.startedGroups.push(group.groupId);
  }

  private start(result: Dict, path: string[], group: Group, empty: boolean): void {
    this.traceStart(group);
    this.ended.delete(group);
    if (this.processGroup() !== false) this.saveCurElements(this.record.result, this.record.PATH as PathItem[]);
    this.record = {
      result: empty ? {} : result,
      DEFAULTS: { ...(this.rt.groupRuns.get(group) ?? {}) },
      PATH: path,
      FUNCTIONS: group.funcs,
      GRP_ID: group.groupId,
    };
  }

  private add(result: Dict, path: string[], group: Group): void {
    if (samePath(this.record.PATH, path)) {
      this.record.result = { ...result, ...this.record.result };
    } else if (this.startedGroups.some((id) => sameGroupId(id, group.groupId))) {
      const processed = this.formPath(path);
      if (processed === false) return;
      const element = this.dictByPath(processed, this.results);
      const target = isDict(element)
        ? element
        : Array.isArray(element) && isDict(element[element.length - 1])
          ? (element[element.length - 1] as Dict)
          : undefined;
      if (!target) return;
      // The group record was already saved (a child group started), so its functions have run;
      // `expand` must still shape these late matches like the rest of the record.
      if (group.funcs.some((f) => f.name === 'expand'))
        deepMerge(target, GROUP_FUNCTIONS.expand(this.rt, result, [], {})[0]);
      else Object.assign(target, result);
    }
  }

  private join(result: Dict, path: string[], re: LineRegex): void {
    if (!samePath(this.record.PATH, path)) return;
    let joinChar = '\n';
    for (const name of Object.keys(result)) {
      const variable = re.variables[name];
      if (!variable) continue;
      const call = variable.functions.find((f) => f.name === 'joinmatches');
      if (call) {
        joinChar = call.args.length ? pyStr(call.args[0]) : joinChar;
        break;
      }
    }
    const record = this.record.result;
    for (const [k, v] of Object.entries(result)) {
      if (k in record) {
        const existing = record[k];
        if (typeof existing === 'string') record[k] = existing + joinChar + pyStr(v);
        else if (Array.isArray(existing)) {
          if (Array.isArray(v)) existing.push(...v);
          else existing.push(v);
        } else record[k] = [existing, v];
      } else {
        record[k] = v;
      }
    }
  }

  private end(path: string[], group: Group): void {
    const last = this.startedGroups[this.startedGroups.length - 1];
    if (!samePath(this.record.PATH, path) && sameGroupId(group.groupId, last)) return;
    this.lock = { locked: true, path: [...path] };
    this.ended.add(group);
  }

  formPath(path: (string | PathItem)[]): PathItem[] | false {
    for (let index = 0; index < path.length; index++) {
      const raw = path[index];
      let item = typeof raw === 'string' ? raw : raw[0] + raw[1];
      const stars = item.length - item.replace(/\*+$/, '').length;
      item = item.replace(/\*+$/, '');
      const names = [...item.matchAll(/{{\s*(\S+)\s*}}/g)].map((m) => m[1]);
      for (const name of names) {
        const pattern = new RegExp('{{\\s*' + escapeRe(name) + '\\s*}}', 'g');
        let replacement: string;
        // After `itemize` the record result may be a plain value rather than a dict.
        if (isDict(this.record.result) && name in this.record.result) {
          this.dynPathCache[name] = this.record.result[name];
          replacement = pyStr(this.record.result[name]);
          delete this.record.result[name];
        } else if (name in this.dynPathCache) {
          replacement = pyStr(this.dynPathCache[name]);
        } else if (name in this.variables) {
          replacement = pyStr(this.variables[name]);
        } else {
          return false;
        }
        item = item.replace(pattern, () => replacement);
      }
      path[index] = [item, '*'.repeat(stars)];
    }
    return path as PathItem[];
  }

  private processGroup(): boolean | undefined {
    for (const [k, v] of Object.entries(this.record.DEFAULTS)) {
      if (!(k in this.record.result)) this.record.result[k] = v;
    }
    // Lines such as a bare `{{ _start_ }}` match empty lines; TTP does not save empty records.
    if (Object.keys(this.record.result).length === 0) return false;
    if (!isDict(this.record.result)) return this.formPathOrFail();
    for (const call of this.record.FUNCTIONS) {
      const fn = GROUP_FUNCTIONS[call.name];
      if (!fn) continue;
      const [data, flag] = fn(this.rt, this.record.result, call.args, call.kwargs);
      this.record.result = data;
      if (flag === false) return false;
      if (!isDict(this.record.result)) break;
    }
    return this.formPathOrFail();
  }

  private formPathOrFail(): false | undefined {
    const processed = this.formPath(this.record.PATH);
    if (processed && processed.length > 0) {
      this.record.PATH = processed;
      return undefined;
    }
    return false;
  }

  private valueToList(data: unknown, path: PathItem[], result: unknown): unknown {
    if (path.length) {
      let name = path[0][0];
      if (name === '_') {
        if (path.length === 1) {
          if (isDict(data)) Object.assign(data, result);
          else if (Array.isArray(data)) Object.assign(data[data.length - 1] as Dict, result);
          return data;
        }
        path.shift();
        name = path[0][0];
      }
      if (isDict(data)) {
        if (name in data) {
          data[name] = this.valueToList(data[name], path.slice(1), result);
          return data;
        }
      } else if (Array.isArray(data)) {
        const last = data[data.length - 1];
        if (isDict(last) && name in last) {
          last[name] = this.valueToList(last[name], path.slice(1), result);
          return data;
        }
      }
      return undefined;
    }
    return [data, result];
  }

  private listToDictFwd(keys: PathItem[]): Dict {
    if (keys.length) {
      const [name, stars] = keys[0];
      if (stars === '*') {
        if (keys.length === 1) return { [name]: [] };
        return { [name]: [this.listToDictFwd(keys.slice(1))] };
      }
      return { [name]: this.listToDictFwd(keys.slice(1)) };
    }
    return {};
  }

  dictByPath(path: PathItem[], element: unknown): unknown {
    if (path.length === 0) return element;
    if (isDict(element)) {
      let name = path[0][0];
      if (name === '_') {
        if (path.length === 1) return element;
        path.shift();
        name = path[0][0];
      }
      if (!(name in element)) Object.assign(element, this.listToDictFwd(path));
      return this.dictByPath(path.slice(1), element[name]);
    }
    if (Array.isArray(element)) {
      if (element.length === 0) element.push(this.listToDictFwd(path));
      return this.dictByPath(path, element[element.length - 1]);
    }
    return undefined;
  }

  saveCurElements(resultData: unknown, resultPath: unknown[]): void {
    const path = resultPath as PathItem[];
    const element = this.dictByPath(path, this.results);
    if (Array.isArray(element)) {
      element.push(resultData);
    } else if (isDict(element)) {
      if (path[path.length - 1]?.[1] === '**') {
        const merged = { ...(resultData as Dict), ...element };
        Object.assign(element, merged);
      } else if (Object.keys(element).length) {
        this.results = this.valueToList(this.results, path, resultData);
      } else {
        Object.assign(element, resultData);
      }
    }
  }
}

function samePath(a: AnyPath, b: AnyPath): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i];
      if (typeof x === 'string' && typeof y === 'string') return x === y;
      if (typeof x !== 'string' && typeof y !== 'string') return x[0] === y[0] && x[1] === y[1];
      return false;
    })
  );
}

/** Merges `source` into `target`, merging nested dictionaries key by key. */
function deepMerge(target: Dict, source: Dict): void {
  for (const [k, v] of Object.entries(source)) {
    const existing = target[k];
    if (isDict(existing) && isDict(v)) deepMerge(existing, v);
    else target[k] = v;
  }
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
