/**
 * Broker conformance suite: every Broker implementation must pass it (memory and redis run it in
 * tests/conformance/broker.test.ts; a third-party broker author can import and run it too).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { compareEventIds, type Broker, type NewJob, type NodeRecord } from '../../core/contracts/broker.ts';

export interface BrokerFactory {
  /** A fresh, started broker over an empty namespace; `peer()` makes a second client of the same store. */
  make(): Promise<{ broker: Broker; peer(): Promise<Broker>; cleanup(): Promise<void> }>;
}

export function newJob(over: Partial<NewJob> & { host?: string | null } = {}): NewJob {
  const host = over.host === undefined ? 'h1' : over.host;
  return {
    id: randomUUID(),
    queue: 'FifoQ',
    host,
    driver: 'echo',
    ttl: 300,
    execution_timeout: 60,
    result_ttl: 300,
    created_at: Date.now(),
    request: { secret_field: 'pw', cmd: over.id ?? 'x' },
    meta: { device_type: 'cisco_ios' },
    ...over,
  };
}

export function nodeRecord(name: string, capacity = 4): NodeRecord {
  return {
    hostname: name,
    capacity,
    queue: `NodeQ_${name}`,
    pid: process.pid,
    machine: 'test',
    birth_at: Date.now(),
    workers: [{ name, status: 'started', queues: [`NodeQ_${name}`], successful_job_count: 0, failed_job_count: 0 }],
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function runBrokerConformance(label: string, factory: BrokerFactory): void {
  describe(`broker conformance: ${label}`, () => {
    let broker: Broker;
    let peer: () => Promise<Broker>;
    let cleanup: () => Promise<void>;
    const peers: Broker[] = [];
    before(async () => {
      ({ broker, peer, cleanup } = await factory.make());
    });
    after(async () => {
      for (const p of peers) await p.close();
      await cleanup();
    });
    const extra = async () => {
      const p = await peer();
      peers.push(p);
      return p;
    };

    it('FIFO: jobs are claimed in order with their request, then finish with the result shape intact', async () => {
      await broker.heartbeat(nodeRecord('n-fifo'), 5000);
      const jobs = [newJob({ host: 'a' }), newJob({ host: 'b' }), newJob({ host: 'c' })];
      await broker.enqueueFifo(jobs);
      const q = await broker.getJob(jobs[0].id);
      assert.equal(q?.status, 'queued');
      assert.equal(q?.queue, 'FifoQ');
      assert.equal(JSON.stringify(q).includes('secret_field'), false, 'records never hold the request');
      const work = await broker.nextWork('n-fifo', 2, 500);
      const fifo = work.filter((w) => w.kind === 'fifo');
      assert.deepEqual(
        fifo.map((w) => (w.kind === 'fifo' ? w.job.record.id : '')),
        [jobs[0].id, jobs[1].id],
      );
      const first = fifo[0].kind === 'fifo' ? fifo[0].job : null;
      assert.equal(first?.record.status, 'started');
      assert.equal(first?.record.node, 'n-fifo');
      assert.equal(first?.request.secret_field, 'pw');
      const retval = { 'show ver': 'x', empty: [], nested: { list: [1, { a: [] }], obj: {} } };
      await broker.finishJob(jobs[0].id, { ok: true, retval });
      const done = await broker.getJob(jobs[0].id);
      assert.equal(done?.status, 'finished');
      assert.deepEqual(done?.result, { type: 1, retval, error: null });
      assert.ok(done!.ended_at! >= done!.started_at!);
      await broker.finishJob(jobs[1].id, { ok: false, error: { type: 'CommandError', message: 'boom' } });
      assert.deepEqual((await broker.getJob(jobs[1].id))?.result, {
        type: 2,
        retval: null,
        error: { type: 'CommandError', message: 'boom' },
      });
      const rest = await broker.nextWork('n-fifo', 5, 200);
      assert.equal(rest.filter((w) => w.kind === 'fifo').length, 1);
    });

    it('nextWork blocks until work arrives and wakes promptly', async () => {
      await broker.heartbeat(nodeRecord('n-wait'), 5000);
      const t0 = Date.now();
      const pending = broker.nextWork('n-wait', 1, 3000);
      await sleep(150);
      const j = newJob({ host: 'w' });
      await broker.enqueueFifo([j]);
      const work = await pending;
      assert.ok(Date.now() - t0 < 2500, 'woke before the timeout');
      assert.equal(work.find((w) => w.kind === 'fifo')?.kind, 'fifo');
      const empty = await broker.nextWork('n-wait', 1, 100);
      assert.deepEqual(empty, []);
    });

    it('pinned: placement is set-if-absent with capacity; jobs notify and are claimed in order by the owner only', async () => {
      await broker.heartbeat(nodeRecord('n-p1', 2), 5000);
      const host = `pin-${randomUUID().slice(0, 6)}`;
      const j1 = newJob({ host, queue: `HostQ_${host}` });
      assert.deepEqual(await broker.enqueuePinned(j1, host, null), { ok: false, reason: 'unplaced' });
      assert.deepEqual(await broker.enqueuePinned(j1, host, 'n-p1'), { ok: true, node: 'n-p1', assigned: true });
      const j2 = newJob({ host });
      assert.deepEqual(await broker.enqueuePinned(j2, host, 'someone-else'), {
        ok: true,
        node: 'n-p1',
        assigned: false,
      });
      assert.deepEqual(await broker.owners([host, 'nobody']), ['n-p1', null]);
      const nodes = await broker.listNodes();
      assert.equal(nodes.find((n) => n.hostname === 'n-p1')?.count, 1);
      const work = await broker.nextWork('n-p1', 0, 300);
      assert.ok(work.some((w) => w.kind === 'host' && w.host === host));
      assert.equal(await broker.claimHostJob(host, 'not-owner', 'x'), null);
      assert.equal((await broker.claimHostJob(host, 'n-p1', 'n-p1_HostQ'))?.record.id, j1.id);
      assert.equal((await broker.claimHostJob(host, 'n-p1', 'n-p1_HostQ'))?.record.id, j2.id);
      assert.equal(await broker.claimHostJob(host, 'n-p1', 'n-p1_HostQ'), null);
      // capacity 2: a second host fits, a third does not
      const h2 = `${host}-2`;
      const h3 = `${host}-3`;
      assert.equal((await broker.enqueuePinned(newJob({ host: h2 }), h2, 'n-p1')).ok, true);
      assert.deepEqual(await broker.enqueuePinned(newJob({ host: h3 }), h3, 'n-p1'), { ok: false, reason: 'unplaced' });
    });

    it('two clients placing the same new host at once agree on one node', async () => {
      const other = await extra();
      await broker.heartbeat(nodeRecord('race-a', 100), 5000);
      await broker.heartbeat(nodeRecord('race-b', 100), 5000);
      for (let i = 0; i < 20; i++) {
        const host = `race-${i}-${randomUUID().slice(0, 6)}`;
        const [a, b] = await Promise.all([
          broker.enqueuePinned(newJob({ host }), host, 'race-a'),
          other.enqueuePinned(newJob({ host }), host, 'race-b'),
        ]);
        assert.ok(a.ok && b.ok);
        assert.equal(a.node, b.node);
        assert.equal([a, b].filter((r) => r.ok && r.assigned).length, 1);
      }
    });

    it('calls made together (one bulk, one node) give the answers of the same calls made in turn', async () => {
      await broker.heartbeat(nodeRecord('n-tog', 3), 5000);
      const tag = randomUUID().slice(0, 6);
      const hosts = [`tog-a-${tag}`, `tog-b-${tag}`, `tog-a-${tag}`, `tog-c-${tag}`, `tog-d-${tag}`, `tog-e-${tag}`];
      const jobs = hosts.map((host) => newJob({ host, queue: `HostQ_${host}` }));
      // One turn of the event loop, as a bulk request places its hosts: capacity 3 admits a, b, c;
      // the second job of host a finds it owned; d and e find the node full.
      const placed = await Promise.all(jobs.map((j) => broker.enqueuePinned(j, j.host!, 'n-tog')));
      assert.deepEqual(placed, [
        { ok: true, node: 'n-tog', assigned: true },
        { ok: true, node: 'n-tog', assigned: true },
        { ok: true, node: 'n-tog', assigned: false },
        { ok: true, node: 'n-tog', assigned: true },
        { ok: false, reason: 'unplaced' },
        { ok: false, reason: 'unplaced' },
      ]);
      // The node's host actors claim together: each host's own next job, in its queue order.
      const claims = await Promise.all(
        [hosts[0], hosts[1], hosts[3], `tog-none-${tag}`].map((h) => broker.claimHostJob(h!, 'n-tog', `w-${h}`)),
      );
      assert.deepEqual(
        claims.map((c) => c?.record.id ?? null),
        [jobs[0].id, jobs[1].id, jobs[3].id, null],
      );
      assert.equal((await broker.claimHostJob(hosts[0]!, 'n-tog', 'w'))?.record.id, jobs[2].id);
      // Ends stored together: each job gets its own outcome.
      await Promise.all([
        broker.finishJob(jobs[0].id, { ok: true, retval: { out: 'a' } }),
        broker.finishJob(jobs[1].id, { ok: false, error: { type: 'X', message: 'b failed' } }),
        broker.finishJob(jobs[2].id, { ok: true, retval: [] }),
      ]);
      const ended = await Promise.all([jobs[0], jobs[1], jobs[2]].map((j) => broker.getJob(j.id)));
      assert.deepEqual(
        ended.map((j) => [j?.status, j?.result?.retval ?? j?.result?.error?.message]),
        [
          ['finished', { out: 'a' }],
          ['failed', 'b failed'],
          ['finished', []],
        ],
      );
    });

    it('cancel removes only queued jobs and they are never claimed', async () => {
      await broker.heartbeat(nodeRecord('n-c'), 5000);
      const host = `cancel-${randomUUID().slice(0, 6)}`;
      const jobs = [newJob({ host }), newJob({ host }), newJob({ host })];
      for (const j of jobs) assert.equal((await broker.enqueuePinned(j, host, 'n-c')).ok, true);
      const started = await broker.claimHostJob(host, 'n-c', 'w');
      assert.equal(started?.record.id, jobs[0].id);
      const canceled = await broker.cancelJobs({ host });
      assert.deepEqual(canceled.sort(), [jobs[1].id, jobs[2].id].sort());
      assert.equal((await broker.getJob(jobs[1].id))?.status, 'canceled');
      assert.equal((await broker.getJob(jobs[0].id))?.status, 'started');
      assert.equal(await broker.claimHostJob(host, 'n-c', 'w'), null);
      assert.deepEqual(await broker.cancelJobs({ id: jobs[0].id }), []);
    });

    it('a queued job past its ttl fails visibly as expired (sweep and claim)', async () => {
      await broker.heartbeat(nodeRecord('n-ttl'), 5000);
      const tip = await broker.eventTip();
      const batch = randomUUID();
      const a = newJob({ host: 'ttl-a', ttl: 1, batch_id: batch });
      const b = newJob({ host: 'ttl-b', ttl: 1 });
      await broker.enqueueFifo([a, b]);
      await sleep(1100);
      const swept = await broker.expireQueued(Date.now());
      assert.ok(swept.includes(a.id) && swept.includes(b.id));
      const ja = await broker.getJob(a.id);
      assert.equal(ja?.status, 'failed');
      assert.equal(ja?.result?.error?.type, 'JobExpiredError');
      assert.match(ja!.result!.error!.message, /ttl of 1 s/);
      // The expiry is an event like any other status change, and the batch counts move with it.
      const ended = (await broker.readEvents(tip, 100, 0)).filter((e) => e.job.id === a.id);
      assert.deepEqual(
        ended.map((e) => e.type),
        ['job.queued', 'job.failed'],
      );
      assert.equal(ended[1].job.result?.error?.type, 'JobExpiredError');
      const counts = (await broker.getBatch(batch))?.counts;
      assert.deepEqual(counts, { queued: 0, started: 0, finished: 0, failed: 1, canceled: 0 });
      const c = newJob({ host: 'ttl-c', ttl: 1 });
      await broker.enqueueFifo([c]);
      await sleep(1100);
      const work = await broker.nextWork('n-ttl', 5, 100);
      assert.equal(work.filter((w) => w.kind === 'fifo').length, 0, 'an expired job is never started');
      assert.equal((await broker.getJob(c.id))?.status, 'failed');
    });

    it('a dead node is reaped: running job fails as worker lost, waiting jobs survive and move to the adopter', async () => {
      await broker.heartbeat(nodeRecord('dying', 4), 300);
      await broker.heartbeat(nodeRecord('heir', 4), 10_000);
      const host = `dead-${randomUUID().slice(0, 6)}`;
      const jobs = [newJob({ host }), newJob({ host })];
      for (const j of jobs) assert.equal((await broker.enqueuePinned(j, host, 'dying')).ok, true);
      const running = await broker.claimHostJob(host, 'dying', 'dying_HostQ');
      assert.equal(running?.record.id, jobs[0].id);
      assert.deepEqual(await broker.reapNode('dying'), [], 'a live node is not reaped');
      await sleep(400);
      const r = await broker.enqueuePinned(newJob({ host }), host, null);
      assert.deepEqual(r, { ok: false, reason: 'dead_owner', node: 'dying' });
      const tip = await broker.eventTip();
      assert.deepEqual(await broker.reapNode('dying'), [jobs[0].id]);
      const lost = await broker.getJob(jobs[0].id);
      assert.equal(lost?.status, 'failed');
      assert.equal(lost?.result?.error?.type, 'WorkerLostError');
      const reaped = (await broker.readEvents(tip, 100, 0)).filter((e) => e.job.id === jobs[0].id);
      assert.deepEqual(
        reaped.map((e) => e.type),
        ['job.failed'],
        'the reap announces the lost job',
      );
      assert.match(reaped[0].job.result?.error?.message ?? '', /node dying stopped/);
      assert.deepEqual(await broker.owners([host]), [null]);
      assert.equal((await broker.getJob(jobs[1].id))?.status, 'queued');
      const orphans: string[] = [];
      for (let i = 0; i < 50 && !orphans.includes(host); i++) orphans.push(...(await broker.orphanHosts(1000)));
      assert.ok(orphans.includes(host));
      assert.equal(await broker.adoptHost(host, 'heir'), true);
      assert.equal(await broker.adoptHost(host, 'heir'), false, 'adoption is set-if-absent');
      const work = await broker.nextWork('heir', 0, 300);
      assert.ok(work.some((w) => w.kind === 'host' && w.host === host));
      assert.equal((await broker.claimHostJob(host, 'heir', 'heir_HostQ'))?.record.id, jobs[1].id);
      assert.equal(
        (await broker.listNodes()).some((n) => n.hostname === 'dying'),
        false,
      );
    });

    it('a node restarting under its name reaps what its previous process left (forced reap)', async () => {
      await broker.heartbeat(nodeRecord('phoenix', 4), 10_000);
      const host = `phoenix-${randomUUID().slice(0, 6)}`;
      const jobs = [newJob({ host }), newJob({ host })];
      for (const j of jobs) await broker.enqueuePinned(j, host, 'phoenix');
      await broker.claimHostJob(host, 'phoenix', 'phoenix_HostQ');
      assert.deepEqual(await broker.reapNode('phoenix'), [], 'alive: not reaped without force');
      assert.deepEqual(await broker.reapNode('phoenix', true), [jobs[0].id]);
      assert.equal((await broker.getJob(jobs[0].id))?.result?.error?.type, 'WorkerLostError');
      assert.deepEqual(await broker.owners([host]), [null]);
      assert.equal((await broker.getJob(jobs[1].id))?.status, 'queued');
    });

    it('releaseHost keeps a host with waiting jobs unless forced; unregister releases every host', async () => {
      await broker.heartbeat(nodeRecord('n-rel', 4), 5000);
      const host = `rel-${randomUUID().slice(0, 6)}`;
      await broker.enqueuePinned(newJob({ host }), host, 'n-rel');
      assert.equal(await broker.releaseHost(host, 'n-rel'), false);
      assert.equal((await broker.claimHostJob(host, 'n-rel', 'w')) !== null, true);
      assert.equal(await broker.releaseHost(host, 'n-rel'), true);
      assert.deepEqual(await broker.owners([host]), [null]);
      const h2 = `${host}-b`;
      await broker.enqueuePinned(newJob({ host: h2 }), h2, 'n-rel');
      await broker.unregisterNode('n-rel');
      assert.deepEqual(await broker.owners([h2]), [null]);
      assert.equal(
        (await broker.listNodes()).some((n) => n.hostname === 'n-rel'),
        false,
      );
    });

    it('control messages reach the node', async () => {
      await broker.heartbeat(nodeRecord('n-ctl'), 5000);
      await broker.sendControl('n-ctl', 'stop');
      const work = await broker.nextWork('n-ctl', 0, 300);
      assert.deepEqual(work, [{ kind: 'control', message: 'stop' }]);
    });

    it('listJobs filters by id, queue, status, host, node; newest first; limit/offset', async () => {
      await broker.heartbeat(nodeRecord('n-list', 10), 5000);
      const host = `list-${randomUUID().slice(0, 6)}`;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const j = newJob({ host, created_at: Date.now() + i });
        ids.push(j.id);
        await broker.enqueuePinned(j, host, 'n-list');
      }
      const all = await broker.listJobs({ host });
      assert.deepEqual(
        all.map((j) => j.id),
        [...ids].reverse(),
      );
      assert.deepEqual(
        (await broker.listJobs({ host, limit: 2, offset: 1 })).map((j) => j.id),
        [ids[3], ids[2]],
      );
      assert.equal((await broker.listJobs({ queue: `HostQ_${host}`, status: 'queued' })).length, 5);
      await broker.claimHostJob(host, 'n-list', 'w');
      assert.deepEqual(
        (await broker.listJobs({ host, status: 'started' })).map((j) => j.id),
        [ids[0]],
      );
      assert.deepEqual(
        (await broker.listJobs({ node: 'n-list', host })).map((j) => j.id),
        [ids[0]],
      );
      assert.deepEqual(
        (await broker.listJobs({ id: ids[2] })).map((j) => j.id),
        [ids[2]],
      );
      assert.deepEqual(await broker.listJobs({ id: randomUUID() }), []);
      assert.equal((await broker.listJobs({ host, status: 'queued' })).length, 4);
    });

    it('batches: jobs carry batch_id, list by batch or by several ids, and counts follow every status', async () => {
      await broker.heartbeat(nodeRecord('n-batch'), 5000);
      const batch = randomUUID();
      const t = Date.now();
      const jobs = [0, 1, 2, 3].map((i) => newJob({ host: `b-${i}`, batch_id: batch, created_at: t + i }));
      const single = newJob({ host: 'b-single' });
      await broker.enqueueFifo([...jobs.slice(0, 3), single]);
      assert.equal((await broker.enqueuePinned(jobs[3], 'b-3', 'n-batch')).ok, true);
      assert.equal((await broker.getJob(jobs[0].id))?.batch_id, batch);
      assert.equal((await broker.getJob(single.id))?.batch_id, null);
      const listed = await broker.listJobs({ batch });
      assert.deepEqual(
        listed.map((j) => j.id),
        [...jobs].reverse().map((j) => j.id),
        'newest first',
      );
      assert.deepEqual(
        (await broker.listJobs({ ids: [jobs[1].id, single.id, randomUUID()] })).map((j) => j.id).sort(),
        [jobs[1].id, single.id].sort(),
      );
      assert.deepEqual(
        (await broker.listJobs({ ids: [jobs[1].id, single.id], batch })).map((j) => j.id),
        [jobs[1].id],
      );
      let b = await broker.getBatch(batch);
      assert.deepEqual(b?.counts, { queued: 4, started: 0, finished: 0, failed: 0, canceled: 0 });
      assert.equal(b?.total, 4);
      assert.equal(b?.created_at, t);

      const work = await broker.nextWork('n-batch', 2, 500);
      const claimed = work.flatMap((w) => (w.kind === 'fifo' ? [w.job.record.id] : []));
      assert.deepEqual(claimed, [jobs[0].id, jobs[1].id]);
      await broker.finishJob(jobs[0].id, { ok: true, retval: 'x' });
      await broker.finishJob(jobs[1].id, { ok: false, error: { type: 'E', message: 'm' } });
      await broker.cancelJobs({ id: jobs[2].id });
      await broker.claimHostJob('b-3', 'n-batch', 'w');
      b = await broker.getBatch(batch);
      assert.deepEqual(b?.counts, { queued: 0, started: 1, finished: 1, failed: 1, canceled: 1 });
      assert.deepEqual(
        (await broker.listJobs({ batch, status: 'started' })).map((j) => j.id),
        [jobs[3].id],
      );
      assert.equal(await broker.getBatch(randomUUID()), null);
    });

    it('events: every status change is an ordered event with the record, resumable after any id', async () => {
      await broker.heartbeat(nodeRecord('n-ev'), 5000);
      const tip = await broker.eventTip();
      const a = newJob({ host: 'ev-a' });
      const b = newJob({ host: 'ev-b' });
      await broker.enqueueFifo([a]);
      await broker.enqueuePinned(b, 'ev-b', 'n-ev');
      const work = await broker.nextWork('n-ev', 10, 500);
      assert.ok(work.some((w) => w.kind === 'fifo' && w.job.record.id === a.id));
      await broker.finishJob(a.id, { ok: true, retval: { out: [] } });
      await broker.cancelJobs({ id: b.id });
      const mine = (await broker.readEvents(tip, 100, 0)).filter((e) => e.job.id === a.id || e.job.id === b.id);
      assert.deepEqual(
        mine.map((e) => `${e.type} ${e.job.id === a.id ? 'a' : 'b'}`),
        ['job.queued a', 'job.queued b', 'job.started a', 'job.finished a', 'job.canceled b'],
      );
      for (const e of mine) assert.equal(`job.${e.job.status}`, e.type, 'the record is the state the event announces');
      assert.equal(mine[2].job.node, 'n-ev');
      assert.deepEqual(mine[3].job.result, { type: 1, retval: { out: [] }, error: null });
      assert.equal(JSON.stringify(mine).includes('secret_field'), false, 'events never hold the request');
      const ids = mine.map((e) => e.id);
      assert.deepEqual([...ids].sort(compareEventIds), ids, 'ids increase');
      // Resuming after an event gives exactly what followed it.
      const after = (await broker.readEvents(ids[2], 100, 0)).filter((e) => e.job.id === a.id || e.job.id === b.id);
      assert.deepEqual(
        after.map((e) => e.id),
        ids.slice(3),
      );
      assert.equal(await broker.eventTip(), ids[4]);

      // A waiting read wakes when an event arrives, through another client of the same store.
      const other = await extra();
      const pending = other.readEvents(ids[4], 10, 3000);
      await sleep(100);
      const c = newJob({ host: 'ev-c' });
      const t0 = Date.now();
      await broker.enqueueFifo([c]);
      const got = await pending;
      assert.equal(got[0]?.job.id, c.id);
      assert.equal(got[0]?.type, 'job.queued');
      assert.ok(Date.now() - t0 < 1500, 'woke promptly');
      assert.deepEqual(await other.readEvents(got[0].id, 10, 100), []);
    });

    it('ping answers and listNodes reports liveness and exact counts', async () => {
      assert.equal(await broker.ping(), true);
      await broker.heartbeat(nodeRecord('n-live', 3), 5000);
      const n = (await broker.listNodes()).find((x) => x.hostname === 'n-live');
      assert.equal(n?.alive, true);
      assert.equal(n?.capacity, 3);
      assert.equal(n?.count, 0);
      assert.equal(n?.record.workers[0].name, 'n-live');
    });
  });
}
