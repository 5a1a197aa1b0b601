/**
 * A template sandbox process. Loads the plugin catalogue the way the server does, then evaluates
 * render/parse tasks one at a time. It runs with a V8 heap limit and is killed by its parent on a
 * wall-clock timeout, so a runaway template (busy loop, catastrophic regex, giant allocation, even
 * a V8 fatal error) ends only this process.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { NetPulseConfig } from '../config/types.ts';
import type { ParseInput, RenderInput, TemplateContext } from '../contracts/template.ts';
import { NetPulseError } from '../errors.ts';
import { pluginContext } from '../plugin/define.ts';
import { loadPluginModule } from '../plugin/loader.ts';
import { PluginRegistry } from '../plugin/registry.ts';
import type { ChildMessage, SandboxInit, SandboxTask } from './protocol.ts';
import { templateDirs } from './dirs.ts';
import { silentLogger } from '../log/silent.ts';

const send = (m: ChildMessage): void => {
  process.send?.(m);
};

let registry: PluginRegistry | null = null;
let ctx: TemplateContext | null = null;

async function init(m: SandboxInit): Promise<void> {
  // The parent sends its effective configuration (core/config/schema.ts shape).
  const config = m.config as unknown as NetPulseConfig;
  const reg = new PluginRegistry();
  // Only the modules that provide renderers and parsers (as the parent registered them): a
  // sandbox needs no drivers or brokers, and skipping them halves its start-up.
  const catalogue = config.plugin.builtin ? resolve(m.root, config.plugin.builtin) : null;
  const builtins = catalogue ? ((await import(pathToFileURL(catalogue).href)) as { default: string[] }).default : [];
  for (const source of new Set(m.sources)) {
    const base = isAbsolute(source)
      ? dirname(source)
      : catalogue && builtins.includes(source)
        ? dirname(catalogue)
        : m.root;
    await loadPluginModule(reg, source, base);
  }
  // Template logs stay in the sandbox: they may quote template-context values.
  await reg.init(pluginContext({ config, log: silentLogger }));
  registry = reg;
  ctx = { log: silentLogger, dirs: templateDirs(config.templates, resolve(m.root)) };
}

async function run(t: SandboxTask): Promise<void> {
  try {
    if (!registry || !ctx) throw new Error('sandbox not initialised');
    const value =
      t.kind === 'render'
        ? await registry.get('renderer', t.name).render(t.input as unknown as RenderInput, ctx)
        : await registry.get('parser', t.name).parse(t.input as unknown as ParseInput, ctx);
    // Results cross as JSON text: one serialisation that also measures the size, and cheaper to
    // copy through the IPC channel than a structured clone of thousands of small records.
    const json = JSON.stringify(value === undefined ? null : value);
    if (json.length > t.maxResultBytes) {
      throw new NetPulseError('NP_ERR_TEMPLATE_LIMIT', `Template ${t.kind} result exceeds ${t.maxResultBytes} bytes`);
    }
    send({ type: 'result', id: t.id, json });
  } catch (e) {
    const ne = e instanceof NetPulseError ? e : null;
    send({
      type: 'error',
      id: t.id,
      error: {
        code: ne?.code ?? null,
        message: e instanceof Error ? e.message : String(e),
        data: ne?.data ?? undefined,
        errorType: ne?.type,
      },
    });
  }
}

process.on('message', (m: SandboxInit | SandboxTask) => {
  if (m.type === 'init') {
    init(m).then(
      () => send({ type: 'ready' }),
      (e: unknown) => send({ type: 'init-failed', message: e instanceof Error ? e.message : String(e) }),
    );
  } else if (m.type === 'task') void run(m);
});
// The parent going away ends the sandbox too.
process.on('disconnect', () => process.exit(0));
