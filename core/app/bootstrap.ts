import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createContainer, instanceCachingFactory, resolveRequired, type DependencyContainer } from '../di/index.ts';
import {
  API_BROKER,
  CONFIG,
  DRIVER_REGISTRY,
  JOB_EVENTS,
  JOB_SERVICE,
  LOGGER,
  METRICS,
  NODE_RUNTIME,
  PLUGIN_REGISTRY,
  SECRET_KEYRING,
  TEMPLATE_SERVICE,
  TRACER,
  WEBHOOK_DISPATCHER,
} from '../di/tokens.ts';
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
import { JobEvents } from '../events/job-events.ts';
import { NodeRuntime } from '../node/runtime.ts';
import { setStateDir } from '../state/dir.ts';
import { buildApp } from '../http/app.ts';
import { failFastBroker } from '../broker/fail-fast.ts';
import { generateSecretKey, keyringFrom } from '../security/sealed.ts';
import { NetPulseMetrics } from '../observability/metrics.ts';
import { instrumentBroker } from '../observability/instrument-broker.ts';
import { instrumentTemplates } from '../observability/instrument-templates.ts';
import { startTracing, tracer } from '../observability/tracing.ts';
import { startMetricsServer } from '../observability/metrics-server.ts';

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
  /** Worker: port of the node's own /metrics, /livez, /readyz (overrides `worker.metrics_port`; 0 = off). */
  metricsPort?: number;
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
  /** Set when the request-sealing key was generated at start (all-in-one without `server.secret_key`). */
  generatedSecretKey: string | null;
  address: string | null;
  /** Prometheus registry of this process. */
  metrics: NetPulseMetrics;
  /** Worker metrics port address, when one is open. */
  metricsAddress: string | null;
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
      throw new NetPulseError(
        'NP_ERR_CONFIG',
        'Invalid configuration: server.api_key is required for `netpulse controller` (set NETPULSE_SERVER__API_KEY)',
      );
    }
    generatedApiKey = `np_${randomBytes(24).toString('base64url')}`;
    config.server.api_key = generatedApiKey;
  }
  let generatedSecretKey: string | null = null;
  if (!config.server.secret_key) {
    if (opts.role !== 'serve') {
      throw new NetPulseError(
        'NP_ERR_CONFIG',
        `Invalid configuration: server.secret_key is required for \`netpulse ${opts.role}\` (the same key on every controller and worker; set NETPULSE_SERVER__SECRET_KEY, e.g. from \`openssl rand -hex 32\`)`,
      );
    }
    generatedSecretKey = generateSecretKey();
    config.server.secret_key = generatedSecretKey;
  }
  // Parsed now so a malformed key stops start-up before anything connects.
  const keyring = keyringFrom(config.server.secret_key, config.server.secret_key_previous);
  const logger = createLogger({
    level: config.log.level,
    pretty: config.log.pretty,
    destination: opts.logDestination,
    secrets: [
      config.server.api_key,
      config.server.secret_key,
      config.server.secret_key_previous,
      config.redis.password,
      config.redis.sentinel.password,
    ],
  });
  const log = logger as unknown as Logger;
  setStateDir(config.server.state_dir);

  const registry = new PluginRegistry();
  await loadPlugins(registry, {
    root,
    builtin: config.plugin.builtin,
    modules: config.plugin.modules,
    dirs: [config.plugin.driver, config.plugin.webhook, config.plugin.template, config.plugin.scheduler],
  });

  const metrics = new NetPulseMetrics();
  const instance = opts.nodeName ?? config.worker.name ?? opts.role;
  const stopTracing = await startTracing(config.telemetry, {
    'netpulse.role': opts.role,
    'service.instance.id': instance,
  });

  // Every service is registered before the plugins are created, so a plugin's child container can
  // resolve them; factories run on first resolve (after init), so none sees a half-built registry.
  const c = createContainer();
  c.register(CONFIG, { useValue: config });
  c.register(LOGGER, { useValue: logger });
  c.register(PLUGIN_REGISTRY, { useValue: registry });
  c.register(METRICS, { useValue: metrics });
  c.register(TRACER, { useValue: tracer() });
  const drivers: DriverRegistry = {
    get: (name) => registry.get('driver', name),
    names: () => registry.names('driver'),
  };
  c.register(DRIVER_REGISTRY, { useValue: drivers });
  if (registry.has('broker', config.broker.name)) {
    // Every broker command is timed (broker command latency metric) through this one wrapper.
    const jobsLog = log.child({ component: 'jobs' });
    const instrumented = () => instrumentBroker(registry.get('broker', config.broker.name), metrics, jobsLog);
    c.register(BROKER, { useFactory: instanceCachingFactory(instrumented) });
  }
  if (registry.has('scheduler', config.worker.scheduler)) {
    c.register(NODE_SELECTOR, {
      useFactory: instanceCachingFactory(() => registry.get('scheduler', config.worker.scheduler)),
    });
  }
  c.register(TEMPLATE_SERVICE, {
    useFactory: instanceCachingFactory(() =>
      instrumentTemplates(new TemplateService(registry, config, root, log.child({ component: 'templates' })), metrics),
    ),
  });
  // Signed delivery with the delivery log and dead letters kept in the broker's ops store.
  c.register(WEBHOOK_DISPATCHER, {
    useFactory: instanceCachingFactory((cc) => {
      const ops = cc.resolve<Broker>(BROKER).ops;
      return new WebhookDispatcher(registry, { ops, settings: config.webhook, metrics, keyring });
    }),
  });
  c.register(SECRET_KEYRING, { useValue: keyring });
  c.register(API_BROKER, { useFactory: instanceCachingFactory((cc) => apiBroker(cc.resolve(BROKER), config, log)) });
  c.register(JOB_SERVICE, {
    useFactory: instanceCachingFactory(
      (cc) =>
        new JobService(
          cc.resolve(API_BROKER),
          registry,
          cc.resolve(NODE_SELECTOR),
          config,
          log.child({ component: 'jobs' }),
          cc.resolve(SECRET_KEYRING),
        ),
    ),
  });
  c.register(JOB_EVENTS, {
    useFactory: instanceCachingFactory((cc) => new JobEvents(cc.resolve(BROKER), log.child({ component: 'events' }))),
  });
  await registry.init({ config, log, container: c });

  const broker = resolveBinding<Broker>(c, BROKER, `broker plugin "${config.broker.name}"`);
  const selector = resolveBinding<NodeSelector>(
    c,
    NODE_SELECTOR,
    `scheduler plugin "${config.worker.scheduler}" (worker.scheduler)`,
  );
  await broker.start();
  const webhooks = c.resolve<WebhookDispatcher>(WEBHOOK_DISPATCHER);
  if (opts.role !== 'worker' && broker.ops) metrics.attachQueues(broker.ops);

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
              keyring: cc.resolve(SECRET_KEYRING),
              metrics: cc.resolve(METRICS),
            },
          }),
      ),
    });
    node = c.resolve<NodeRuntime>(NODE_RUNTIME);
    await node.start();
    metrics.attachNode(node);
  }

  let metricsServer: Awaited<ReturnType<typeof startMetricsServer>> | null = null;
  const metricsPort = opts.metricsPort ?? config.worker.metrics_port;
  if (opts.role === 'worker' && node && metricsPort > 0) {
    const n = node;
    metricsServer = await startMetricsServer({
      host: config.worker.metrics_host,
      port: metricsPort,
      metrics,
      apiKey: config.server.api_key,
      keyName: config.server.api_key_name,
      metricsPublic: config.server.metrics_public,
      probe: { broker, nodeReady: () => n.ready, needsLiveNode: false },
    });
  }

  let app: FastifyInstance | null = null;
  let address: string | null = null;
  if (opts.role !== 'worker') {
    const n = node;
    app = await buildApp({
      config,
      logger,
      jobs: c.resolve(JOB_SERVICE),
      templates: c.resolve(TEMPLATE_SERVICE),
      events: c.resolve(JOB_EVENTS),
      version: version(root),
      ui: { registry: c.resolve(PLUGIN_REGISTRY), broker },
      // Probes and stats read through the API's fail-fast broker: a dead Redis answers 503 in bounded time.
      ops: {
        broker: c.resolve<Broker>(API_BROKER),
        metrics,
        webhooks,
        nodeReady: n ? () => n.ready : undefined,
        deadLetterLimit: config.webhook.log_max,
      },
    });
    if (opts.listen !== false) address = await app.listen({ host: config.server.host, port: config.server.port });
  }

  let stopped = false;
  return {
    role: opts.role,
    config,
    container: c,
    registry,
    broker,
    app,
    node,
    logger,
    generatedApiKey,
    generatedSecretKey,
    address,
    metrics,
    metricsAddress: metricsServer?.address ?? null,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (app) await app.close();
      if (node) await node.stop();
      // The event loop may be waiting on the broker: closing the broker cuts that wait short.
      const events = c.resolve<JobEvents>(JOB_EVENTS).stop();
      await c.resolve<TemplateService>(TEMPLATE_SERVICE).close();
      if (metricsServer) await metricsServer.close();
      await stopTracing();
      await broker.close();
      await events;
    },
  };
}

/** The API's view of the broker: bounded waits, 503 while it is unreachable (broker.fail_fast_timeout). */
function apiBroker(broker: Broker, config: NetPulseConfig, log: Logger): Broker {
  return failFastBroker(broker, config.broker.fail_fast_timeout * 1000, log.child({ component: 'broker' }));
}

function resolveBinding<T>(c: DependencyContainer, token: symbol, what: string): T {
  try {
    return resolveRequired<T>(c, token, what);
  } catch (e) {
    throw new NetPulseError('NP_ERR_MISSING_BINDING', (e as Error).message);
  }
}
