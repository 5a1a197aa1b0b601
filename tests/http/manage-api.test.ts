/**
 * The manage API against a real server (the reference routes, with its listing, cancel and health gaps fixed): GET/DELETE
 * /job filters and pagination, GET/DELETE /worker, /health with the memory and the Redis broker,
 * and 503 when no node is alive. Jobs stay queued behind a `sleep` blocker on their host (the
 * echo driver runs one job at a time per pinned host).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, waitJob, type TestServer } from '../helpers/server.ts';
import { TestRedis, freePort, waitFor } from '../helpers/cluster.ts';
import { envelope } from '../helpers/errors.ts';

const NODE = 'np-manage-node';
let s: TestServer;
let hostN = 0;
const freshHost = () => `10.7.0.${++hostN}`;

before(async () => {
  s = await startTestServer({ worker: { drain_timeout: 1 } }, { nodeName: NODE });
});
after(async () => {
  await s.stop();
});

const execBody = (host: string, command: string | string[], extra: Record<string, unknown> = {}) => ({
  driver: 'echo',
  connection_args: { host, username: 'u', password: 'p' },
  command,
  ...extra,
});

async function submit(host: string, command: string | string[], extra: Record<string, unknown> = {}): Promise<string> {
  const r = await s.call('POST', '/device/exec', execBody(host, command, extra));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.data.id;
}

async function jobs(query: string): Promise<any[]> {
  const r = await s.call('GET', `/job${query}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.code, 200);
  assert.ok(Array.isArray(r.body.data));
  return r.body.data;
}

const ids = (list: { id: string }[]) => list.map((j) => j.id);

async function waitStatus(id: string, status: string, timeoutMs = 10_000): Promise<void> {
  await waitFor(`job ${id} ${status}`, async () => (await jobs(`?id=${id}`))[0]?.status === status, timeoutMs, 20);
}

/** A host whose pinned worker is busy with `sleep <ms>`; returns the blocker's id. */
async function blockHost(host: string, ms = 3000): Promise<string> {
  const id = await submit(host, `sleep ${ms}`);
  await waitStatus(id, 'started');
  return id;
}

