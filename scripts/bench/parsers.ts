/**
 * `npm run bench -- parsers [--iterations N] [--no-python]`: parser engines over the shared
 * conformance corpora, side by side with the Python reference implementations.
 *
 * TextFSM: every case of the TextFSM corpus (NETPULSE_CORPORA_DIR), (a) through the CliTable index (lookup, template
 * from the library cache, parse, merge) and (b) with the case's first template precompiled. Python
 * textfsm is timed in-process by scripts/bench/textfsm_ref.py, so interpreter start-up and file
 * reading are excluded on both sides. Figures are medians over the iterations.
 */
import { silentLogger } from '../../core/log/silent.ts';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TemplateLibrary, compileTemplate, parseText } from '../../plugins/templates/textfsm/index.ts';
import type { CompiledTemplate } from '../../plugins/templates/textfsm/index.ts';
import { loadConfig } from '../../core/config/load.ts';
import { PluginRegistry } from '../../core/plugin/registry.ts';
import { loadPluginModule } from '../../core/plugin/loader.ts';
import { pluginContext } from '../../core/plugin/define.ts';
import { TemplateService } from '../../core/templates/service.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PYTHON = '/usr/bin/python3';

interface BenchOptions {
  iterations: number;
  python: boolean;
}

interface ManifestCase {
  platform: string;
  command: string;
  case: string;
  templates: string[];
}

interface ReferenceTimes {
  cases: number;
  iterations: number;
  index_ms: number[];
  precompiled_ms: number[];
}

export interface BenchRow {
  name: string;
  cases: number;
  oursMs: number;
  referenceMs: number | null;
}

function corporaDir(): string {
  return process.env.NETPULSE_CORPORA_DIR ?? resolve(PROJECT_ROOT, '..', 'shared', 'corpora');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function parseArgs(argv: string[]): BenchOptions {
  const options: BenchOptions = { iterations: 10, python: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--iterations') options.iterations = Math.max(1, Number(argv[++i]) || 10);
    else if (argv[i] === '--no-python') options.python = false;
  }
  return options;
}

function timeIterations(iterations: number, body: () => void): number[] {
  body(); // warm-up: compiles templates and lets V8 optimise the hot paths
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    body();
    times.push(performance.now() - t0);
  }
  return times;
}

/** TextFSM engine vs python3-textfsm over the TextFSM corpus. */
export async function benchTextfsm(options: BenchOptions): Promise<BenchRow[]> {
  const corpus = join(corporaDir(), 'textfsm');
  if (!existsSync(join(corpus, 'manifest.json'))) {
    console.log(`textfsm: corpus not found at ${corpus} (set NETPULSE_CORPORA_DIR); skipped`);
    return [];
  }
  const templatesDir = join(corpus, 'templates');
  const manifest = JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8')) as ManifestCase[];
  const cases = manifest.map((c) => ({ c, raw: readFileSync(join(corpus, c.case + '.raw'), 'utf8') }));
  const library = new TemplateLibrary(templatesDir);
  const compiled = new Map<string, CompiledTemplate>();
  for (const { c } of cases) {
    const name = c.templates[0];
    if (!compiled.has(name)) compiled.set(name, compileTemplate(readFileSync(join(templatesDir, name), 'utf8')));
  }

  const indexTimes = timeIterations(options.iterations, () => {
    for (const { c, raw } of cases) library.parseCmd(raw, { Command: c.command, Platform: c.platform });
  });
  const precompiledTimes = timeIterations(options.iterations, () => {
    for (const { c, raw } of cases) parseText(compiled.get(c.templates[0])!, raw);
  });

  const sandboxTimes = await timeSandbox(
    options.iterations,
    cases.map(({ c, raw }) => ({ template: readFileSync(join(templatesDir, c.templates[0]), 'utf8'), raw })),
  );

  let reference: ReferenceTimes | null = null;
  if (options.python) {
    if (!existsSync(PYTHON)) {
      console.log(`textfsm: ${PYTHON} not found; reference column left empty`);
    } else {
      try {
        const script = join(PROJECT_ROOT, 'scripts', 'bench', 'textfsm_ref.py');
        const out = execFileSync(PYTHON, [script, corpus, String(options.iterations)], {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        });
        reference = JSON.parse(out) as ReferenceTimes;
      } catch (err) {
        console.log(`textfsm: python3-textfsm reference failed: ${(err as Error).message.split('\n')[0]}`);
      }
    }
  }
  return [
    {
      name: 'textfsm via CliTable index',
      cases: cases.length,
      oursMs: median(indexTimes),
      referenceMs: reference ? median(reference.index_ms) : null,
    },
    {
      name: 'textfsm precompiled template',
      cases: cases.length,
      oursMs: median(precompiledTimes),
      referenceMs: reference ? median(reference.precompiled_ms) : null,
    },
    // What /template/parse and in-job parsing pay: IPC to the template sandbox process per case.
    {
      name: 'textfsm through the sandbox',
      cases: cases.length,
      oursMs: median(sandboxTimes),
      referenceMs: reference ? median(reference.precompiled_ms) : null,
    },
  ];
}

/** Each case as one `TemplateService.parse` call (template text inline), run one after another. */
async function timeSandbox(iterations: number, cases: { template: string; raw: string }[]): Promise<number[]> {
  const { config } = await loadConfig({ cwd: PROJECT_ROOT, env: {}, skipConfigTs: true });
  // Throughput, not limits, is measured here: a loaded machine must not turn a slow case into a kill.
  config.templates.sandbox.timeout_ms = 120_000;
  const registry = new PluginRegistry();
  // Only the TextFSM plugin, registered as the server registers its built-ins (drivers need the
  // server's DI container, and the sandbox loads only template plugins anyway).
  await loadPluginModule(registry, './templates/textfsm/index.ts', resolve(PROJECT_ROOT, 'plugins'));
  await registry.init(pluginContext({ config, log: silentLogger }));
  const service = new TemplateService(registry, config, PROJECT_ROOT, silentLogger);
  const pass = async (): Promise<void> => {
    for (const c of cases) await service.parse('textfsm', { template: c.template }, c.raw);
  };
  try {
    await pass(); // warm-up: starts the sandbox process and compiles the templates there
    const times: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      await pass();
      times.push(performance.now() - t0);
    }
    return times;
  } finally {
    await service.close();
  }
}

function printTable(rows: BenchRow[], iterations: number): void {
  const header = ['benchmark', 'cases', 'ours ms', 'ours cases/s', 'python ms', 'python cases/s', 'speed-up'];
  const lines = rows.map((r) => [
    r.name,
    String(r.cases),
    r.oursMs.toFixed(1),
    Math.round((r.cases / r.oursMs) * 1000).toString(),
    r.referenceMs === null ? '-' : r.referenceMs.toFixed(1),
    r.referenceMs === null ? '-' : Math.round((r.cases / r.referenceMs) * 1000).toString(),
    r.referenceMs === null ? '-' : `${(r.referenceMs / r.oursMs).toFixed(1)}x`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`median of ${iterations} iterations over the whole corpus (total ms per pass)`);
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
}

export async function run(argv: string[]): Promise<void> {
  const options = parseArgs(argv);
  const rows: BenchRow[] = [];
  rows.push(...(await benchTextfsm(options)));
  printTable(rows, options.iterations);
}
