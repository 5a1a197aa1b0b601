/**
 * Row "credentials at rest": the stored job request is sealed with AES-256-GCM under
 * server.secret_key, so a private Redis's append-only file never holds a submitted password;
 * server.secret_key_previous opens requests sealed before a rotation.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../helpers/cluster.ts';
import { commandRuns, rawCommand, ServerSet } from '../helpers/redis-servers.ts';
import { startTestServer, waitJob, type TestServer } from '../helpers/server.ts';
import { generateSecretKey, keyringFrom, open, parseSecretKey, seal } from '../../core/security/sealed.ts';
import { startNetPulse } from '../../core/app/bootstrap.ts';
import { NetPulseError } from '../../core/errors.ts';
import { OPENED_MAX, OPENED_MAX_CHARS, openedSharedSize } from '../../core/jobs/shared-seal.ts';
import type { NewJob } from '../../core/contracts/broker.ts';
import {
  type JobRequest,
  parseJobRequest,
  serializeJobRequest,
  serializeJobRequests,
} from '../../core/jobs/request.ts';

const haveRedis = await commandRuns('redis-server', ['--version']);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('secrets at rest', { skip: haveRedis ? false : 'redis-server is not installed' }, () => {
  const servers = new ServerSet();
  let port: number;
  let dir: string;
  let s: TestServer;

  before(async () => {
    port = await freePort();
    ({ dir } = await servers.startRedis(port, { appendonly: true }));
    s = await startTestServer({
      broker: { name: 'redis' },
      redis: { host: '127.0.0.1', port, key: { prefix: `np-aof-${port}` } },
    });
  });
  after(async () => {
    await s?.stop();
    await servers.cleanup();
  });

  it('the AOF holds no submitted password, for finished and running jobs', async () => {
    const passwords = ['Aof-Pass-1f3c9e', 'Aof-Secret-77ab', 'Aof-Running-5d21', 'Aof-Queued-e80b'];
    const ran = await s.call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host: 'aof-1', password: passwords[0] },
      webhook: { url: 'http://127.0.0.1:9/hook', auth: ['u', passwords[1]] },
      command: 'show clock',
    });
    assert.equal(ran.status, 201, JSON.stringify(ran.body));
    assert.equal((await waitJob(s, ran.body.data.id)).status, 'finished');
    // Still running when we look.
    const running = await s.call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host: 'aof-2', password: passwords[2] },
      command: 'sleep 2000',
    });
    assert.equal(running.status, 201, JSON.stringify(running.body));
    // Queued behind it (a pinned host runs one job at a time): its request is in Redis at the rewrite.
    const queued = await s.call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host: 'aof-2', password: passwords[3] },
      command: 'show clock',
    });
    assert.equal(queued.status, 201, JSON.stringify(queued.body));
    // A bulk request shares one seal; a device's own password goes in its sealed patch.
    const bulk = await s.call('POST', '/device/bulk', {
      driver: 'echo',
      connection_args: { password: 'Aof-Bulk-Shared-4c2a', username: 'ops' },
      devices: [{ host: 'aof-b1' }, { host: 'aof-b2', port: 2022 }, { host: 'aof-b3', password: 'Aof-Bulk-Own-91fe' }],
      command: 'show clock',
    });
    assert.equal(bulk.status, 201, JSON.stringify(bulk.body));
    passwords.push('Aof-Bulk-Shared-4c2a', 'Aof-Bulk-Own-91fe');
    for (const j of bulk.body.data.succeeded) assert.equal((await waitJob(s, j.id)).status, 'finished');
    assert.equal(await rawCommand(port, 'BGREWRITEAOF').then((r) => r?.startsWith('+')), true);
    await new Promise((r) => setTimeout(r, 500));
    const files = filesUnder(dir);
    assert.ok(
      files.some((f) => /appendonly/.test(f)),
      `no AOF in ${files.join(', ')}`,
    );
    const all = files.map((f) => readFileSync(f)).reduce((a, b) => Buffer.concat([a, b]), Buffer.alloc(0));
    assert.ok(all.includes(Buffer.from('aof-2')), 'the AOF records the jobs (the grep can find things)');
    for (const p of passwords) assert.ok(!all.includes(Buffer.from(p)), `password ${p} found in the AOF`);
    assert.ok(all.includes(Buffer.from('$sealed')), 'stored requests are sealed');
  });
});

/** A valid typed request carrying a password, as accept builds it. */
function sampleRequest(password: string): JobRequest {
  return {
    driver: 'echo',
    host: 'seam-1',
    connection_args: { host: 'seam-1', password },
    driver_args: {},
    operation: 'command',
    payload: ['show clock'],
    rendering: null,
    parsing: null,
    queue_strategy: 'fifo',
    ttl: 60,
    execution_timeout: 60,
    result_ttl: 60,
    webhook: null,
    options: {},
  };
}

