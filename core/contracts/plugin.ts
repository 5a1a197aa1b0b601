import type { DependencyContainer } from '../di/index.ts';
import type { Logger } from './common.ts';
import type { Driver } from './driver.ts';
import type { NodeSelector } from './scheduler.ts';
import type { TemplateParser, TemplateRenderer } from './template.ts';
import type { WebhookCaller } from './webhook.ts';
import type { Broker } from './broker.ts';

/**
 * Plugin manifest: the one shape every plugin module exports (built-in or third-party).
 *
 * A module's default export (or named export `plugins`) is a manifest or an array of manifests.
 * The loader validates every manifest (kind, name pattern, version) and rejects duplicates with
 * `NP_ERR_PLUGIN_DUPLICATE` before any plugin is created. `register` is called lazily, once,
 * the first time the plugin is needed, and returns the implementation.
 *
 * @example
 * ```ts
 * import { definePlugin } from '../../core/plugin/index.ts';
 * export default definePlugin({ kind: 'driver', name: 'mydriver', version: '1.0.0', register: (ctx) => new MyDriver(ctx) });
 * ```
 */
export interface PluginManifest<K extends PluginKind = PluginKind> {
  kind: K;
  /** Lower-case name clients and config use: `^[a-z][a-z0-9_]{0,63}$`. */
  name: string;
  /** Semver of the plugin. */
  version: string;
  description?: string;
  register(ctx: PluginContext): PluginImpl<K> | Promise<PluginImpl<K>>;
}

export interface PluginKinds {
  driver: Driver;
  scheduler: NodeSelector;
  renderer: TemplateRenderer;
  parser: TemplateParser;
  webhook: WebhookCaller;
  broker: Broker;
}

export type PluginKind = keyof PluginKinds;
export type PluginImpl<K extends PluginKind> = PluginKinds[K];

/**
 * What `register` gets: the effective configuration (read-only), a logger named after the plugin,
 * and a child container scoped to the plugin. The container resolves every core token
 * (`CONFIG`, `LOGGER` — this plugin's logger —, `PLUGIN_ID`, `PLUGIN_REGISTRY`, `DRIVER_REGISTRY`,
 * `BROKER`, `NODE_SELECTOR`, `TEMPLATE_SERVICE`, `WEBHOOK_DISPATCHER`); registrations a plugin makes
 * in it stay private to the plugin.
 */
export interface PluginContext {
  container: DependencyContainer;
  // biome-ignore lint/suspicious/noExplicitAny: third-party plugins read their own open-ended config sections
  config: Readonly<Record<string, any>>;
  log: Logger;
}
