import { getAttributes, type FunctionCall } from './attributes.ts';
import { MatchVariable, NOT_GIVEN, type SaveAction } from './variables.ts';
import { compilePy } from './patterns.ts';
import type { XmlElement } from './xml.ts';
import { NetPulseError } from '../../../core/errors.ts';

/** One compiled template line: its regex, the variables it captures and its save action. */
export interface LineRegex {
  regex: RegExp;
  source: string;
  variables: Record<string, MatchVariable>;
  action: SaveAction;
  group: Group;
  isLine: boolean;
}

export interface GroupOptions {
  index: number;
  top: boolean;
  path: string[];
  pathChar: string;
  vars: Record<string, unknown>;
  parentGroupId: GroupId | null;
  /** Enclosing groups, outermost first. */
  ancestors?: Group[];
}

/** `[name, index]`; compared by value. */
export type GroupId = [string, number];

export function sameGroupId(a: GroupId | null | undefined, b: GroupId | null | undefined): boolean {
  return !!a && !!b && a[0] === b[0] && a[1] === b[1];
}

const VARIABLE_IN_LINE = /{{([\S\s]+?)}}/g;

/** A `<group>`: its regexes (start / normal / end), attributes, functions and child groups. */
export class Group {
  readonly pathChar: string;
  readonly top: boolean;
  path: string[];
  defaults: Record<string, unknown> = {};
  default: unknown = NOT_GIVEN;
  hasStartReDefault = false;
  outputs: string[] = [];
  funcs: FunctionCall[] = [];
  method = 'group';
  startRe: LineRegex[] = [];
  endRe: LineRegex[] = [];
  re: LineRegex[] = [];
  children: Group[] = [];
  name = '';
  groupId: GroupId = ['', 0];
  readonly parentGroupId: GroupId | null;
  /** Enclosing groups, outermost first. */
  readonly ancestors: readonly Group[];
  readonly vars: Record<string, unknown>;
  readonly index: number;
  inputs: string[] = [];

  constructor(element: XmlElement, opts: GroupOptions) {
    this.pathChar = opts.pathChar;
    this.top = opts.top;
    this.path = [...opts.path];
    this.vars = opts.vars;
    this.index = opts.index;
    this.parentGroupId = opts.parentGroupId;
    this.ancestors = opts.ancestors ?? [];
    this.getAttributes(element.attrib);
    this.setAnonymousPath();
    this.getRegexes(element.text);
    this.getChildren(element.children);
  }

  private setAnonymousPath(): void {
    if (this.name === '') {
      this.path = this.top ? ['_anonymous_*'] : this.path;
      this.name = this.path.join('.');
      this.groupId = [this.name, this.index];
    }
  }

  private getAttributes(attrib: [string, string][]): void {
    const extractChain = (value: string): void => {
      const variable = this.vars[value] ?? value;
      const calls = Array.isArray(variable)
        ? variable.flatMap((v) => getAttributes(String(v)))
        : getAttributes(String(variable));
      for (const call of calls) {
        const option = options[call.name];
        if (option) option(String(call.args[0] ?? ''));
        else this.funcs.push(call);
      }
    };
    const options: Record<string, (value: string) => void> = {
      method: (v) => {
        this.method = v.toLowerCase().trim();
      },
      input: (v) => {
        if (this.top) this.inputs = v.split(',').map((i) => i.trim());
      },
      output: (v) => {
        if (this.top) this.outputs = v.split(',').map((i) => i.trim());
      },
      name: (v) => {
        if (v.startsWith('/')) {
          const rest = v.replace(/^\/+/, '');
          if (this.path.includes('_anonymous_')) this.path = ['_anonymous_*', ...rest.split(this.pathChar)];
          else if (v === '/') this.path = ['_anonymous_*'];
          else this.path = rest.split(this.pathChar);
        } else {
          this.path = [...this.path, ...v.split(this.pathChar)];
        }
        this.name = this.path.join('.');
        this.groupId = [this.name, this.index];
      },
      default: (v) => {
        this.default = v in this.vars ? this.vars[v] : v;
      },
      chain: extractChain,
      functions: extractChain,
    };
    for (const [name, value] of attrib) {
      const option = options[name.toLowerCase()];
      if (option) option(value);
      else this.funcs.push(getAttributes(`${name}(${value})`)[0]);
    }
  }

