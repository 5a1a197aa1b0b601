/**
 * Job events in cluster mode: two `netpulse controller` processes and one `netpulse worker` on a
 * private Redis. A stream opened on controller B sees jobs submitted through controller A and run
 * by the worker, and a client that drops its connection resumes on the other controller with
 * Last-Event-ID (the ids are the shared Redis stream's).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestRedis, freePort, spawnNetPulse, stopProcess, waitFor, type NetPulseProcess } from '../helpers/cluster.ts';
import { openEvents } from '../helpers/sse.ts';

const KEY = 'events-cluster-key';
const hasRedis = await TestRedis.available();

describe('events: two controllers + a worker on Redis', {
  skip: hasRedis ? false : 'redis-server not installed',
}, () => {
  let redis: TestRedis;
  const procs: NetPulseProcess[] = [];
  const bases: string[] = [];

  before(async () => {
    redis = new TestRedis(await freePort());
    await redis.start();
    const common = {
      NETPULSE_REDIS__HOST: '127.0.0.1',
      NETPULSE_REDIS__PORT: String(redis.port),
      NETPULSE_SERVER__HOST: '127.0.0.1',
      NETPULSE_SERVER__API_KEY: KEY,
      NETPULSE_WORKER__HEARTBEAT_INTERVAL: '0.5',
    };
    for (const name of ['ctl-a', 'ctl-b']) {
      const port = await freePort();
      bases.push(`http://127.0.0.1:${port}`);
      procs.push(spawnNetPulse('controller', name, { ...common, NETPULSE_SERVER__PORT: String(port) }));
    }
    procs.push(spawnNetPulse('worker', 'ev-node', common));
    await waitFor(
      'both controllers see the node',
      async () => {
        for (const b of bases) {
          try {
            const r = (await (await fetch(`${b}/health`, { headers: { 'X-API-KEY': KEY } })).json()) as any;
            if (r.data?.nodes?.live !== 1) return false;
          } catch {
            return false;
          }
        }
        return true;
      },
      60_000,
      200,
    );
  });
  after(async () => {
    for (const p of procs) await stopProcess(p, 'SIGTERM', 10_000);
    await redis?.destroy();
  });

  const submit = async (base: string, body: unknown) => {
    const res = await fetch(`${base}/device/bulk`, {
      method: 'POST',
      headers: { 'X-API-KEY': KEY, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 201);
    return ((await res.json()) as any).data;
  };

  it('controller B streams the jobs controller A accepted and the worker ran', async () => {
    const stream = await openEvents(`${bases[1]}/events?host=cl-1,cl-2`, { 'X-API-KEY': KEY });
    try {
      const data = await submit(bases[0], {
        driver: 'echo',
        connection_args: { password: 'pw' },
        devices: [{ host: 'cl-1' }, { host: 'cl-2' }],
        command: 'x',
      });
      const ended = new Set<string>();
      const events = await stream.until((e) => {
        if (e.event === 'job.finished') ended.add(e.json.job.id);
        return ended.size === 2;
      }, 20_000);
      assert.deepEqual([...ended].sort(), data.succeeded.map((j: any) => j.id).sort());
      assert.equal(events.filter((e) => e.event === 'job.started').length, 2);
      for (const e of events) {
        assert.equal(e.json.job.batch_id, data.batch_id);
        if (e.event !== 'job.queued') assert.equal(e.json.job.node, 'ev-node');
      }
      assert.deepEqual(events.find((e) => e.event === 'job.finished')!.json.job.result.type, 1);
    } finally {
      stream.close();
    }
  });

  it('a stream dropped on A resumes on B with Last-Event-ID', async () => {
    const onA = await openEvents(`${bases[0]}/events?host=cl-resume`, { 'X-API-KEY': KEY });
    await submit(bases[0], {
      driver: 'echo',
      connection_args: { password: 'pw' },
      devices: [{ host: 'cl-resume' }],
      command: 'sleep 500',
    });
    const queued = await onA.next(20_000);
    assert.equal(queued.event, 'job.queued');
    onA.close();
    const onB = await openEvents(`${bases[1]}/events?host=cl-resume`, {
      'X-API-KEY': KEY,
      'Last-Event-ID': String(queued.id),
    });
    try {
      const rest = await onB.until((e) => e.event === 'job.finished', 20_000);
      assert.deepEqual(
        rest.map((e) => e.event),
        ['job.started', 'job.finished'],
      );
    } finally {
      onB.close();
    }
  });
});
