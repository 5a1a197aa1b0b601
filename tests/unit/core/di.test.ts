/**
 * The DI container resolves the real services under tsx (no decorator metadata), and each plugin's
 * `register` gets a child container scoped to it that resolves core services — including the
 * driver registry a layered driver builds its sessions on.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BROKER, type Broker } from '../../../core/contracts/broker.ts';
import type { DriverRegistry } from '../../../core/contracts/driver.ts';
import { NODE_SELECTOR } from '../../../core/contracts/scheduler.ts';
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
} from '../../../core/di/tokens.ts';
import { JobEvents } from '../../../core/events/job-events.ts';
import { JobService } from '../../../core/jobs/service.ts';
import { type Keyring, parseSecretKey } from '../../../core/security/sealed.ts';
import { NodeRuntime } from '../../../core/node/runtime.ts';
import { WebhookDispatcher } from '../../../core/node/webhooks.ts';
import { TemplateService } from '../../../core/templates/service.ts';
import type { LayeredDriver } from '../../fixtures/plugins/di-probe-driver.ts';
import { ECHO_DRIVER, PROJECT_ROOT, startTestServer, type TestServer, waitJob } from '../../helpers/server.ts';

const PROBE = resolve(PROJECT_ROOT, 'tests/fixtures/plugins/di-probe-driver.ts');

describe('DI: the whole container', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ plugin: { modules: [ECHO_DRIVER, PROBE] } });
  });
  after(() => s.stop());

  it('resolves every core token to the running service', () => {
    const c = s.np.container;
    assert.equal(c.resolve(CONFIG), s.np.config);
    assert.equal(c.resolve(LOGGER), s.np.logger);
    assert.equal(c.resolve(PLUGIN_REGISTRY), s.np.registry);
    assert.equal(c.resolve(BROKER), s.np.broker);
    assert.equal(c.resolve(NODE_SELECTOR), s.np.registry.get('scheduler', s.np.config.worker.scheduler));
    assert.ok(c.resolve(TEMPLATE_SERVICE) instanceof TemplateService);
    assert.ok(c.resolve(WEBHOOK_DISPATCHER) instanceof WebhookDispatcher);
    assert.equal(
      c.resolve(WEBHOOK_DISPATCHER),
      c.resolve(WEBHOOK_DISPATCHER),
      'one dispatcher: node and delivery routes share it',
    );
    assert.equal(c.resolve(METRICS), s.np.metrics);
    assert.equal(typeof c.resolve<{ startSpan: unknown }>(TRACER).startSpan, 'function');
    assert.ok(c.resolve(JOB_SERVICE) instanceof JobService);
    assert.ok(c.resolve(JOB_EVENTS) instanceof JobEvents);
    assert.equal(c.resolve(JOB_EVENTS), c.resolve(JOB_EVENTS), 'one job event source per process');
    const api = c.resolve<Broker>(API_BROKER);
    assert.notEqual(api, s.np.broker, 'the API gets the fail-fast wrapper, not the raw broker');
    assert.equal(api.name, s.np.broker.name);
    assert.equal(c.resolve(API_BROKER), api, 'one wrapper per application');
    const ring = c.resolve<Keyring>(SECRET_KEYRING);
    assert.deepEqual(ring.current.key, parseSecretKey(s.np.config.server.secret_key!).key);
    assert.ok(c.resolve(NODE_RUNTIME) instanceof NodeRuntime);
    assert.equal(c.resolve(NODE_RUNTIME), s.np.node);
    const drivers = c.resolve<DriverRegistry>(DRIVER_REGISTRY);
    assert.equal(drivers.get('netmiko'), s.np.registry.get('driver', 'netmiko'));
    assert.ok(drivers.names().includes('pyeapi'));
  });

  it("a plugin's register gets a child container: its own logger and id, the app's config", () => {
    const probe = s.np.registry.get('driver', 'di_probe') as LayeredDriver;
    assert.equal(probe.resolved.config, s.np.config);
    assert.equal(probe.resolved.id, 'driver:di_probe');
    assert.notEqual(probe.resolved.log, s.np.logger, 'LOGGER is the plugin-scoped child logger');
    assert.equal(s.np.container.isRegistered(Symbol.for('netpulse.PluginId')), false, 'plugin scope does not leak');
  });

  it('a driver built on another driver (looked up through DRIVER_REGISTRY) runs a job end to end', async () => {
    const r = await s.call('POST', '/device/exec', {
      driver: 'di_probe',
      connection_args: { host: '192.0.2.77' },
      command: 'hello',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const job = await waitJob(s, r.body.data.id);
    assert.equal(job.status, 'finished', JSON.stringify(job.result));
    assert.match(JSON.stringify(job.result.retval), /hello/);
  });
});
