/**
 * The broker's ops store (`broker.ops`) on every built-in backend: job counts by status and queue
 * kind, cluster-wide counters, and the webhook delivery log with its size and age bounds.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Broker } from '../../core/contracts/broker.ts';
import type { DeliveryRecord } from '../../core/contracts/ops-store.ts';
import { MemoryBroker } from '../../plugins/brokers/memory/broker.ts';
import { newJob, nodeRecord, type BrokerFactory } from './broker.ts';
import { redisBrokerFactory, redisReachable, redisTestSettings } from '../helpers/redis.ts';

function delivery(id: string, status: DeliveryRecord['status'], at: number): DeliveryRecord {
  return {
    id,
    job_id: id.replace('evt_', ''),
    status,
    attempts: 1,
    http_status: status === 'failed' ? 500 : 200,
    error: null,
    created_at: at,
    updated_at: at,
    replays: 0,
    event: {
      id,
      event: 'job.finished',
      status: 'finished',
      queue: 'FifoQ',
      worker: null,
      host: 'h',
      driver: 'echo',
      result: null,
      error: null,
      started_at: null,
      ended_at: null,
    },
    hook: { url: 'http://127.0.0.1:1/x', name: 'basic' },
  };
}

function runOpsConformance(label: string, factory: BrokerFactory): void {
  describe(`ops store conformance: ${label}`, () => {
    const withBroker = async (fn: (b: Broker) => Promise<void>) => {
      const h = await factory.make();
      try {
        await fn(h.broker);
      } finally {
        await h.cleanup();
      }
    };

    it('counts jobs by status and waiting jobs per queue kind', () =>
      withBroker(async (b) => {
        const ops = b.ops!;
        await b.heartbeat(nodeRecord('n1', 8), 10_000);
        await b.enqueueFifo([newJob({ host: 'f1' }), newJob({ host: 'f2' })]);
        const pinned = [
          newJob({ host: 'p1', queue: 'HostQ_p1' }),
          newJob({ host: 'p1', queue: 'HostQ_p1' }),
          newJob({ host: 'p2', queue: 'HostQ_p2' }),
        ];
        for (const j of pinned) assert.equal((await b.enqueuePinned(j, j.host!, 'n1')).ok, true);
        let c = await ops.jobCounts();
        assert.deepEqual(c.byStatus, { queued: 5, started: 0, finished: 0, failed: 0, canceled: 0 });
        assert.deepEqual(c.queued, { fifo: 2, pinned: 3 });
        assert.deepEqual(await ops.queueDepth(), { fifo: 2, pinned: 3 });
        const claimed = await b.claimHostJob('p1', 'n1', 'n1_HostQ_p1');
        await b.finishJob(claimed!.record.id, { ok: false, error: { type: 'CommandError', message: 'x' } });
        await b.cancelJobs({ host: 'p2' });
        c = await ops.jobCounts();
        assert.deepEqual(c.byStatus, { queued: 3, started: 0, finished: 0, failed: 1, canceled: 1 });
        assert.deepEqual(c.queued, { fifo: 2, pinned: 1 });
        assert.deepEqual(await ops.queueDepth(), { fifo: 2, pinned: 1 });
      }));

    it('adds to named counters', () =>
      withBroker(async (b) => {
        await b.ops!.bumpCounter('node_reaped');
        await b.ops!.bumpCounter('job_expired', 3);
        await b.ops!.bumpCounter('job_expired', 2);
        assert.deepEqual(await b.ops!.counters(), { node_reaped: 1, job_expired: 5 });
      }));

    it('keeps the delivery log per status, newest first, bounded in size and age', () =>
      withBroker(async (b) => {
        const ops = b.ops!;
        const now = Date.now();
        const limits = { max: 3, maxAgeMs: 60_000 };
        for (let i = 0; i < 5; i++)
          await ops.saveDelivery(delivery(`evt_f${i}`, 'failed', now - 5000 + i * 1000), limits);
        await ops.saveDelivery(delivery('evt_d0', 'delivered', now), limits);
        const failed = await ops.listDeliveries({ status: 'failed', limit: 10 });
        assert.deepEqual(
          failed.map((d) => d.id),
          ['evt_f4', 'evt_f3', 'evt_f2'],
          'only the 3 newest dead letters stay',
        );
        assert.equal(await ops.getDelivery('evt_f0'), null);
        // A replayed dead letter moves to `delivered`.
        const moved = { ...failed[0], status: 'delivered' as const, updated_at: now + 10 };
        await ops.saveDelivery(moved, limits);
        assert.deepEqual(
          (await ops.listDeliveries({ status: 'failed', limit: 10 })).map((d) => d.id),
          ['evt_f3', 'evt_f2'],
        );
        assert.deepEqual(
          (await ops.listDeliveries({ limit: 10 })).map((d) => d.id),
          ['evt_f4', 'evt_d0', 'evt_f3', 'evt_f2'],
        );
        assert.deepEqual((await ops.getDelivery('evt_f4'))?.hook, { url: 'http://127.0.0.1:1/x', name: 'basic' });
        // Age bound: a record older than maxAgeMs is dropped at the next save.
        await ops.saveDelivery(delivery('evt_old', 'failed', now - 120_000), limits);
        assert.equal(await ops.getDelivery('evt_old'), null);
      }));
  });
}

runOpsConformance('memory', {
  async make() {
    const broker = new MemoryBroker();
    await broker.start();
    return { broker, peer: async () => broker, cleanup: () => broker.close() };
  },
});

const settings = redisTestSettings();
if (await redisReachable(settings)) runOpsConformance('redis', redisBrokerFactory(settings));
else it('ops store conformance: redis', (t) => t.skip(`Redis not reachable at ${settings.host}:${settings.port}`));
