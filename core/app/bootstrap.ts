import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createContainer, instanceCachingFactory, resolveRequired, type DependencyContainer } from '../di/index.ts';
import { CONFIG, DRIVER_REGISTRY, JOB_SERVICE, LOGGER, NODE_RUNTIME, PLUGIN_REGISTRY, TEMPLATE_SERVICE, WEBHOOK_DISPATCHER } from '../di/tokens.ts';
import type { DriverRegistry } from '../contracts/driver.ts';
import { WebhookDispatcher } from '../node/webhooks.ts';
import { BROKER, type Broker } from '../contracts/broker.ts';
import { NODE_SELECTOR, type NodeSelector } from '../contracts/scheduler.ts';
import type { Logger } from '../contracts/common.ts';
import { loadConfig, type LoadOptions } from '../config/load.ts';
import type { NetPulseConfig } from '../config/types.ts';
import { createLogger, type PinoLogger } from '../log/logger.ts';
import { PluginRegistry } from '../plugin/registry.ts';
import { loadPlugins } from '../plugin/loader.ts';
import { NetPulseError } from '../errors.ts';
import { TemplateService } from '../templates/service.ts';
import { JobService } from '../jobs/service.ts';
import { NodeRuntime } from '../node/runtime.ts';
import { buildApp } from '../http/app.ts';

export type Role = 'serve' | 'controller' | 'worker';

export interface StartOptions extends LoadOptions {
  role: Role;
  /** Project root: where plugins/ and netpulse.config.ts live (default cwd). */
  root?: string;
  /** Listen (default true); tests use `app.inject` or their own port. */
  listen?: boolean;
  /** Log destination (tests capture it). */
  logDestination?: NodeJS.WritableStream;
  /** Node name override (tests run several nodes in one process). */
  nodeName?: string;
}

export interface NetPulse {
  role: Role;
  config: NetPulseConfig;
  container: DependencyContainer;
  registry: PluginRegistry;
  broker: Broker;
  app: FastifyInstance | null;
  node: NodeRuntime | null;
  logger: PinoLogger;
  /** Set when the API key was generated at start (all-in-one without `server.api_key`). */
  generatedApiKey: string | null;
  address: string | null;
  stop(): Promise<void>;
}

function version(root: string): string {
  try {
    return (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/**
 * Composition root: configuration → logger → plugins → DI container → broker, selector,
 * services → HTTP app and/or worker node, by role.
 */
export async function startNetPulse(opts: StartOptions): Promise<NetPulse> {
  const root = opts.root ?? opts.cwd ?? process.cwd();
  const { config } = await loadConfig({ ...opts, cwd: opts.cwd ?? root });
  if (opts.role !== 'serve') config.broker.name = 'redis';
  let generatedApiKey: string | null = null;
  if (opts.role !== 'worker' && !config.server.api_key) {
    if (opts.role === 'controller') {
      throw new NetPulseError('NP_ERR_CONFIG', 'Invalid configuration: server.api_key is required for `netpulse controller` (set NETPULSE_SERVER__API_KEY)');
    }
    generatedApiKey = `np_${randomBytes(24).toString('base64url')}`;
    config.server.api_key = generatedApiKey;
  }
  const logger = createLogger({
    level: config.log.level,
    pretty: config.log.pretty,
    destination: opts.logDestination,
    secrets: [config.server.api_key, config.redis.password, config.redis.sentinel.password],
  });
  const log = logger as unknown as Logger;

  const registry = new PluginRegistry();
  await loadPlugins(registry, {
    root,
    builtin: config.plugin.builtin,
    modules: config.plugin.modules,
    dirs: [config.plugin.driver, config.plugin.webhook, config.plugin.template, config.plugin.scheduler],
  });

  // Every service is registered before the plugins are created, so a plugin's child container can
  // resolve them; factories run on first resolve (after init), so none sees a half-built registry.
  const c = createContainer();
  c.register(CONFIG, { useValue: config });
  c.register(LOGGER, { useValue: logger });
  c.register(PLUGIN_REGISTRY, { useValue: registry });
  const drivers: DriverRegistry = { get: (name) => registry.get('driver', name), names: () => registry.names('driver') };
  c.register(DRIVER_REGISTRY, { useValue: drivers });
  if (registry.has('broker', config.broker.name)) {
    c.register(BROKER, { useFactory: instanceCachingFactory(() => registry.get('broker', config.broker.name)) });
  }
  if (registry.has('scheduler', config.worker.scheduler)) {
    c.register(NODE_SELECTOR, { useFactory: instanceCachingFactory(() => registry.get('scheduler', config.worker.scheduler)) });
  }
  c.register(TEMPLATE_SERVICE, { useFactory: instanceCachingFactory(() => new TemplateService(registry, config, root, log.child({ component: 'templates' }))) });
  c.register(WEBHOOK_DISPATCHER, { useFactory: instanceCachingFactory(() => new WebhookDispatcher(registry)) });
  c.register(JOB_SERVICE, {
    useFactory: instanceCachingFactory((cc) => new JobService(cc.resolve(BROKER), registry, cc.resolve(NODE_SELECTOR), config, log.child({ component: 'jobs' }))),
  });
  await registry.init({ config, log, container: c });

  const broker = resolveBinding<Broker>(c, BROKER, `broker plugin "${config.broker.name}"`);
  const selector = resolveBinding<NodeSelector>(c, NODE_SELECTOR, `scheduler plugin "${config.worker.scheduler}" (worker.scheduler)`);
  await broker.start();

  let node: NodeRuntime | null = null;
  if (opts.role !== 'controller') {
    c.register(NODE_RUNTIME, {
      useFactory: instanceCachingFactory(
        (cc) =>
          new NodeRuntime({
            config,
            selector,
            name: opts.nodeName,
            log: log.child({ component: 'node' }),
            deps: {
              broker,
              registry,
              templates: cc.resolve(TEMPLATE_SERVICE),
              webhooks: cc.resolve(WEBHOOK_DISPATCHER),
              log: log.child({ component: 'job' }),
            },
          }),
      ),
    });
    node = c.resolve<NodeRuntime>(NODE_RUNTIME);
    await node.start();
  }

  let app: FastifyInstance | null = null;
  let address: string | null = null;
  if (opts.role !== 'worker') {
    app = await buildApp({ config, logger, jobs: c.resolve(JOB_SERVICE), templates: c.resolve(TEMPLATE_SERVICE), version: version(root) });
    if (opts.listen !== false) address = await app.listen({ host: config.server.host, port: config.server.port });
  }

  let stopped = false;
  return {
    role: opts.role, config, container: c, registry, broker, app, node, logger, generatedApiKey, address,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (app) await app.close();
      if (node) await node.stop();
      await broker.close();
    },
  };
}

function resolveBinding<T>(c: DependencyContainer, token: symbol, what: string): T {
  try {
    return resolveRequired<T>(c, token, what);
  } catch (e) {
    throw new NetPulseError('NP_ERR_MISSING_BINDING', (e as Error).message);
  }
}
