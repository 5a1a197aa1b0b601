import type { Logger } from '../contracts/common.ts';
import type { PluginContext, PluginImpl, PluginKind, PluginManifest } from '../contracts/plugin.ts';
import { LOGGER, PLUGIN_ID } from '../di/tokens.ts';
import { NetPulseError } from '../errors.ts';

export const PLUGIN_KINDS: readonly PluginKind[] = ['driver', 'scheduler', 'renderer', 'parser', 'webhook', 'broker'];
export const PLUGIN_NAME = /^[a-z][a-z0-9_]{0,63}$/;

interface Entry {
  manifest: PluginManifest;
  source: string;
  impl?: unknown;
}

const LABEL: Record<PluginKind, string> = {
  driver: 'Driver',
  scheduler: 'Scheduler',
  renderer: 'Renderer',
  parser: 'Parser',
  webhook: 'Webhook',
  broker: 'Broker',
};

/**
 * Holds every plugin by kind and name. Manifests are validated when added; implementations are
 * created once by {@link PluginRegistry.init} (fail fast at start-up rather than on the first job).
 */
export class PluginRegistry {
  private readonly entries = new Map<string, Entry>();

  /** Validates and adds a manifest. Duplicate kind+name → NP_ERR_PLUGIN_DUPLICATE. */
  add(manifest: unknown, source: string): void {
    const m = validateManifest(manifest, source);
    const key = `${m.kind}:${m.name}`;
    const prev = this.entries.get(key);
    if (prev)
      throw new NetPulseError(
        'NP_ERR_PLUGIN_DUPLICATE',
        `Duplicate plugin: ${m.kind} "${m.name}" is registered by ${prev.source} and ${source}`,
      );
    this.entries.set(key, { manifest: m, source });
  }

  /**
   * Creates every implementation. Each plugin's `register` gets its own logger and a child of
   * `ctx.container` in which `LOGGER` is that logger and `PLUGIN_ID` its `<kind>:<name>`.
   */
  async init(ctx: PluginContext): Promise<void> {
    for (const e of this.entries.values()) {
      if (e.impl !== undefined) continue;
      const id = `${e.manifest.kind}:${e.manifest.name}`;
      const log = ctx.log.child({ plugin: id }) as Logger;
      const container = ctx.container.createChildContainer();
      container.register(LOGGER, { useValue: log });
      container.register(PLUGIN_ID, { useValue: id });
      try {
        e.impl = await e.manifest.register({ ...ctx, log, container });
      } catch (err) {
        throw new NetPulseError(
          'NP_ERR_PLUGIN_LOAD',
          `Cannot load plugin ${e.manifest.kind} "${e.manifest.name}" from ${e.source}: ${(err as Error).message}`,
          { cause: err },
        );
      }
    }
  }

  has(kind: PluginKind, name: string): boolean {
    return this.entries.has(`${kind}:${name}`);
  }

  /** The implementation, or a coded error that names the kind and the missing name. */
  get<K extends PluginKind>(kind: K, name: string): PluginImpl<K> {
    const e = typeof name === 'string' ? this.entries.get(`${kind}:${name}`) : undefined;
    if (!e) {
      if (kind === 'driver')
        throw new NetPulseError('NP_ERR_UNKNOWN_DRIVER', `Unsupported driver: ${String(name).slice(0, 64)}`);
      throw new NetPulseError('NP_ERR_UNKNOWN_PLUGIN', `${LABEL[kind]} ${String(name).slice(0, 64)} not found`);
    }
    if (e.impl === undefined)
      throw new NetPulseError('NP_ERR_PLUGIN_LOAD', `Plugin ${kind} "${name}" is registered but not initialised`);
    return e.impl as PluginImpl<K>;
  }

  names(kind: PluginKind): string[] {
    return [...this.entries.values()]
      .filter((e) => e.manifest.kind === kind)
      .map((e) => e.manifest.name)
      .sort();
  }

  list(): { kind: PluginKind; name: string; version: string; source: string }[] {
    return [...this.entries.values()].map((e) => ({
      kind: e.manifest.kind,
      name: e.manifest.name,
      version: e.manifest.version,
      source: e.source,
    }));
  }
}

function validateManifest(m: unknown, source: string): PluginManifest {
  const bad = (why: string) => new NetPulseError('NP_ERR_PLUGIN_LOAD', `Cannot load plugin ${source}: ${why}`);
  if (typeof m !== 'object' || m === null) throw bad('the module does not export a plugin manifest');
  const r = m as Record<string, unknown>;
  if (!PLUGIN_KINDS.includes(r.kind as PluginKind)) throw bad(`kind must be one of ${PLUGIN_KINDS.join(', ')}`);
  if (typeof r.name !== 'string' || !PLUGIN_NAME.test(r.name))
    throw new NetPulseError(
      'NP_ERR_PLUGIN_NAME',
      `Invalid plugin name: ${JSON.stringify(String(r.name).slice(0, 64))} in ${source} (expected ${PLUGIN_NAME.source})`,
    );
  if (typeof r.version !== 'string' || !/^\d+\.\d+\.\d+/.test(r.version)) throw bad('version must be semver');
  if (typeof r.register !== 'function') throw bad('register must be a function');
  return m as PluginManifest;
}
