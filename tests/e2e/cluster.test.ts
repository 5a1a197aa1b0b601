/**
 * Multi-process cluster on a real Redis: one `netpulse controller` and two `netpulse worker`
 * processes (echo driver, no device I/O). Covers per-host ordering, FIFO fan-out, kill -9 of a
 * node mid-job, a Redis restart with AOF, queue ttl expiry, cancel, a 1,000-host bulk request and
 * a graceful SIGTERM drain.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  TestRedis,
  clusterEnv,
  freePort,
  spawnNetPulse,
  stopProcess,
  waitFor,
  type NetPulseProcess,
} from '../helpers/cluster.ts';

const KEY = 'cluster-test-key';
const hasRedis = await TestRedis.available();

describe('cluster: controller + two worker nodes on Redis', {
  skip: hasRedis ? false : 'redis-server not installed: sudo bash scripts/lab/install.sh',
}, () => {
  let redis: TestRedis;
  let base = '';
  let env: Record<string, string>;
  const procs: NetPulseProcess[] = [];
  const workers = new Map<string, NetPulseProcess>();

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { 'X-API-KEY': KEY, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const exec = async (host: string, command: string | string[], extra: Record<string, unknown> = {}) => {
    const r = await call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host, password: 'pw' },
      command,
      ...extra,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.data.id as string;
  };
  const job = async (id: string) => (await call('GET', `/job?id=${id}`)).body.data[0];
  const waitEnd = async (ids: string[], timeoutMs = 30_000) => {
    const out = new Map<string, any>();
    await waitFor(
      `${ids.length} jobs to end`,
      async () => {
        for (const id of ids) {
          if (out.has(id)) continue;
          const j = await job(id);
          if (j && ['finished', 'failed', 'canceled'].includes(j.status)) out.set(id, j);
        }
        return out.size === ids.length;
      },
      timeoutMs,
      100,
    );
    return ids.map((id) => out.get(id));
  };
  const startWorker = (name: string) => {
    const w = spawnNetPulse('worker', name, env);
    procs.push(w);
    workers.set(name, w);
    return w;
  };
  const liveNodes = async () => (await call('GET', '/health')).body.data?.nodes?.live ?? 0;

  before(async () => {
    redis = new TestRedis(await freePort());
    await redis.start();
    const apiPort = await freePort();
    env = {
      ...clusterEnv(redis.port, apiPort, KEY),
      NETPULSE_WORKER__PINNED_PER_NODE: '600',
      NETPULSE_WORKER__DRAIN_TIMEOUT: '10',
      // Idle pinned hosts give their capacity back quickly, so later tests find room.
      NETPULSE_WORKER__IDLE_TIMEOUT: '3',
    };
    base = `http://127.0.0.1:${apiPort}`;
    procs.push(spawnNetPulse('controller', 'ctl', env));
    startWorker('node-a');
    startWorker('node-b');
    await waitFor(
      'controller to answer',
      async () => {
        try {
          return (await fetch(`${base}/docs`)).ok;
        } catch {
          return false;
        }
      },
      30_000,
      200,
    );
    await waitFor('two live nodes', async () => (await liveNodes()) === 2, 30_000, 200);
  });

  after(async () => {
    for (const p of procs) await stopProcess(p, 'SIGKILL', 2000);
    await redis.destroy();
  });

  it('runs jobs for one host strictly in submission order, one at a time, under concurrent submissions', async () => {
    const hosts = ['ord-1', 'ord-2', 'ord-3'];
    const submitted = await Promise.all(hosts.flatMap((h) => Array.from({ length: 8 }, () => exec(h, 'sleep 15'))));
    const jobs = await waitEnd(submitted);
    assert.ok(
      jobs.every((j) => j.status === 'finished'),
      JSON.stringify(jobs.filter((j) => j.status !== 'finished')),
    );
    for (const h of hosts) {
      const mine = jobs
        .filter((j) => j.host === h)
        .sort((a, b) => Date.parse(a.enqueued_at) - Date.parse(b.enqueued_at) || 0);
      const byStart = [...mine].sort((a, b) => Date.parse(a.started_at) - Date.parse(b.started_at));
      for (let i = 1; i < byStart.length; i++) {
        assert.ok(
          Date.parse(byStart[i].started_at) >= Date.parse(byStart[i - 1].ended_at),
          `host ${h}: jobs overlapped`,
        );
      }
      assert.equal(new Set(mine.map((j) => j.worker)).size, 1, `host ${h} is served by one pinned worker`);
      // one persistent session per host: every output carries the same session id
      const sessions = new Set(mine.map((j) => String(Object.values(j.result.retval)[0]).split('|')[0]));
      assert.equal(sessions.size, 1, `host ${h} reused one session`);
    }
  });

  it('fans FIFO jobs out over both nodes', async () => {
    const ids = await Promise.all(
      Array.from({ length: 40 }, (_, i) => exec(`fifo-${i}`, 'sleep 40', { queue_strategy: 'fifo' })),
    );
    const jobs = await waitEnd(ids);
    assert.ok(jobs.every((j) => j.status === 'finished'));
    assert.deepEqual(new Set(jobs.map((j) => j.worker)), new Set(['node-a_FifoQ', 'node-b_FifoQ']));
  });

  it('fails a queued job whose ttl passed, visibly', async () => {
    const blocker = await exec('ttl-host', 'sleep 2500');
    const late = await exec('ttl-host', 'show clock', { ttl: 1 });
    const [b, l] = await waitEnd([blocker, late]);
    assert.equal(b.status, 'finished');
    assert.equal(l.status, 'failed');
    assert.equal(l.result.error.type, 'JobExpiredError');
  });

  it('cancels queued jobs by id and by host; canceled jobs never run', async () => {
    const blocker = await exec('cancel-host', 'sleep 1500');
    const a = await exec('cancel-host', 'a');
    const b = await exec('cancel-host', 'b');
    const c = await exec('cancel-host', 'c');
    assert.deepEqual((await call('DELETE', `/job?id=${a}`)).body.data, [a]);
    assert.deepEqual((await call('DELETE', '/job?host=cancel-host')).body.data.sort(), [b, c].sort());
    assert.deepEqual((await call('DELETE', `/job?id=${blocker}`)).body.data, [], 'a started job is not canceled');
    const jobs = await waitEnd([blocker, a, b, c]);
    assert.deepEqual(
      jobs.map((j) => j.status),
      ['finished', 'canceled', 'canceled', 'canceled'],
    );
    assert.ok(jobs.slice(1).every((j) => j.started_at === null && j.result === null));
  });

  it('accepts a bulk request for 1,000 hosts and runs every job', async () => {
    const devices = Array.from({ length: 1000 }, (_, i) => ({ host: `bulk-${String(i).padStart(4, '0')}` }));
    const t0 = Date.now();
    const r = await call('POST', '/device/bulk', {
      driver: 'echo',
      connection_args: { password: 'pw' },
      devices,
      command: 'show version',
    });
    const acceptMs = Date.now() - t0;
    assert.equal(r.status, 201);
    assert.equal(r.body.data.succeeded.length, 1000);
    assert.deepEqual(r.body.data.failed, []);
    const jobs = await waitEnd(
      r.body.data.succeeded.map((j: any) => j.id),
      60_000,
    );
    assert.equal(jobs.filter((j) => j.status === 'finished').length, 1000);
    const perNode = new Map<string, number>();
    for (const j of jobs) perNode.set(j.node, (perNode.get(j.node) ?? 0) + 1);
    assert.equal(perNode.size, 2, `capacity 600 per node: both nodes got hosts: ${JSON.stringify([...perNode])}`);
    console.log(`bulk 1000 hosts accepted in ${acceptMs} ms; per node ${JSON.stringify([...perNode])}`);
    // Idle eviction returns the capacity to the pool.
    await waitFor(
      'idle hosts to be released',
      async () => (await call('GET', '/health')).body.data.nodes.pinned < 20,
      30_000,
      250,
    );
  });

  it('survives a Redis restart: clients reconnect and queued jobs still run (AOF)', async () => {
    const blocker = await exec('restart-host', 'sleep 1500');
    const queued = [
      await exec('restart-host', 'q1'),
      await exec('restart-host', 'q2'),
      await exec('restart-host', 'q3'),
    ];
    await redis.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    await redis.start();
    const jobs = await waitEnd([blocker, ...queued], 45_000);
    assert.deepEqual(
      jobs.map((j) => j.status),
      ['finished', 'finished', 'finished', 'finished'],
      JSON.stringify(jobs.map((j) => j.result)),
    );
    await waitFor('both nodes alive after the restart', async () => (await liveNodes()) === 2, 20_000, 200);
  });

  it('kill -9 of a node mid-job: the running job fails as worker lost, its queued jobs finish on the other node', async () => {
    const running = await exec('victim-host', 'sleep 8000');
    await waitFor('the long job to start', async () => (await job(running))?.status === 'started', 10_000);
    const owner = (await job(running)).node as string;
    const queued = [await exec('victim-host', 'after-1'), await exec('victim-host', 'after-2')];
    const victim = workers.get(owner)!;
    victim.proc.kill('SIGKILL');
    await victim.exited;
    const jobs = await waitEnd([running, ...queued], 30_000);
    assert.equal(jobs[0].status, 'failed');
    assert.equal(jobs[0].result.error.type, 'WorkerLostError');
    assert.match(jobs[0].result.error.message, new RegExp(owner));
    const survivor = owner === 'node-a' ? 'node-b' : 'node-a';
    assert.deepEqual(
      jobs.slice(1).map((j) => [j.status, j.node]),
      [
        ['finished', survivor],
        ['finished', survivor],
      ],
    );
    const fresh = await exec('victim-host', 'later');
    const [f] = await waitEnd([fresh]);
    assert.equal(f.node, survivor);
    // bring the node back for the next test
    startWorker(owner);
    await waitFor('two live nodes again', async () => (await liveNodes()) === 2, 30_000, 200);
  });

  it('SIGTERM drains the running job, then the node exits cleanly', async () => {
    const id = await exec('drain-host', 'sleep 1200');
    await waitFor('the job to start', async () => (await job(id))?.status === 'started', 10_000);
    const node = (await job(id)).node as string;
    const code = await stopProcess(workers.get(node)!, 'SIGTERM', 20_000);
    assert.equal(code, 0);
    const [j] = await waitEnd([id]);
    assert.equal(j.status, 'finished');
    await waitFor(
      'the stopped node to leave the registry',
      async () => {
        const w = (await call('GET', `/worker?node=${node}`)).body.data;
        return w.length === 0;
      },
      10_000,
      200,
    );
  });
});
