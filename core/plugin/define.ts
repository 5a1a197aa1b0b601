import type { Logger } from '../contracts/common.ts';
import type { PluginContext, PluginKind, PluginManifest } from '../contracts/plugin.ts';
import { createContainer } from '../di/index.ts';
import { CONFIG, LOGGER } from '../di/tokens.ts';

/** Identity helper that gives a manifest literal its precise type. */
export function definePlugin<K extends PluginKind>(manifest: PluginManifest<K>): PluginManifest<K> {
  return manifest;
}

/**
 * A plugin context outside a running server (a plugin's own unit tests): `config` and `log`, and a
 * fresh container that resolves `CONFIG` and `LOGGER`; register anything else the plugin needs.
 */
export function pluginContext(ctx: { config: PluginContext['config']; log: Logger }): PluginContext {
  const container = createContainer();
  container.register(CONFIG, { useValue: ctx.config });
  container.register(LOGGER, { useValue: ctx.log });
  return { ...ctx, container };
}
