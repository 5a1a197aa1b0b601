/**
 * Configuration loading: defaults, the reference YAML shape, env overrides, precedence,
 * `${VAR}` expansion, validation messages, and `netpulse config print` masking secrets.
 * Every test passes `env` and `cwd` explicitly; process.env is never read or changed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFile } from 'node:child_process';
import { loadConfig } from '../../../core/config/load.ts';
import { NetPulseError } from '../../../core/errors.ts';
import { PROJECT_ROOT } from '../../helpers/server.ts';

const REFERENCE_YAML = resolve(PROJECT_ROOT, 'tests/fixtures/config/reference-config.yaml');
const REF_ENV = {
  NETPULSE_CONFIG_FILE: REFERENCE_YAML,
  NETPULSE_SERVER__API_KEY: 'ref-api-key-4242',
  NETPULSE_REDIS__PASSWORD: 'ref-redis-pw-4242',
  NETPULSE_REDIS__SENTINEL__PASSWORD: 'ref-sentinel-pw-4242',
};

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netpulse-config-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh empty project directory (no netpulse.config.ts, no .env). */
function project(files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(dir, 'p-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

async function configError(p: Promise<unknown>): Promise<NetPulseError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof NetPulseError, `expected a NetPulseError, got ${String(e)}`);
    assert.equal(e.code, 'NP_ERR_CONFIG');
    return e;
  }
  assert.fail('expected loading to fail');
}

describe('defaults', () => {
  it("match the schema defaults (the reference's shipped config.yaml, pinned_per_node measured)", async () => {
    const { config, sources } = await loadConfig({ cwd: project(), env: {} });
    assert.deepEqual(sources, ['defaults']);
    assert.deepEqual(config.server, {
      host: '0.0.0.0',
      port: 9000,
      api_key: null,
      api_key_name: 'X-API-KEY',
      body_limit: 1048576,
      request_timeout: 60,
      strict_requests: false,
      state_dir: null,
      ui: true,
      secret_key: null,
      secret_key_previous: null,
      gunicorn_worker: 0,
      metrics_public: false,
    });
    assert.deepEqual(config.telemetry, { otlp_endpoint: null, service_name: 'netpulse', export_interval_ms: 1000 });
    assert.deepEqual(config.job, { ttl: 1800, timeout: 300, result_ttl: 300 });
    assert.equal(config.worker.scheduler, 'load_weighted_random');
    assert.equal(config.worker.ttl, 300);
    assert.equal(config.worker.pinned_per_node, 2048);
    assert.equal(config.broker.name, 'memory');
    assert.equal(config.redis.host, 'localhost');
    assert.equal(config.redis.port, 6379);
    assert.equal(config.redis.password, null);
    assert.deepEqual(config.redis.tls, { enabled: false, ca: null, cert: null, key: null });
    assert.deepEqual(config.redis.sentinel, {
      enabled: false,
      host: 'redis-sentinel',
      port: 26379,
      master_name: 'mymaster',
      password: null,
    });
    assert.deepEqual(config.redis.key, {
      prefix: 'netpulse',
      host_to_node_map: 'netpulse:host_to_node_map',
      node_info_map: 'netpulse:node_info_map',
    });
    assert.deepEqual(config.plugin.modules, []);
    assert.equal(config.log.level, 'info');
  });

  it('the project netpulse.config.ts is read unless skipped', async () => {
    const cwd = project({
      'netpulse.config.ts': 'export default { server: { port: 9123 }, worker: { scheduler: "greedy" } };\n',
    });
    const { config, sources } = await loadConfig({ cwd, env: {} });
    assert.equal(config.server.port, 9123);
    assert.equal(config.worker.scheduler, 'greedy');
    assert.equal(sources[1], join(cwd, 'netpulse.config.ts'));
    const skipped = await loadConfig({ cwd, env: {}, skipConfigTs: true });
    assert.equal(skipped.config.server.port, 9000);
  });
});