describe('the request seam seals and opens', () => {
  it('serializeJobRequest seals the whole stored form; parseJobRequest opens and validates it', () => {
    const ring = keyringFrom(generateSecretKey(), null);
    const req = sampleRequest('Seam-Pass-93e1');
    const stored = serializeJobRequest(req, ring);
    assert.deepEqual(Object.keys(stored), ['$sealed']);
    assert.ok(!JSON.stringify(stored).includes('Seam-Pass-93e1'));
    assert.deepEqual(parseJobRequest(stored, ring), req);
    // Without a key the stored form is the plain {v, request} (what unit tests and old queues hold).
    assert.deepEqual(parseJobRequest(serializeJobRequest(req), ring), req);
    assert.throws(
      () => parseJobRequest(stored),
      (e: unknown) => e instanceof NetPulseError && e.code === 'NP_ERR_CONFIG',
    );
    // A sealed form that opens to something invalid still fails validation on the node.
    const bad = seal({ v: 99, request: req } as unknown as Record<string, unknown>, ring);
    assert.throws(
      () => parseJobRequest(bad, ring),
      (e: unknown) => e instanceof NetPulseError && e.code === 'NP_ERR_VALIDATION',
    );
  });

  it('over the memory broker: what the broker holds is sealed and the node still runs the job', async () => {
    const s = await startTestServer();
    try {
      const held: Record<string, unknown>[] = [];
      const broker = s.np.broker as unknown as Record<
        string,
        (jobs: NewJob | NewJob[], ...rest: unknown[]) => Promise<unknown>
      >;
      // Record what the broker is handed (the fail-fast wrapper the API uses reads these methods from it).
      for (const m of ['enqueueFifo', 'enqueuePinned']) {
        const orig = broker[m]!.bind(broker);
        broker[m] = (jobs, ...rest) => {
          for (const j of Array.isArray(jobs) ? jobs : [jobs]) held.push(j.request);
          return orig(jobs, ...rest);
        };
      }
      const password = 'Mem-Pass-4c0d';
      const r = await s.call('POST', '/device/exec', {
        driver: 'echo',
        connection_args: { host: 'mem-1', password },
        command: 'show clock',
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const job = await waitJob(s, r.body.data.id);
      assert.equal(job.status, 'finished', JSON.stringify(job.result));
      // Pinned placement may offer the same job more than once (unplaced → retry); each offer is sealed.
      assert.ok(held.length >= 1);
      for (const h of held)
        assert.deepEqual(Object.keys(h), ['$sealed'], 'the memory broker holds only the sealed form');
      assert.ok(!JSON.stringify(held).includes(password));
    } finally {
      await s.stop();
    }
  });
});

describe('one seal per bulk request', () => {
  const ring = keyringFrom(generateSecretKey(), null);
  const device = (host: string, extra: Record<string, unknown> = {}): JobRequest => {
    const r = sampleRequest('Bulk-Shared-Pass');
    return { ...r, host, connection_args: { ...r.connection_args, host, ...extra } };
  };

  it('shares the first sealed text; clear patches name only host, port and device_type; every job opens to its request', () => {
    const reqs = [device('b-1'), device('b-2', { port: 2022, device_type: 'cisco_ios' }), device('b-3')];
    const stored = serializeJobRequests(reqs, ring);
    assert.deepEqual(Object.keys(stored[0]!), ['$sealed']);
    for (const s of stored.slice(1)) {
      assert.deepEqual(Object.keys(s), ['$sealed', '$patch', '$tag']);
      assert.equal(s.$sealed, stored[0]!.$sealed);
    }
    assert.deepEqual(JSON.parse(stored[1]!.$patch as string), { host: 'b-2', port: 2022, device_type: 'cisco_ios' });
    assert.ok(!JSON.stringify(stored).includes('Bulk-Shared-Pass'));
    for (const [i, s] of stored.entries()) assert.deepEqual(parseJobRequest(s, ring), reqs[i]);
  });

  it('seals a patch that carries any other key, and seals whole a request that differs elsewhere', () => {
    const own = device('b-2', { password: 'Own-Device-Pass', username: 'dev' });
    const other = { ...device('b-3'), payload: ['show version'] };
    const fewer = device('b-4');
    delete fewer.connection_args.password;
    const reqs = [device('b-1'), own, other, fewer];
    const stored = serializeJobRequests(reqs, ring);
    assert.ok((stored[1]!.$patch as string).startsWith('v1.'), 'the patch is sealed');
    assert.ok(!JSON.stringify(stored).includes('Own-Device-Pass'));
    assert.deepEqual(Object.keys(stored[2]!), ['$sealed']);
    assert.notEqual(stored[2]!.$sealed, stored[0]!.$sealed);
    assert.deepEqual(Object.keys(stored[3]!), ['$sealed']);
    for (const [i, s] of stored.entries()) assert.deepEqual(parseJobRequest(s, ring), reqs[i]);
  });

  it('the node keeps at most 64 opened batches and 8 MiB of them', () => {
    const r = keyringFrom(generateSecretKey(), null);
    const openBatch = (payload: string[]) => {
      const batch = [device('c-1'), device('c-2')].map((d) => ({ ...d, payload }));
      assert.deepEqual(parseJobRequest(serializeJobRequests(batch, r)[1]!, r).payload, payload);
    };
    for (let i = 0; i < OPENED_MAX + 6; i++) openBatch([`show run ${i}`]);
    assert.equal(openedSharedSize(r).texts, OPENED_MAX);
    for (let i = 0; i < 12; i++) openBatch([`${i}`.padEnd(1_000_000, 'x')]);
    const { texts, chars } = openedSharedSize(r);
    assert.ok(chars <= OPENED_MAX_CHARS && chars > OPENED_MAX_CHARS - 1_100_000, `${texts} texts, ${chars} chars`);
    // One text above the whole bound opens and is not kept.
    openBatch(['y'.repeat(OPENED_MAX_CHARS + 1)]);
    assert.ok(openedSharedSize(r).chars <= OPENED_MAX_CHARS);
  });

  it('refuses a patch changed, moved to another batch or opened without the key', () => {
    const a = serializeJobRequests([device('a-1'), device('a-2')], ring);
    const b = serializeJobRequests([device('b-1'), device('b-2')], ring);
    const failsAuth = (s: Record<string, unknown>, r = ring) =>
      assert.throws(
        () => parseJobRequest(s, r),
        (e: unknown) => e instanceof NetPulseError && /failed authentication/.test(e.message),
      );
    failsAuth({ ...a[1]!, $patch: JSON.stringify({ host: 'attacker.example' }) });
    failsAuth({ ...a[1]!, $sealed: b[0]!.$sealed });
    failsAuth({ ...a[1]!, $tag: undefined });
    // A node with another key learns nothing from the shared text another ring opened.
    assert.deepEqual(parseJobRequest(a[1]!, ring).host, 'a-2');
    assert.throws(
      () => parseJobRequest(a[1]!, keyringFrom(generateSecretKey(), null)),
      (e: unknown) => e instanceof NetPulseError && e.code === 'NP_ERR_CONFIG',
    );
    // After a rotation the previous key still opens a queued batch.
    const rotated = keyringFrom(generateSecretKey(), null);
    const both = { current: rotated.current, previous: ring.current };
    assert.equal(parseJobRequest(a[1]!, both).host, 'a-2');
  });
});

describe('sealing', () => {
  it('round-trips, detects tampering and rotates with a decrypt-only previous key', () => {
    const oldKey = generateSecretKey();
    const newKey = Buffer.alloc(32, 7).toString('base64');
    const sealed = seal({ connection_args: { password: 'p@ss' } }, keyringFrom(oldKey, null));
    assert.ok(!JSON.stringify(sealed).includes('p@ss'));
    assert.deepEqual(open(sealed, keyringFrom(newKey, oldKey)), { connection_args: { password: 'p@ss' } });
    assert.throws(
      () => open(sealed, keyringFrom(newKey, null)),
      (e: unknown) => e instanceof NetPulseError && /neither server.secret_key/.test(e.message),
    );
    const text = sealed.$sealed as string;
    const tampered = { $sealed: text.slice(0, -2) + (text.endsWith('A') ? 'BB' : 'AA') };
    assert.throws(() => open(tampered, keyringFrom(oldKey, null)), /failed authentication/);
    assert.throws(() => parseSecretKey('too-short'), /64 hex digits or base64/);
  });

  it('a controller or worker without server.secret_key refuses to start', async () => {
    for (const role of ['controller', 'worker'] as const) {
      await assert.rejects(
        startNetPulse({
          role,
          listen: false,
          skipConfigTs: true,
          env: {},
          overrides: { server: { api_key: 'k' }, log: { level: 'silent' } },
        }),
        (e: unknown) =>
          e instanceof NetPulseError && e.code === 'NP_ERR_CONFIG' && /server\.secret_key is required/.test(e.message),
      );
    }
  });
});
