import { Group } from './groups.ts';
import { loadStruct } from './loaders.ts';
import { Output } from './outputs.ts';
import { isDict, type Dict } from './runtime.ts';
import { elementAttr, parseXml, type XmlElement } from './xml.ts';
import { getAttributes, type FunctionCall } from './attributes.ts';

/** A data source of a template: named input with its texts and the groups it feeds. */
export interface TemplateInput {
  name: string;
  data: string[];
  groupsIndexes: number[];
  functions: FunctionCall[];
}

/** Variable getters TTP runs against each input (`<vars> hostname = "gethostname" </vars>`). */
export const VARIABLE_GETTERS = new Set(['gethostname', 'getfilename']);

/**
 * One compiled TTP template: vars, groups, inputs, lookups, outputs, or child templates.
 * It is immutable once constructed (the data and results of a parse live in a `TemplateRun`),
 * so one instance can serve any number of parses.
 */
export class Template {
  name: string;
  pathChar = '.';
  resultsMethod = 'per_input';
  vars: Dict = { _vars_to_results_: {}, _var_functions_: {} };
  groups: Group[] = [];
  /** Inputs declared in the template, with any data the template itself carries. */
  inputs = new Map<string, TemplateInput>();
  lookups: Dict = {};
  /** Template-wide outputs, run on the template's results. */
  outputs: Output[] = [];
  /** Outputs named by a top group's `output=`, run on that group's results of each input. */
  groupOutputs = new Map<Group, Output[]>();
  templates: Template[] = [];
  doc = '';
  /** Macro code cannot run here; recorded so callers can tell why results may differ. */
  hasMacro = false;

  constructor(source: string | XmlElement, name = '_root_template_') {
    this.name = name;
    let root: XmlElement;
    if (typeof source === 'string') {
      const forest = parseXml(source);
      if (!forest.hasStrayText && forest.roots.length === 1) {
        const only = forest.roots[0];
        if (only.tag.toLowerCase() !== 'template') {
          root = { tag: 'template', attrib: [], text: '', tail: '', children: [only] };
        } else {
          root = only;
          this.applyAttributes(only);
        }
      } else {
        root = { tag: 'template', attrib: [], text: '\n' + forest.text, tail: '', children: forest.roots };
        if (forest.roots.length === 0) root.text = '\n' + forest.text + '\n';
      }
    } else {
      root = source;
      this.applyAttributes(source);
    }
    if (root.children.length === 0) {
      this.parseGroup(
        { tag: 'g', attrib: [['name', '_anonymous_']], text: '\n' + root.text + '\n', tail: '', children: [] },
        0,
      );
    } else {
      this.parseHierarchy(root);
    }
    this.moveVarFunctions();
  }

  private applyAttributes(el: XmlElement): void {
    for (const [k, v] of el.attrib) {
      if (k === 'name') this.name = v;
      else if (k === 'results') this.resultsMethod = v;
      else if (k === 'pathchar') this.pathChar = v;
    }
  }

  private parseGroup(el: XmlElement, index: number): void {
    this.groups.push(
      new Group(el, { index, top: true, path: [], pathChar: this.pathChar, vars: this.vars, parentGroupId: null }),
    );
  }

  private parseHierarchy(root: XmlElement): void {
    const tags: Record<string, XmlElement[]> = {
      vars: [],
      groups: [],
      inputs: [],
      outputs: [],
      lookups: [],
      template: [],
    };
    const kinds: Record<string, string> = {
      v: 'vars',
      vars: 'vars',
      variables: 'vars',
      g: 'groups',
      grp: 'groups',
      group: 'groups',
      o: 'outputs',
      out: 'outputs',
      output: 'outputs',
      i: 'inputs',
      in: 'inputs',
      input: 'inputs',
      lookup: 'lookups',
      template: 'template',
    };
    for (const child of root.children) {
      const tag = child.tag.toLowerCase();
      if (tag === 'macro') this.hasMacro = true;
      else if (tag === 'doc') this.doc += child.text + '\n';
      else if (kinds[tag]) tags[kinds[tag]].push(child);
    }
    tags.template.forEach((t, i) => {
      this.templates.push(new Template(t, String(i)));
    });
    for (const v of tags.vars) this.parseVars(v);
    const outputs = tags.outputs.map((o) => new Output(o));
    for (const l of tags.lookups) this.parseLookup(l);
    tags.groups.forEach((g, i) => {
      this.parseGroup(g, i);
    });
    for (const i of tags.inputs) this.addInputElement(i);
    const groupOutputNames = new Set<string>();
    for (const group of this.groups) {
      if (!group.outputs.length) continue;
      for (const name of group.outputs) groupOutputNames.add(name);
      this.groupOutputs.set(
        group,
        outputs.filter((o) => o.name !== null && group.outputs.includes(o.name)),
      );
    }
    this.outputs = outputs.filter((o) => o.name === null || !groupOutputNames.has(o.name));
  }