describe('GET /job', () => {
  let host: string;
  let blocker: string;
  let waiting: string[];
  let done: string;
  let fifo: string;

  before(async () => {
    const other = freshHost();
    done = (await waitJob(s, await submit(other, 'show done'))).id;
    fifo = (await waitJob(s, await submit(other, 'show fifo', { queue_strategy: 'fifo' }))).id;
    host = freshHost();
    blocker = await blockHost(host, 4000);
    waiting = [await submit(host, 'show a'), await submit(host, 'show b'), await submit(host, 'show c')];
  });

  it('id → that job only; an unknown id → []', async () => {
    const list = await jobs(`?id=${waiting[1]}`);
    assert.deepEqual(ids(list), [waiting[1]]);
    assert.equal(list[0].status, 'queued');
    assert.equal(list[0].queue, `HostQ_${host}`);
    assert.deepEqual(await jobs('?id=00000000-0000-4000-8000-000000000000'), []);
  });

  it('queue=HostQ_<host> → the host jobs, newest first', async () => {
    assert.deepEqual(ids(await jobs(`?queue=HostQ_${host}`)), [...waiting].reverse().concat(blocker));
  });

  it('queue=FifoQ → the FIFO jobs only', async () => {
    const list = await jobs('?queue=FifoQ');
    assert.ok(ids(list).includes(fifo));
    assert.ok(
      list.every((j) => j.queue === 'FifoQ'),
      JSON.stringify(list.map((j) => j.queue)),
    );
    assert.ok(!ids(list).includes(done));
  });

  it('status: queued, started, finished (alone and with a queue)', async () => {
    const queued = ids(await jobs('?status=queued'));
    for (const id of waiting) assert.ok(queued.includes(id));
    assert.ok(!queued.includes(blocker) && !queued.includes(done));
    assert.deepEqual(ids(await jobs(`?status=queued&queue=HostQ_${host}`)), [...waiting].reverse());
    assert.deepEqual(ids(await jobs(`?status=started&queue=HostQ_${host}`)), [blocker]);
    assert.ok(ids(await jobs('?status=started')).includes(blocker));
    const finished = ids(await jobs('?status=finished'));
    assert.ok(finished.includes(done) && finished.includes(fifo));
    assert.ok(!finished.includes(blocker));
  });

  it('host filter, alone and combined', async () => {
    assert.deepEqual(ids(await jobs(`?host=${host}`)), [...waiting].reverse().concat(blocker));
    assert.deepEqual(ids(await jobs(`?host=${host}&status=started`)), [blocker]);
    assert.deepEqual(await jobs('?host=10.255.255.254'), []);
  });

  it('node filter: jobs the node ran', async () => {
    const list = await jobs(`?node=${NODE}`);
    for (const id of [done, fifo, blocker]) assert.ok(ids(list).includes(id), id);
    assert.ok(
      list.every((j) => j.node === NODE || j.status === 'queued'),
      JSON.stringify(list),
    );
    assert.deepEqual(await jobs('?node=no-such-node'), []);
  });

  it('limit/offset page newest first', async () => {
    const q = `?host=${host}`;
    assert.deepEqual(ids(await jobs(`${q}&limit=2`)), [waiting[2], waiting[1]]);
    assert.deepEqual(ids(await jobs(`${q}&limit=2&offset=2`)), [waiting[0], blocker]);
    assert.deepEqual(ids(await jobs(`${q}&limit=1&offset=1`)), [waiting[1]]);
    assert.deepEqual(await jobs(`${q}&offset=50`), []);
  });

  it('an empty value counts as absent', async () => {
    assert.deepEqual(ids(await jobs(`?host=${host}&status=&queue=`)), [...waiting].reverse().concat(blocker));
  });

  it('invalid values → 400 Validation Error', async () => {
    for (const q of ['status=bogus', 'limit=0', 'limit=abc', 'limit=100001', 'offset=-1', 'foo=1']) {
      const data = envelope(await s.call('GET', `/job?${q}`), 400, 'Validation Error');
      assert.ok(Array.isArray(data) && data.length > 0, q);
      assert.equal(data[0].loc[0], 'querystring', JSON.stringify(data));
    }
  });

  it('a job view has the JobInResponse fields', async () => {
    const [j] = await jobs(`?id=${done}`);
    for (const k of [
      'id',
      'status',
      'created_at',
      'enqueued_at',
      'started_at',
      'ended_at',
      'queue',
      'worker',
      'result',
      'duration',
      'queue_time',
    ])
      assert.ok(k in j, k);
    assert.equal(j.status, 'finished');
    assert.equal(j.node, NODE);
    assert.match(j.result.retval['show done'], /\|show done$/);
  });

  after(async () => {
    await s.call('DELETE', `/job?host=${host}`);
  });
});

describe('DELETE /job', () => {
  it('no filter → []', async () => {
    const r = await s.call('DELETE', '/job');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { code: 200, message: 'success', data: [] });
  });

  it('by id: a queued job is canceled; a started one is not', async () => {
    const host = freshHost();
    const blocker = await blockHost(host);
    const [a, b] = [await submit(host, 'show a'), await submit(host, 'show b')];
    assert.deepEqual((await s.call('DELETE', `/job?id=${blocker}`)).body.data, []);
    assert.equal((await jobs(`?id=${blocker}`))[0].status, 'started');
    assert.deepEqual((await s.call('DELETE', `/job?id=${a}`)).body.data, [a]);
    assert.equal((await jobs(`?id=${a}`))[0].status, 'canceled');
    assert.deepEqual((await s.call('DELETE', `/job?id=${a}`)).body.data, [], 'canceling twice cancels nothing');
    // The blocker still finishes; the canceled job never runs; the other one does.
    assert.equal((await waitJob(s, blocker)).status, 'finished');
    assert.equal((await waitJob(s, b)).status, 'finished');
    const ca = (await jobs(`?id=${a}`))[0];
    assert.equal(ca.status, 'canceled');
    assert.equal(ca.started_at, null);
  });

  it('by queue: every waiting job of the queue; the running one stays', async () => {
    const host = freshHost();
    const blocker = await blockHost(host);
    const waiting = [await submit(host, 'show a'), await submit(host, 'show b')];
    const r = await s.call('DELETE', `/job?queue=HostQ_${host}`);
    assert.equal(r.status, 200);
    assert.deepEqual([...r.body.data].sort(), [...waiting].sort());
    assert.deepEqual(ids(await jobs(`?host=${host}&status=canceled`)).sort(), [...waiting].sort());
    assert.equal((await jobs(`?id=${blocker}`))[0].status, 'started');
  });

  it('by host', async () => {
    const host = freshHost();
    const other = freshHost();
    await blockHost(host);
    const otherBlocker = await blockHost(other);
    const mine = [await submit(host, 'show a'), await submit(host, 'show b')];
    const theirs = await submit(other, 'show z');
    assert.deepEqual([...(await s.call('DELETE', `/job?host=${host}`)).body.data].sort(), [...mine].sort());
    assert.equal((await jobs(`?id=${theirs}`))[0].status, 'queued', 'another host is untouched');
    assert.deepEqual((await s.call('DELETE', `/job?host=${other}`)).body.data, [theirs]);
    assert.equal((await jobs(`?id=${otherBlocker}`))[0].status, 'started');
  });

  it('by node: the queued jobs waiting for that node', async () => {
    const host = freshHost();
    await blockHost(host);
    const waiting = [await submit(host, 'show a'), await submit(host, 'show b')];
    assert.deepEqual((await s.call('DELETE', '/job?node=no-such-node')).body.data, []);
    assert.deepEqual([...(await s.call('DELETE', `/job?node=${NODE}`)).body.data].sort(), [...waiting].sort());
  });

  it('invalid query → 400', async () => {
    envelope(await s.call('DELETE', '/job?status=queued'), 400, 'Validation Error');
  });
});