  getRegexes(text: string, tail = false): void {
    const regexes: LineRegex[] = [];
    for (const rawLine of text.split(/\r\n|\n|\r/)) {
      if (!rawLine.trim()) continue;
      if (rawLine.trimStart().startsWith('##')) continue;
      const line = rawLine.trimEnd();
      const variables = [...line.matchAll(VARIABLE_IN_LINE)].map((m) => m[1]);
      // TTP skips lines without match variables (with a warning).
      if (variables.length === 0) continue;
      let regex = '';
      const vars: Record<string, MatchVariable> = {};
      let action: SaveAction = 'add';
      let isLine = false;
      let skipRegex = false;
      for (const variable of variables) {
        const v = new MatchVariable(variable, line, this);
        if (v.skipRegexDict) {
          skipRegex = true;
          continue;
        }
        if (!v.skipVariableDict) {
          vars[v.varName] = v;
          vars[v.varNameOriginal] = v;
        }
        regex = v.formRegex(regex);
        Object.assign(vars, v.subVariables);
        if (!isLine) isLine = v.isLine;
        if (!action.includes('start') && v.varName !== 'ignore') action = v.saveAction;
      }
      if (skipRegex) continue;
      let compiled: RegExp;
      try {
        compiled = compilePy(regex, 'g');
      } catch (e) {
        throw new NetPulseError(
          'NP_ERR_TEMPLATE',
          `TTP: invalid regex for line '${line.trim()}': ${(e as Error).message}`,
        );
      }
      regexes.push({ regex: compiled, source: regex, variables: vars, action, group: this, isLine });
    }
    regexes.forEach((r, index) => {
      if (r.action.includes('end')) this.endRe.push(r);
      else if (tail) this.re.push(r);
      else if (index === 0) {
        if (!r.action.includes('start')) r.action = 'start';
        this.startRe.push(r);
      } else if (this.method === 'table') {
        if (!r.action.includes('start')) r.action = 'start';
        this.startRe.push(r);
      } else if (r.action.includes('start')) this.startRe.push(r);
      else this.re.push(r);
    });
    if (this.default !== null && typeof this.default === 'object' && !Array.isArray(this.default)) {
      Object.assign(this.defaults, this.default);
      if (this.startRe.length === 0) this.hasStartReDefault = true;
    }
    for (const start of this.startRe) {
      if (this.hasStartReDefault) break;
      for (const name of Object.keys(start.variables)) {
        if (name in this.defaults) {
          this.hasStartReDefault = true;
          break;
        }
      }
    }
  }

  private getChildren(children: XmlElement[]): void {
    children.forEach((child, index) => {
      this.children.push(
        new Group(child, {
          index,
          top: false,
          path: this.path,
          pathChar: this.pathChar,
          vars: this.vars,
          parentGroupId: this.groupId,
          ancestors: [...this.ancestors, this],
        }),
      );
      if (child.tail.trim()) this.getRegexes(child.tail, true);
    });
  }
}

/**
 * Per-parse copies of group defaults (TTP's `group.runs`): `set`/`record` may rewrite them while
 * one input is parsed, so they live outside the compiled, shared `Group`.
 */
export type GroupRuns = Map<Group, Record<string, unknown>>;

/** Fresh runs for `groups` and all their descendants, copied from the compiled defaults. */
export function initRuns(groups: readonly Group[], runs: GroupRuns = new Map()): GroupRuns {
  for (const group of groups) {
    runs.set(group, structuredClone(group.defaults));
    initRuns(group.children, runs);
  }
  return runs;
}

/** Replaces default values that name a variable with that variable's value. */
export function updateRuns(runs: GroupRuns, data: Record<string, unknown>): void {
  for (const values of runs.values()) {
    for (const [k, v] of Object.entries(data)) {
      for (const [dk, dv] of Object.entries(values)) {
        if (dv === k) values[dk] = v;
      }
    }
  }
}
