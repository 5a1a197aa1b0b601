/**
 * Plugin loading end to end: third-party modules from `plugin.modules`, coded errors for
 * duplicates, bad names, missing files and a missing scheduler binding, and the DI container
 * resolving every core token under tsx (no decorator metadata).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestServer, waitJob, ECHO_DRIVER, PROJECT_ROOT, type TestServer } from '../../helpers/server.ts';
import { PluginRegistry } from '../../../core/plugin/registry.ts';
import { loadPluginModule, loadPlugins, validateModuleRef } from '../../../core/plugin/loader.ts';
import { definePlugin, pluginContext } from '../../../core/plugin/define.ts';
import { NetPulseError, type ErrorCode } from '../../../core/errors.ts';
import { CONFIG, JOB_SERVICE, TEMPLATE_SERVICE } from '../../../core/di/tokens.ts';
import { BROKER } from '../../../core/contracts/broker.ts';
import { NODE_SELECTOR } from '../../../core/contracts/scheduler.ts';
import { RoundRobinSelector } from '../../fixtures/plugins/round-robin-scheduler.ts';
import { inject, injectable } from '../../../core/di/index.ts';

const ROUND_ROBIN = resolve(PROJECT_ROOT, 'tests/fixtures/plugins/round-robin-scheduler.ts');

async function rejectsWith(
  p: Promise<unknown>,
  code: ErrorCode | 'NP_ERR_MISSING_BINDING',
  message?: RegExp,
): Promise<NetPulseError> {
  try {
    await p;
  } catch (e) {
    assert.equal((e as { code?: string }).code, code, `expected ${code}, got ${String(e)}`);
    if (message) assert.match((e as Error).message, message);
    return e as NetPulseError;
  }
  assert.fail(`expected ${code}`);
}

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'netpulse-plugins-'));
});
after(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('third-party plugins from plugin.modules', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({
      plugin: { modules: [ECHO_DRIVER, ROUND_ROBIN] },
      worker: { scheduler: 'round_robin' },
    });
  });
  after(async () => {
    await s.stop();
  });

  it('registers both with their source', () => {
    const list = s.np.registry.list();
    assert.deepEqual(
      list.find((p) => p.kind === 'driver' && p.name === 'echo'),
      { kind: 'driver', name: 'echo', version: '1.0.0', source: ECHO_DRIVER },
    );
    assert.deepEqual(
      list.find((p) => p.kind === 'scheduler' && p.name === 'round_robin'),
      { kind: 'scheduler', name: 'round_robin', version: '1.0.0', source: ROUND_ROBIN },
    );
    // Built-ins come from the catalogue alongside them.
    assert.ok(s.np.registry.names('scheduler').includes('least_load'));
    assert.ok(s.np.registry.has('broker', 'memory'));
  });

  it('the configured scheduler is the one bound to NODE_SELECTOR', () => {
    const selector = s.np.container.resolve(NODE_SELECTOR);
    assert.ok(selector instanceof RoundRobinSelector);
    assert.equal((selector as RoundRobinSelector).name, 'round_robin');
  });

  it('runs a pinned job to completion with the echo driver placed by round_robin', async () => {
    const r = await s.call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host: '192.0.2.10', username: 'u', password: 'p' },
      command: ['show clock', 'show version'],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.code, 201);
    assert.equal(r.body.data.queue, 'HostQ_192.0.2.10');
    const job = await waitJob(s, r.body.data.id);
    assert.equal(job.status, 'finished', JSON.stringify(job));
    assert.equal(job.result.type, 1);
    assert.deepEqual(Object.keys(job.result.retval), ['show clock', 'show version']);
    assert.match(job.result.retval['show clock'], /^\d+-\d+\|show clock$/);
    assert.equal(job.node, s.np.node?.name);
  });
});

describe('loader errors', () => {
  it('the same plugin twice → NP_ERR_PLUGIN_DUPLICATE naming both sources', async () => {
    await rejectsWith(
      startTestServer({ plugin: { modules: [ECHO_DRIVER, ECHO_DRIVER] } }),
      'NP_ERR_PLUGIN_DUPLICATE',
      /driver "echo" is registered by .*echo-driver\.ts and .*echo-driver\.ts/,
    );
  });

  it('a third-party plugin reusing a built-in name → NP_ERR_PLUGIN_DUPLICATE', async () => {
    const file = join(tmp, 'shadow-least-load.ts');
    writeFileSync(
      file,
      `export default { kind: 'scheduler', name: 'least_load', version: '1.0.0', register: () => ({}) };\n`,
    );
    await rejectsWith(
      startTestServer({ plugin: { modules: [ECHO_DRIVER, file] } }),
      'NP_ERR_PLUGIN_DUPLICATE',
      /scheduler "least_load"/,
    );
  });

  it('invalid module references → NP_ERR_PLUGIN_NAME, and nothing is imported', async () => {
    // A real file that records being imported; the invalid references below point at it.
    const marker = join(tmp, 'evil');
    writeFileSync(marker, `globalThis.__netpulseEvilImported = true;\nexport default [];\n`);
    for (const ref of ['../x', 'Bad Name', 'http://evil', marker, '', 'a\nb', '../x.json']) {
      assert.throws(
        () => validateModuleRef(ref),
        (e: unknown) => e instanceof NetPulseError && e.code === 'NP_ERR_PLUGIN_NAME',
        JSON.stringify(ref),
      );
      await rejectsWith(
        loadPluginModule(new PluginRegistry(), ref, tmp),
        'NP_ERR_PLUGIN_NAME',
        /^Invalid plugin name: /,
      );
    }
    await rejectsWith(startTestServer({ plugin: { modules: ['http://evil'] } }), 'NP_ERR_PLUGIN_NAME');
    assert.equal((globalThis as { __netpulseEvilImported?: boolean }).__netpulseEvilImported, undefined);
  });

  it('valid references are accepted as given', () => {
    for (const ref of [
      '@acme/netpulse-driver',
      'netpulse-plugin-x',
      '@acme/pkg/sub/path',
      './a.ts',
      '../b.mjs',
      '/abs/c.js',
    ])
      assert.equal(validateModuleRef(ref), ref);
  });

  it('an invalid manifest name → NP_ERR_PLUGIN_NAME', async () => {
    const file = join(tmp, 'bad-name.ts');
    writeFileSync(
      file,
      `export default { kind: 'driver', name: 'Bad Name', version: '1.0.0', register: () => ({}) };\n`,
    );
    await rejectsWith(loadPluginModule(new PluginRegistry(), file, tmp), 'NP_ERR_PLUGIN_NAME', /"Bad Name"/);
  });

  it('a manifest with a bad kind, version or register → NP_ERR_PLUGIN_LOAD', async () => {
    const cases: [string, RegExp][] = [
      [`export default { kind: 'gadget', name: 'x', version: '1.0.0', register: () => ({}) };`, /kind must be one of/],
      [`export default { kind: 'driver', name: 'x', version: 'one', register: () => ({}) };`, /version must be semver/],
      [`export default { kind: 'driver', name: 'x', version: '1.0.0' };`, /register must be a function/],
      [`export const unrelated = 1;`, /does not export a plugin manifest/],
    ];
    for (const [i, [text, re]] of cases.entries()) {
      const file = join(tmp, `manifest-${i}.ts`);
      writeFileSync(file, `${text}\n`);
      await rejectsWith(loadPluginModule(new PluginRegistry(), file, tmp), 'NP_ERR_PLUGIN_LOAD', re);
    }
  });

  it('a missing file → NP_ERR_PLUGIN_LOAD', async () => {
    const missing = join(tmp, 'does-not-exist.ts');
    await rejectsWith(loadPluginModule(new PluginRegistry(), missing, tmp), 'NP_ERR_PLUGIN_LOAD', /does not exist/);
    await rejectsWith(startTestServer({ plugin: { modules: [missing] } }), 'NP_ERR_PLUGIN_LOAD');
  });

  it('a module that throws on import → NP_ERR_PLUGIN_LOAD with the cause', async () => {
    const file = join(tmp, 'throws.ts');
    writeFileSync(file, `throw new Error('boom at import');\n`);
    await rejectsWith(loadPluginModule(new PluginRegistry(), file, tmp), 'NP_ERR_PLUGIN_LOAD', /boom at import/);
  });

  it('a plugin whose register throws → NP_ERR_PLUGIN_LOAD at start-up', async () => {
    const reg = new PluginRegistry();
    reg.add(
      definePlugin({
        kind: 'webhook',
        name: 'broken',
        version: '1.0.0',
        register: () => {
          throw new Error('no config');
        },
      }),
      'inline',
    );
    const log = {
      debug() {},
      info() {},
      warn() {},
      error() {},
      child() {
        return log;
      },
    };
    await rejectsWith(
      reg.init(pluginContext({ config: {}, log })),
      'NP_ERR_PLUGIN_LOAD',
      /webhook "broken" from inline: no config/,
    );
  });

  it('a plugin directory that does not exist → NP_ERR_PLUGIN_LOAD', async () => {
    await rejectsWith(
      loadPlugins(new PluginRegistry(), { root: tmp, builtin: null, modules: [], dirs: ['no-such-dir'] }),
      'NP_ERR_PLUGIN_LOAD',
      /not a directory/,
    );
  });

  it('unknown names at run time are coded: driver → 400, other kinds → 404', () => {
    const reg = new PluginRegistry();
    assert.throws(
      () => reg.get('driver', 'nosuch'),
      (e: unknown) =>
        e instanceof NetPulseError &&
        e.code === 'NP_ERR_UNKNOWN_DRIVER' &&
        e.status === 400 &&
        e.message === 'Unsupported driver: nosuch',
    );
    assert.throws(
      () => reg.get('renderer', 'nosuch'),
      (e: unknown) =>
        e instanceof NetPulseError &&
        e.code === 'NP_ERR_UNKNOWN_PLUGIN' &&
        e.status === 404 &&
        e.message === 'Renderer nosuch not found',
    );
  });

  it('an unknown worker.scheduler stops start-up with NP_ERR_MISSING_BINDING saying what to register', async () => {
    const e = await rejectsWith(startTestServer({ worker: { scheduler: 'nosuch_sched' } }), 'NP_ERR_MISSING_BINDING');
    assert.ok(e instanceof NetPulseError);
    assert.match(e.message, /scheduler plugin "nosuch_sched" \(worker\.scheduler\)/);
    assert.match(e.message, /register|provides/);
    assert.match(e.message, /plugin\.modules/);
  });

  it('an unknown broker.name stops start-up with NP_ERR_MISSING_BINDING', async () => {
    await rejectsWith(
      startTestServer({ broker: { name: 'nosuch_broker' } }),
      'NP_ERR_MISSING_BINDING',
      /broker plugin "nosuch_broker"/,
    );
  });
});

describe('DI container under tsx', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.stop();
  });

  it('a class with @inject(TOKEN) on each constructor parameter resolves (no decorator metadata needed)', () => {
    @injectable()
    class UsesCore {
      constructor(
        @inject(CONFIG) readonly config: unknown,
        @inject(BROKER) readonly broker: unknown,
      ) {}
    }
    const u = s.np.container.resolve(UsesCore);
    assert.equal(u.config, s.np.config);
    assert.equal(u.broker, s.np.broker);
  });

  it('factory registrations are singletons per container', () => {
    const c = s.np.container;
    assert.equal(c.resolve(JOB_SERVICE), c.resolve(JOB_SERVICE));
    assert.equal(c.resolve(TEMPLATE_SERVICE), c.resolve(TEMPLATE_SERVICE));
  });

  it('two applications in one process have separate containers', async () => {
    const other = await startTestServer();
    try {
      assert.notEqual(other.np.container, s.np.container);
      assert.notEqual(other.np.container.resolve(JOB_SERVICE), s.np.container.resolve(JOB_SERVICE));
      assert.notEqual(other.np.container.resolve(CONFIG), s.np.container.resolve(CONFIG));
    } finally {
      await other.stop();
    }
  });
});