describe('workers', () => {
  it('GET /worker lists the node worker, <node>_FifoQ and each pinned host worker', async () => {
    const [h1, h2] = [freshHost(), freshHost()];
    await waitJob(s, await submit(h1, 'show x'));
    await waitJob(s, await submit(h2, 'show y'));
    const r = await s.call('GET', '/worker');
    assert.equal(r.status, 200);
    const names = r.body.data.map((w: any) => w.name);
    for (const n of [NODE, `${NODE}_FifoQ`, `${NODE}_HostQ_${h1}`, `${NODE}_HostQ_${h2}`])
      assert.ok(names.includes(n), `${n} in ${names}`);
    const byName = new Map(r.body.data.map((w: any) => [w.name, w]));
    assert.deepEqual((byName.get(NODE) as any).queues, [`NodeQ_${NODE}`]);
    assert.deepEqual((byName.get(`${NODE}_FifoQ`) as any).queues, ['FifoQ']);
    assert.deepEqual((byName.get(`${NODE}_HostQ_${h1}`) as any).queues, [`HostQ_${h1}`]);
    for (const w of r.body.data)
      for (const k of [
        'name',
        'status',
        'pid',
        'hostname',
        'queues',
        'last_heartbeat',
        'birth_at',
        'successful_job_count',
        'failed_job_count',
      ])
        assert.ok(k in w, k);

    const names2 = async (q: string) => (await s.call('GET', `/worker?${q}`)).body.data.map((w: any) => w.name).sort();
    assert.deepEqual(await names2(`queue=HostQ_${h1}`), [`${NODE}_HostQ_${h1}`]);
    assert.deepEqual(await names2('queue=FifoQ'), [`${NODE}_FifoQ`]);
    assert.deepEqual(await names2(`host=${h2}`), [`${NODE}_HostQ_${h2}`]);
    assert.deepEqual(await names2(`node=${NODE}`), [...names].sort());
    assert.deepEqual(await names2('node=no-such-node'), []);
    assert.deepEqual(await names2('host=10.255.255.254'), []);
  });

  it('DELETE /worker with an unknown name → 404 envelope; no filter → []', async () => {
    envelope(await s.call('DELETE', '/worker?name=nobody_HostQ_1.2.3.4'), 404, 'Worker nobody_HostQ_1.2.3.4 not found');
    assert.deepEqual((await s.call('DELETE', '/worker')).body, { code: 200, message: 'success', data: [] });
    envelope(await s.call('DELETE', '/worker?bogus=1'), 400, 'Validation Error');
  });

  it('DELETE /worker?name=<node>_HostQ_<host> releases the host: the next job gets a fresh session', async () => {
    const host = freshHost();
    const sid = async () =>
      String(Object.values((await waitJob(s, await submit(host, 'show sid'))).result.retval)[0]).split('|')[0];
    const first = await sid();
    assert.equal(await sid(), first, 'the pinned session is reused');
    const name = `${NODE}_HostQ_${host}`;
    const r = await s.call('DELETE', `/worker?name=${name}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.data, [name]);
    await waitFor(
      'the pinned worker to go',
      async () => !(await s.call('GET', '/worker')).body.data.some((w: any) => w.name === name),
      10_000,
    );
    const next = await sid();
    assert.notEqual(next, first, 'a new session after the worker was stopped');
    assert.ok(
      (await s.call('GET', '/worker')).body.data.some((w: any) => w.name === name),
      'the host is pinned again',
    );
  });
});

describe('/health', () => {
  it('200 with broker and node state', async () => {
    const r = await s.call('GET', '/health');
    assert.equal(r.status, 200);
    assert.equal(r.body.code, 200);
    assert.equal(r.body.data.status, 'ok');
    assert.deepEqual(r.body.data.broker, { name: 'memory', reachable: true });
    assert.equal(r.body.data.nodes.live, 1);
    assert.equal(r.body.data.nodes.dead, 0);
    assert.equal(typeof r.body.data.nodes.capacity, 'number');
  });

  it('needs the API key', async () => {
    const r = await fetch(`${s.url}/health`);
    assert.equal(r.status, 403);
  });
});

describe('no live node', () => {
  it('exec → 503 No available node to run the job; nothing queued', async () => {
    const t = await startTestServer();
    try {
      await t.np.node!.stop();
      const before = (await t.call('GET', '/job')).body.data.length;
      const r = await t.call('POST', '/device/exec', execBody('10.8.0.1', 'show x'));
      envelope(r, 503, /^No available node to run the job: no live worker node/);
      const f = await t.call('POST', '/device/exec', execBody('10.8.0.1', 'show x', { queue_strategy: 'fifo' }));
      envelope(f, 503, /No available/);
      assert.equal((await t.call('GET', '/job')).body.data.length, before);
      // Degraded answers 503 (for monitors and load balancers) with the same detail.
      const h = await t.call('GET', '/health');
      assert.equal(h.status, 503);
      assert.equal(h.body.message, 'degraded');
      assert.equal(h.body.data.nodes.live, 0);
      assert.equal(h.body.data.status, 'degraded');
    } finally {
      await t.stop();
    }
  });
});

describe('/health with the redis broker', async () => {
  const available = await TestRedis.available();
  it('503 when redis is down; other routes keep serving; 200 again when it is back', {
    skip: available ? false : 'redis-server is not installed',
  }, async () => {
    const redis = new TestRedis(await freePort());
    let t: TestServer | null = null;
    try {
      await redis.start();
      t = await startTestServer({
        broker: { name: 'redis' },
        redis: { host: '127.0.0.1', port: redis.port, timeout: 2 } as never,
        worker: { drain_timeout: 1 },
      });
      const up = await t.call('GET', '/health');
      assert.equal(up.status, 200, JSON.stringify(up.body));
      assert.deepEqual(up.body.data.broker, { name: 'redis', reachable: true });
      await waitJob(t, (await t.call('POST', '/device/exec', execBody('10.6.0.1', 'show x'))).body.data.id);

      await redis.stop();
      const t0 = Date.now();
      let down: { status: number; body: any } | null = null;
      await waitFor(
        '/health to answer 503',
        async () => {
          down = await t!.call('GET', '/health');
          return down.status === 503;
        },
        8_000,
        100,
      );
      assert.ok(Date.now() - t0 < 8_000);
      envelope(down!, 503, /^Broker unavailable/);
      assert.ok(!JSON.stringify(down!.body).includes('stack'));

      const render = await t.call('POST', '/template/render/jinja2', {
        template: 'still {{ x }}',
        context: { x: 'up' },
      });
      assert.equal(render.status, 200);
      assert.equal(render.body.data, 'still up');
      const auth = await fetch(`${t.url}/health`);
      assert.equal(auth.status, 403, 'auth is still checked first');

      await redis.start();
      await waitFor('/health to recover', async () => (await t!.call('GET', '/health')).status === 200, 15_000, 100);
    } finally {
      await t?.stop();
      await redis.destroy();
    }
  });
});
