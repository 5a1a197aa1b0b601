import { Template, TemplateRun } from './template.ts';
import { ResultsBuilder, type MatchEntry } from './results.ts';
import { runGroup, sortedMatches } from './matcher.ts';
import type { Dict, Runtime } from './runtime.ts';
import { initRuns, updateRuns } from './groups.ts';
import type { Output } from './outputs.ts';
import { IpValue } from './ip.ts';
import { isDict } from './runtime.ts';
import { compilePy, pyEscape } from './patterns.ts';
import type { FunctionCall } from './attributes.ts';

export type Structure = 'list' | 'dictionary' | 'flat_list';

/** Compiles template text into the templates a parse runs (children of a top `<template>`, or itself). */
export function compileTemplates(text: string): Template[] {
  const top = new Template(text);
  return top.templates.length ? top.templates : [top];
}

/**
 * The TTP engine: `new TtpEngine(template)`, `addInput(text)`, `parse()`, `result(structure)`.
 * Mirrors `ttp(data=..., template=...)`: data given here goes to every template.
 * `template` may be text or templates compiled once with `compileTemplates` and shared: an
 * engine keeps all per-parse state (inputs, variables, group defaults, results) to itself.
 */
export class TtpEngine {
  readonly templates: readonly Template[];
  readonly runs: TemplateRun[];
  readonly globalVars: Dict = {};
  private parsed = false;

  constructor(template: string | readonly Template[]) {
    this.templates = typeof template === 'string' ? compileTemplates(template) : template;
    this.runs = this.templates.map((t) => new TemplateRun(t));
  }

  /** True when the template holds `<macro>` Python code, which this engine does not run. */
  get usesMacro(): boolean {
    return this.templates.some((t) => t.hasMacro);
  }

  addInput(text: string, inputName = 'Default_Input', groups: string[] = ['all']): void {
    for (const run of this.runs) run.addInputData(text, inputName, groups);
  }

  parse(): void {
    if (this.parsed) throw new Error('TtpEngine.parse() may run once; create a new engine to parse again');
    this.parsed = true;
    for (const run of this.runs) {
      const template = run.template;
      if (template.resultsMethod.toLowerCase() === 'per_template') {
        let results: unknown = {};
        for (const input of run.inputs.values()) {
          for (const datum of input.data) {
            results = this.parseDatum(run, runInputFunctions(datum, input.functions), input.groupsIndexes, results);
          }
        }
        run.formResults(results);
      } else {
        for (const input of run.inputs.values()) {
          for (const datum of input.data) {
            run.formResults(this.parseDatum(run, runInputFunctions(datum, input.functions), input.groupsIndexes, {}));
          }
        }
      }
    }
    for (const run of this.runs) run.runOutputs();
    for (const run of this.runs) run.results = toPlain(run.results);
  }

  private parseDatum(run: TemplateRun, datum: string, groupsIndexes: number[], mainResults: unknown): unknown {
    const template = run.template;
    const text = '\n' + datum + '\n\n';
    const vars: Dict = { ...template.vars };
    const rt: Runtime = {
      vars,
      globalVars: this.globalVars,
      lookups: template.lookups,
      results: null,
      mainResults,
      templateResults: Array.isArray(run.results) ? run.results : [run.results],
      templates: this.runs,
      groupRuns: initRuns(template.groups),
    };
    runVarFunctions(vars, text);
    const raw: MatchEntry[][][] = [];
    const withOutputs: [MatchEntry[][], Output[]][] = [];
    for (const index of groupsIndexes) {
      const group = template.groups[index];
      if (!group) continue;
      const matches = runGroup(rt, text, group, new Map());
      const outputs = template.groupOutputs.get(group);
      if (outputs) withOutputs.push([sortedMatches(matches), outputs]);
      else if (matches.size) raw.push(sortedMatches(matches));
    }
    updateRuns(rt.groupRuns, this.globalVars);
    updateRuns(rt.groupRuns, vars);
    const builder = new ResultsBuilder(rt);
    rt.results = builder;
    builder.makeResults(vars, raw, mainResults);
    let results = builder.results;
    // Groups with their own outputs are formed separately, run through those outputs and
    // appended to this input's results, which become a list.
    for (const [matches, outputs] of withOutputs) {
      if (!matches.length) continue;
      const groupBuilder = new ResultsBuilder(rt);
      rt.results = groupBuilder;
      groupBuilder.makeResults(vars, [matches], {});
      let groupResult = toPlain(groupBuilder.results);
      for (const output of outputs) groupResult = output.run(groupResult);
      if (!Array.isArray(results)) results = isDict(results) && Object.keys(results).length ? [results] : [];
      (results as unknown[]).push(groupResult);
    }
    return results;
  }

  result(structure: Structure = 'list'): unknown {
    if (structure === 'dictionary') {
      const out: Dict = {};
      for (const t of this.runs) if (t.name) out[t.name] = t.results;
      return out;
    }
    if (structure === 'flat_list') {
      const out: unknown[] = [];
      for (const t of this.runs) {
        if (Array.isArray(t.results)) {
          for (const item of t.results) {
            if (Array.isArray(item)) out.push(...item);
            else out.push(item);
          }
        } else out.push(t.results);
      }
      return out;
    }
    return this.runs.map((t) => t.results);
  }
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

/** Input functions applied to each datum before parsing; `extract_commands` is supported. */
function runInputFunctions(datum: string, functions: readonly FunctionCall[]): string {
  let data = datum;
  for (const call of functions) {
    if (call.name === 'extract_commands')
      data = extractCommands(
        data,
        call.args.map((a) => String(a)),
      );
  }
  return data;
}

/**
 * Keeps only the output of the given commands: each `<hostname>[#>] <command>` line and the
 * text after it up to the next prompt. Data without a recognisable prompt is left unchanged.
 */
function extractCommands(data: string, commands: string[]): string {
  const hostname = getHostname('\n' + data);
  if (!hostname) return data;
  let out = '';
  for (const command of commands) {
    let re: RegExp;
    try {
      re = compilePy(`${hostname}[#>] *${command} *\\n([\\S\\s]+?)(?=${hostname}[#>]|\\n?(?![\\s\\S]))`);
    } catch {
      re = compilePy(
        `${pyEscape(hostname)}[#>] *${pyEscape(command)} *\\n([\\S\\s]+?)(?=${pyEscape(hostname)}[#>]|\\n?(?![\\s\\S]))`,
      );
    }
    const m = re.exec(data);
    if (m) out += `\n${m[0]}\n`;
  }
  return out || data;
}

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