describe('the reference config/config.yaml', () => {
  it('loads unchanged, with ${VAR} filled from the environment', async () => {
    const { config, sources } = await loadConfig({ cwd: project(), env: REF_ENV });
    assert.ok(sources.includes(REFERENCE_YAML));
    assert.equal(config.server.host, '0.0.0.0');
    assert.equal(config.server.port, 9000);
    assert.equal(config.server.api_key, 'ref-api-key-4242');
    assert.equal(config.server.gunicorn_worker, 4);
    assert.deepEqual(config.job, { ttl: 1800, timeout: 300, result_ttl: 300 });
    assert.equal(config.worker.scheduler, 'load_weighted_random');
    assert.equal(config.worker.pinned_per_node, 128);
    assert.equal(config.redis.host, 'redis');
    assert.equal(config.redis.password, 'ref-redis-pw-4242');
    assert.deepEqual(config.redis.tls, {
      enabled: true,
      ca: 'redis/tls/ca.crt',
      cert: 'redis/tls/redis.crt',
      key: 'redis/tls/redis.key',
    });
    assert.equal(config.redis.sentinel.password, 'ref-sentinel-pw-4242');
    assert.equal(config.redis.sentinel.enabled, false);
    assert.equal(config.plugin.driver, 'netpulse/plugins/drivers/');
    assert.equal(config.log.level, 'INFO');
    assert.equal(config.log.config, 'config/log-config.yaml');
  });

  it('a missing ${VAR} is a clear error naming the key and the variable', async () => {
    const env: Record<string, string> = { ...REF_ENV };
    delete env.NETPULSE_REDIS__PASSWORD;
    const e = await configError(loadConfig({ cwd: project(), env }));
    assert.match(e.message, /redis\.password/);
    assert.match(e.message, /\$\{NETPULSE_REDIS__PASSWORD\}/);
    assert.match(e.message, /not set/);
  });

  it('${VAR} may come from .env', async () => {
    const env: Record<string, string> = { ...REF_ENV };
    delete env.NETPULSE_SERVER__API_KEY;
    const cwd = project({ '.env': 'NETPULSE_SERVER__API_KEY=from-dotenv-key\n' });
    const { config } = await loadConfig({ cwd, env });
    assert.equal(config.server.api_key, 'from-dotenv-key');
  });

  it('${VAR:-default} uses the default when unset, the variable when set', async () => {
    const yaml =
      'server:\n  host: ${BIND:-127.0.0.1}\n  api_key_name: "${KEYNAME:-X-API-KEY}"\nredis:\n  host: redis-${SITE}.example\n';
    const cwd = project({ 'c.yaml': yaml });
    const a = await loadConfig({ cwd, env: { NETPULSE_CONFIG_FILE: 'c.yaml', SITE: 'ams' } });
    assert.equal(a.config.server.host, '127.0.0.1');
    assert.equal(a.config.server.api_key_name, 'X-API-KEY');
    assert.equal(a.config.redis.host, 'redis-ams.example');
    const b = await loadConfig({ cwd, env: { NETPULSE_CONFIG_FILE: 'c.yaml', SITE: 'fra', BIND: '127.0.0.2' } });
    assert.equal(b.config.server.host, '127.0.0.2');
  });

  it('a missing config file and invalid YAML are clear errors', async () => {
    const cwd = project({ 'bad.yaml': 'server: [unclosed\n', 'list.yaml': '- a\n- b\n' });
    assert.match(
      (await configError(loadConfig({ cwd, env: { NETPULSE_CONFIG_FILE: 'nope.yaml' } }))).message,
      /nope\.yaml does not exist/,
    );
    assert.match(
      (await configError(loadConfig({ cwd, env: { NETPULSE_CONFIG_FILE: 'bad.yaml' } }))).message,
      /not valid YAML/,
    );
    assert.match(
      (await configError(loadConfig({ cwd, env: { NETPULSE_CONFIG_FILE: 'list.yaml' } }))).message,
      /must hold a mapping/,
    );
  });
});