  private parseVars(el: XmlElement): void {
    const attrs = Object.fromEntries(el.attrib);
    const loaded = loadStruct(el.text, attrs);
    if (!isDict(loaded)) return;
    Object.assign(this.vars, loaded);
    const path = attrs.name;
    if (path !== undefined) {
      const toResults = this.vars._vars_to_results_ as Record<string, string[]>;
      toResults[path] ??= [];
      for (const key of Object.keys(loaded)) toResults[path].push(key);
    }
  }

  private parseLookup(el: XmlElement): void {
    const name = elementAttr(el, 'name');
    if (name === undefined) return;
    const loaded = loadStruct(el.text, Object.fromEntries(el.attrib));
    if (loaded === null || loaded === undefined) return;
    this.lookups[name] = loaded;
  }

  private moveVarFunctions(): void {
    const functions = this.vars._var_functions_ as Dict;
    for (const [k, v] of Object.entries(this.vars)) {
      if (typeof v === 'string' && VARIABLE_GETTERS.has(v)) functions[k] = v;
    }
    for (const k of Object.keys(functions)) delete this.vars[k];
  }

  /** Indexes of the top groups that parse data of input `inputName` restricted to `groups`. */
  groupsFor(inputName: string, groups: string[]): number[] {
    const inputGroups = groups.includes('all')
      ? this.groups.filter((g) => g.inputs.length === 0).map((g) => g.index)
      : this.groups.filter((g) => groups.includes(g.name) && g.inputs.length === 0).map((g) => g.index);
    const groupInputs = this.groups.filter((g) => g.inputs.includes(inputName)).map((g) => g.index);
    return [...new Set(groupInputs.length ? groupInputs : inputGroups)].sort((a, b) => a - b);
  }

  private addInputElement(el: XmlElement): void {
    const attrs = Object.fromEntries(el.attrib);
    const name = (attrs.name ?? 'Default_Input').trim();
    const groups = (attrs.groups ?? 'all').split(',').map((g) => g.trim());
    const load = (attrs.load ?? 'python').trim();
    const functions: FunctionCall[] = [];
    if (attrs.functions) functions.push(...getAttributes(attrs.functions));
    if (attrs.extract_commands) {
      functions.push({
        name: 'extract_commands',
        args: attrs.extract_commands
          .split(',')
          .map((c) => c.trim())
          .filter((c) => c),
        kwargs: {},
      });
    }
    const data = load === 'text' && el.text ? [el.text] : [];
    this.mergeInput({ name, data, groupsIndexes: this.groupsFor(name, groups), functions });
  }

  private mergeInput(input: TemplateInput): void {
    mergeInput(this.inputs, input);
  }
}

/** Adds `input` to `inputs`, merging data and groups into an input of the same name. */
export function mergeInput(inputs: Map<string, TemplateInput>, input: TemplateInput): void {
  const existing = inputs.get(input.name);
  if (!existing) {
    inputs.set(input.name, input);
    return;
  }
  for (const d of input.data) if (!existing.data.includes(d)) existing.data.push(d);
  existing.groupsIndexes = [...new Set([...existing.groupsIndexes, ...input.groupsIndexes])];
}

/**
 * The per-parse state of one template: its inputs (the template's own plus data added for
 * this parse) and the results formed from them.
 */
export class TemplateRun {
  readonly inputs = new Map<string, TemplateInput>();
  results: unknown = [];

  constructor(readonly template: Template) {
    for (const input of template.inputs.values()) {
      this.inputs.set(input.name, { ...input, data: [...input.data], groupsIndexes: [...input.groupsIndexes] });
    }
  }

  get name(): string {
    return this.template.name;
  }

  /** Adds data to an input (creating it); used for data given to the parser from outside. */
  addInputData(text: string, name = 'Default_Input', groups: string[] = ['all']): void {
    mergeInput(this.inputs, {
      name,
      data: [text],
      groupsIndexes: this.template.groupsFor(name, groups),
      functions: [],
    });
  }

  formResults(result: unknown): void {
    let datum: unknown = result;
    if (isDict(result) && '_anonymous_' in result) {
      datum = result._anonymous_;
      delete result._anonymous_;
      if (Object.keys(result).length) {
        if (Array.isArray(datum)) datum.push(result);
        else datum = [datum, result];
      }
    }
    if (this.template.resultsMethod === 'per_template') this.results = datum;
    else (this.results as unknown[]).push(datum);
  }

  runOutputs(): void {
    for (const output of this.template.outputs) this.results = output.run(this.results);
  }
}
