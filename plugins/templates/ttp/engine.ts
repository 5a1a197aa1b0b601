import { Template } from './template.ts';
import { ResultsBuilder } from './results.ts';
import { runGroup, sortedMatches } from './matcher.ts';
import type { Dict, Runtime } from './runtime.ts';
import type { Group } from './groups.ts';
import { IpValue } from './ip.ts';
import { isDict } from './runtime.ts';

export type Structure = 'list' | 'dictionary' | 'flat_list';

/**
 * The TTP engine: `new TtpEngine(template)`, `addInput(text)`, `parse()`, `result(structure)`.
 * Mirrors `ttp(data=..., template=...)`: data given here goes to every template.
 */
export class TtpEngine {
  readonly templates: Template[];
  readonly globalVars: Dict = {};

  constructor(template: string) {
    const top = new Template(template);
    this.templates = top.templates.length ? top.templates : [top];
  }

  /** True when the template holds `<macro>` Python code, which this engine does not run. */
  get usesMacro(): boolean {
    return this.templates.some((t) => t.hasMacro);
  }

  addInput(text: string, inputName = 'Default_Input', groups: string[] = ['all']): void {
    for (const t of this.templates) t.addInputData(text, inputName, groups);
  }

  parse(): void {
    for (const template of this.templates) {
      if (template.resultsMethod.toLowerCase() === 'per_template') {
        let results: unknown = {};
        for (const input of template.inputs.values()) {
          for (const datum of input.data) results = this.parseDatum(template, datum, input.groupsIndexes, results);
        }
        template.formResults(results);
      } else {
        for (const input of template.inputs.values()) {
          for (const datum of input.data) template.formResults(this.parseDatum(template, datum, input.groupsIndexes, {}));
        }
      }
    }
    for (const template of this.templates) template.runOutputs();
    for (const template of this.templates) template.results = toPlain(template.results);
  }

  private parseDatum(template: Template, datum: string, groupsIndexes: number[], mainResults: unknown): unknown {
    const text = '\n' + datum + '\n\n';
    const vars: Dict = { ...template.vars };
    const rt: Runtime = {
      vars,
      globalVars: this.globalVars,
      lookups: template.lookups,
      results: null,
      mainResults,
      templateResults: Array.isArray(template.results) ? template.results : [template.results],
      templates: this.templates,
    };
    runVarFunctions(vars, text);
    for (const g of template.groups) g.setRuns();
    const raw = [];
    for (const index of groupsIndexes) {
      const group = template.groups[index];
      if (!group) continue;
      const matches = runGroup(rt, text, group, new Map());
      if (matches.size) raw.push(sortedMatches(matches));
    }
    for (const g of template.groups) updateRuns(g, this.globalVars);
    for (const g of template.groups) updateRuns(g, vars);
    const builder = new ResultsBuilder(rt);
    rt.results = builder;
    builder.makeResults(vars, raw, mainResults);
    return builder.results;
  }

  result(structure: Structure = 'list'): unknown {
    if (structure === 'dictionary') {
      const out: Dict = {};
      for (const t of this.templates) if (t.name) out[t.name] = t.results;
      return out;
    }
    if (structure === 'flat_list') {
      const out: unknown[] = [];
      for (const t of this.templates) {
        if (Array.isArray(t.results)) {
          for (const item of t.results) {
            if (Array.isArray(item)) out.push(...item);
            else out.push(item);
          }
        } else out.push(t.results);
      }
      return out;
    }
    return this.templates.map((t) => t.results);
  }
}

function updateRuns(group: Group, data: Dict): void {
  group.updateRuns(data);
}

/** Variable getters: currently `gethostname` (from the device prompt in the text). */
function runVarFunctions(vars: Dict, text: string): void {
  const functions = (vars._var_functions_ ?? {}) as Record<string, string>;
  for (const [name, getter] of Object.entries(functions)) {
    if (getter === 'gethostname') {
      const hostname = getHostname(text);
      if (hostname) vars[name] = hostname;
    }
  }
}

const PROMPTS: RegExp[] = [
  /\n\S+@(\S+)>.*(?=\n)/, // Juniper user@host>
  /\n\S+@(\S+)#.*(?=\n)/,
  /\n\[\S+@(\S+)\].*(?=\n)/,
  /\nRP\/\d+\/\S+\/CPU\d+:(\S+)#.*(?=\n)/, // IOS-XR
  /\n<(\S+)>.*(?=\n)/, // Huawei
  /\n(\S+)\(config[^)]*\)#.*(?=\n)/,
  /\n(\S+)#.*(?=\n)/, // Cisco
  /\n(\S+)>.*(?=\n)/,
];

function getHostname(text: string): string | undefined {
  for (const re of PROMPTS) {
    const m = re.exec(text.slice(0, 5000));
    if (m) return m[1];
  }
  return undefined;
}

/** Replaces engine-internal values (IP objects) with what they print as. */
function toPlain(value: unknown): unknown {
  if (value instanceof IpValue) return value.toString();
  if (Array.isArray(value)) return value.map(toPlain);
  if (isDict(value)) {
    for (const k of Object.keys(value)) value[k] = toPlain(value[k]);
    return value;
  }
  return value;
}