describe('env overrides', () => {
  it('nested, case-insensitive and coerced to the key type', async () => {
    const { config } = await loadConfig({
      cwd: project(),
      env: {
        NETPULSE_REDIS__TLS__ENABLED: 'true',
        netpulse_worker__pinned_per_node: '64',
        NetPulse_Server__Port: '9500',
        NETPULSE_WORKER__HEARTBEAT_INTERVAL: '0.5',
        NETPULSE_WEBHOOK__ALLOW_HOSTS: '10.0.0.0/8, hooks.example',
        NETPULSE_PLUGIN__MODULES: '["./a.ts","@acme/b"]',
        NETPULSE_REDIS__USERNAME: 'null',
      },
    });
    assert.equal(config.redis.tls.enabled, true);
    assert.equal(config.worker.pinned_per_node, 64);
    assert.equal(config.server.port, 9500);
    assert.equal(config.worker.heartbeat_interval, 0.5);
    assert.deepEqual(config.webhook.allow_hosts, ['10.0.0.0/8', 'hooks.example']);
    assert.deepEqual(config.plugin.modules, ['./a.ts', '@acme/b']);
    assert.equal(config.redis.username, null);
  });

  it('booleans accept 1/0, yes/no, on/off', async () => {
    for (const [raw, want] of [
      ['1', true],
      ['yes', true],
      ['ON', true],
      ['0', false],
      ['no', false],
      ['off', false],
    ] as const) {
      const { config } = await loadConfig({ cwd: project(), env: { NETPULSE_REDIS__SENTINEL__ENABLED: raw } });
      assert.equal(config.redis.sentinel.enabled, want, raw);
    }
  });

  it('variables without a section separator are not config keys', async () => {
    const { config } = await loadConfig({
      cwd: project(),
      env: { NETPULSE_CORPORA_DIR: '/x', NETPULSE_FAKE_REDIS: '1' },
    });
    assert.equal(config.server.port, 9000);
  });

  it('an unknown env key is an error naming the variable', async () => {
    const e = await configError(loadConfig({ cwd: project(), env: { NETPULSE_SERVER__PROT: '1' } }));
    assert.match(e.message, /NETPULSE_SERVER__PROT/);
    assert.match(e.message, /names no configuration key/);
    const nested = await configError(loadConfig({ cwd: project(), env: { NETPULSE_REDIS__TLS__NOPE: '1' } }));
    assert.match(nested.message, /NETPULSE_REDIS__TLS__NOPE/);
  });

  it('an unknown key in .env is an error too', async () => {
    const e = await configError(loadConfig({ cwd: project({ '.env': 'NETPULSE_JOB__NOPE=1\n' }), env: {} }));
    assert.match(e.message, /NETPULSE_JOB__NOPE/);
  });
});

describe('precedence: overrides > env > .env > YAML > netpulse.config.ts > defaults', () => {
  it('each layer wins over the ones below it, key by key', async () => {
    const cwd = project({
      'netpulse.config.ts':
        'export default { server: { port: 9001, host: "127.0.0.9" }, job: { ttl: 11, timeout: 12, result_ttl: 13 }, worker: { pinned_per_node: 7 } };\n',
      'c.yaml': 'server:\n  port: 9002\njob:\n  ttl: 21\n  timeout: 22\nworker:\n  fifo_concurrency: 5\n',
      '.env': '# comment\nNETPULSE_SERVER__PORT=9003\nexport NETPULSE_JOB__TTL="31"\nNETPULSE_CONFIG_FILE=c.yaml\n',
    });
    const { config, sources } = await loadConfig({
      cwd,
      env: { NETPULSE_SERVER__PORT: '9004' },
      overrides: { worker: { pinned_per_node: 99 } },
    });
    assert.equal(config.server.port, 9004, 'env beats .env');
    assert.equal(config.job.ttl, 31, '.env beats YAML');
    assert.equal(config.job.timeout, 22, 'YAML beats netpulse.config.ts');
    assert.equal(config.job.result_ttl, 13, 'netpulse.config.ts beats defaults');
    assert.equal(config.server.host, '127.0.0.9', 'deep merge keeps sibling keys');
    assert.equal(config.worker.fifo_concurrency, 5);
    assert.equal(config.worker.pinned_per_node, 99, 'overrides beat everything');
    assert.equal(config.worker.scheduler, 'load_weighted_random', 'defaults fill the rest');
    assert.deepEqual(sources, ['defaults', join(cwd, 'netpulse.config.ts'), join(cwd, '.env'), join(cwd, 'c.yaml')]);
  });

  it('NETPULSE_DOTENV names another .env file', async () => {
    const cwd = project({ 'prod.env': 'NETPULSE_SERVER__PORT=9777\n' });
    const { config } = await loadConfig({ cwd, env: { NETPULSE_DOTENV: 'prod.env' } });
    assert.equal(config.server.port, 9777);
  });

  it('relative plugin.modules in a YAML file are relative to that file', async () => {
    const cwd = project({ 'c.yaml': 'plugin:\n  modules:\n    - ./plugins/a.ts\n    - "@acme/netpulse-b"\n' });
    const { config } = await loadConfig({ cwd, env: { NETPULSE_CONFIG_FILE: join(cwd, 'c.yaml') } });
    assert.deepEqual(config.plugin.modules, [join(cwd, 'plugins/a.ts'), '@acme/netpulse-b']);
  });
});

