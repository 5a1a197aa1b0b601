/**
 * The Redis broker over TLS and through Sentinel, against real servers on loopback started by this
 * file: a TLS-only redis-server with a throwaway CA (openssl CLI), and a plain master watched by a
 * Sentinel. Both run the full broker conformance suite; TLS also checks that a plain-TCP client and
 * a client trusting another CA are refused. Every server is killed and every temp dir removed, also
 * when a test fails.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { runBrokerConformance, nodeRecord } from '../conformance/broker.ts';
import { RedisBroker } from '../../plugins/brokers/redis/broker.ts';
import { createRedis, type RedisSettings } from '../../plugins/brokers/redis/connection.ts';
import { freePort } from '../helpers/cluster.ts';
import { redisTestSettings, deleteByPrefix, redisBrokerFactory, testKeys } from '../helpers/redis.ts';
import {
  ServerSet,
  TlsUnsupportedError,
  commandRuns,
  makeTlsMaterial,
  type TlsMaterial,
} from '../helpers/redis-servers.ts';

const INSTALL = 'sudo bash scripts/lab/install.sh';
const servers = new ServerSet();
after(() => servers.cleanup());

const hasOpenssl = await commandRuns('openssl', ['version']);
const hasRedis = await commandRuns('redis-server', ['--version']);
// Debian's redis-sentinel is redis-server under another name; `redis-server <conf> --sentinel` is the same mode.
const sentinelBinary = (await commandRuns('redis-sentinel', ['--version']))
  ? 'redis-sentinel'
  : hasRedis
    ? 'redis-server'
    : null;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * Connects a client built by connection.ts (the broker's own path) and expects it to be refused
 * within `boundMs`: connect() fails and a PING does not answer. The client is always disconnected,
 * since ioredis would otherwise retry forever.
 */
async function expectRefused(settings: RedisSettings, boundMs = 5000): Promise<Error[]> {
  const errors: Error[] = [];
  const r = createRedis(settings, 'commands');
  r.on('error', (e: Error) => errors.push(e));
  try {
    const t0 = Date.now();
    const outcome = await Promise.race([
      r.connect().then(
        () => 'connected',
        () => 'refused',
      ),
      sleep(boundMs).then(() => 'no answer'),
    ]);
    assert.equal(outcome, 'refused', `connect: ${outcome}`);
    const ping = await Promise.race([
      r.ping().then(
        (v) => v,
        () => 'error',
      ),
      sleep(1000).then(() => 'no answer'),
    ]);
    assert.notEqual(ping, 'PONG');
    assert.ok(Date.now() - t0 < boundMs + 1500, `refusal took ${Date.now() - t0} ms`);
    return errors;
  } finally {
    r.disconnect();
  }
}

// ---- setup: every server starts before any test is registered, so the root after() hook (which
// kills them) cannot run while one is still starting. A setup error becomes a failing test.

let tls: { port: number; m: TlsMaterial; other: TlsMaterial } | null = null;
let tlsSkip = '';
let tlsError: unknown = null;
if (!hasOpenssl) tlsSkip = `openssl not installed: ${INSTALL}`;
else if (!hasRedis) tlsSkip = `redis-server not installed: ${INSTALL}`;
else {
  try {
    const dir = servers.tempDir('tls-material');
    const m = await makeTlsMaterial(dir, 'np');
    const other = await makeTlsMaterial(dir, 'other');
    const port = await freePort();
    await servers.startTlsRedis(port, m);
    tls = { port, m, other };
  } catch (e) {
    if (e instanceof TlsUnsupportedError)
      tlsSkip = `redis-server has no TLS support (${e.message.trim().split('\n').pop()}): ${INSTALL}`;
    else tlsError = e;
  }
}

let sentinel: { masterPort: number; port: number } | null = null;
let sentinelError: unknown = null;
if (sentinelBinary) {
  try {
    const masterPort = await freePort();
    await servers.startRedis(masterPort);
    const port = await freePort();
    await servers.startSentinel(port, masterPort, 'mymaster', sentinelBinary);
    sentinel = { masterPort, port };
  } catch (e) {
    sentinelError = e;
  }
}

// ---- TLS ----

if (tls) {
  const { port, m, other } = tls;
  const tlsSettings: RedisSettings = {
    ...redisTestSettings(port),
    tls: { enabled: true, ca: m.ca, cert: m.clientCert, key: m.clientKey },
  };
  runBrokerConformance('redis over TLS', redisBrokerFactory(tlsSettings));

  test('redis over TLS: a plain-TCP client is refused on the TLS port', async () => {
    await expectRefused({ ...tlsSettings, timeout: 2, tls: { enabled: false, ca: null, cert: null, key: null } });
  });

  test('redis over TLS: a client trusting another CA rejects the server certificate', async () => {
    const errors = await expectRefused({
      ...tlsSettings,
      timeout: 2,
      tls: { enabled: true, ca: other.ca, cert: other.clientCert, key: other.clientKey },
    });
    assert.ok(
      errors.some((e) => /certificate|self.signed|verify/i.test(e.message)),
      errors.map((e) => e.message).join('; '),
    );
  });
} else if (tlsError) {
  test('broker conformance: redis over TLS (setup)', () => {
    throw tlsError;
  });
} else {
  test('broker conformance: redis over TLS', (t) => t.skip(tlsSkip));
}

// ---- Sentinel ----

if (sentinel) {
  const { masterPort, port } = sentinel;
  // host/port point nowhere (port 1): only the master Sentinel names can answer.
  const sentinelSettings: RedisSettings = {
    ...redisTestSettings(1),
    sentinel: { enabled: true, host: '127.0.0.1', port, master_name: 'mymaster', password: null },
  };
  runBrokerConformance('redis through Sentinel', redisBrokerFactory(sentinelSettings));

  test('redis through Sentinel: writes land on the master Sentinel names', async () => {
    const prefix = `nptest-${randomUUID().slice(0, 8)}`;
    const b = new RedisBroker(sentinelSettings, testKeys(prefix));
    await b.start();
    const direct = new Redis({ host: '127.0.0.1', port: masterPort, lazyConnect: true, retryStrategy: () => null });
    try {
      assert.equal(await b.ping(), true);
      await b.heartbeat(nodeRecord('n-sentinel'), 5000);
      await direct.connect();
      assert.ok(await direct.hexists(`${prefix}:node_info_map`, 'n-sentinel'), 'node record on the master');
      await deleteByPrefix(direct, prefix);
    } finally {
      await b.close();
      direct.disconnect();
    }
  });
} else if (sentinelError) {
  test('broker conformance: redis through Sentinel (setup)', () => {
    throw sentinelError;
  });
} else {
  test('broker conformance: redis through Sentinel', (t) => t.skip(`redis-sentinel not installed: ${INSTALL}`));
}