describe('validation messages', () => {
  it('name the key and the expected type, never the value', async () => {
    const cases: [Record<string, string>, RegExp, string][] = [
      [{ NETPULSE_SERVER__PORT: 'port-value-zzz' }, /server\.port: expected integer/, 'port-value-zzz'],
      [{ NETPULSE_REDIS__TLS__ENABLED: 'maybe-value-zzz' }, /redis\.tls\.enabled: expected boolean/, 'maybe-value-zzz'],
      [
        { NETPULSE_WORKER__HEARTBEAT_INTERVAL: 'fast-value-zzz' },
        /worker\.heartbeat_interval: expected number/,
        'fast-value-zzz',
      ],
      [{ NETPULSE_SERVER__PORT: '70000' }, /server\.port: must be <= 65535/, '70000'],
      [{ NETPULSE_LOG__LEVEL: 'loud-value-zzz' }, /log\.level:/, 'loud-value-zzz'],
    ];
    for (const [env, re, value] of cases) {
      const e = await configError(loadConfig({ cwd: project(), env }));
      assert.match(e.message, /^Invalid configuration: /);
      assert.match(e.message, re);
      assert.ok(!e.message.includes(value), `message echoes the value: ${e.message}`);
      assert.ok(!JSON.stringify(e.data).includes(value));
    }
  });

  it('a secret of the wrong type is not echoed', async () => {
    const cwd = project({ 'c.yaml': 'server:\n  api_key: 123456789\n' });
    const e = await configError(loadConfig({ cwd, env: { NETPULSE_CONFIG_FILE: 'c.yaml' } }));
    assert.match(e.message, /server\.api_key: expected string or null/);
    assert.ok(!e.message.includes('123456789'));
  });

  it('unknown keys in a file are named', async () => {
    const cwd = project({ 'c.yaml': 'server:\n  prot: 1\nnosection:\n  a: 1\n' });
    const e = await configError(loadConfig({ cwd, env: { NETPULSE_CONFIG_FILE: 'c.yaml' } }));
    assert.match(e.message, /server\.prot: unknown key/);
    assert.match(e.message, /nosection: unknown key/);
    assert.deepEqual([...(e.data as string[])].sort(), ['nosection: unknown key', 'server.prot: unknown key']);
  });
});

describe('netpulse config print', () => {
  /** The test process env without any NETPULSE_* variable, plus `extra`. */
  function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!/^netpulse_/i.test(k)) env[k] = v;
    return { ...env, ...extra };
  }

  function run(cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolvePromise) => {
      execFile(
        process.execPath,
        [resolve(PROJECT_ROOT, 'bin/netpulse.mjs'), 'config', 'print'],
        { cwd, env, timeout: 30_000 },
        (err, stdout, stderr) => {
          resolvePromise({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
        },
      );
    });
  }

  it('prints the effective configuration with secrets masked', async () => {
    const cwd = project();
    const r = await run(cwd, childEnv({ ...REF_ENV, NETPULSE_SERVER__PORT: '9311' }));
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.config.server.port, 9311);
    assert.equal(out.config.server.api_key, '******');
    assert.equal(out.config.redis.password, '******');
    assert.equal(out.config.redis.sentinel.password, '******');
    assert.equal(out.config.redis.host, 'redis');
    assert.ok(out.sources.includes(REFERENCE_YAML));
    for (const v of Object.values(REF_ENV).slice(1))
      assert.ok(!r.stdout.includes(v) && !r.stderr.includes(v), `output leaks ${v}`);
  });

  it('unset secrets stay null; an invalid config exits non-zero without the value', async () => {
    const ok = await run(project(), childEnv({}));
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).config.server.api_key, null);
    const bad = await run(project(), childEnv({ NETPULSE_SERVER__PORT: 'bad-port-zzz' }));
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /server\.port: expected integer/);
    assert.ok(!bad.stderr.includes('bad-port-zzz'));
  });
});
