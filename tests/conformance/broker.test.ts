import { runBrokerConformance } from './broker.ts';
import { MemoryBroker } from '../../plugins/brokers/memory/broker.ts';
import { redisTestSettings, redisReachable, redisBrokerFactory, deleteByPrefix, testKeys } from '../helpers/redis.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { RedisBroker } from '../../plugins/brokers/redis/broker.ts';
import { createRedis } from '../../plugins/brokers/redis/connection.ts';
import { newJob, nodeRecord } from './broker.ts';

runBrokerConformance('memory', {
  async make() {
    const broker = new MemoryBroker();
    await broker.start();
    // One process, one store: the "peer" is the same instance, as two controllers would share it.
    return { broker, peer: async () => broker, cleanup: () => broker.close() };
  },
});

const settings = redisTestSettings();
if (await redisReachable(settings)) {
  runBrokerConformance('redis', redisBrokerFactory(settings));

  test('redis: the events stream is written while it is read (and for EVENT_IDLE_MS after), not before', async () => {
    const prefix = `np-evidle-${randomUUID().slice(0, 8)}`;
    const broker = new RedisBroker(settings, testKeys(prefix));
    const r = createRedis(settings, 'commands');
    await broker.start();
    try {
      await broker.heartbeat(nodeRecord('n-ev'), 5000);
      const unread = newJob({ queue: 'FifoQ' });
      await broker.enqueueFifo([unread]);
      assert.equal(await r.xlen(`${prefix}:events`), 0, 'nobody reads: no stream writes');
      const tip = await broker.eventTip();
      const ttl = await r.pttl(`${prefix}:events:read`);
      assert.ok(ttl > 9 * 60_000 && ttl <= 10 * 60_000, `read mark lives EVENT_IDLE_MS (pttl ${ttl})`);
      const read = newJob({ queue: 'FifoQ' });
      await broker.enqueueFifo([read]);
      const events = await broker.readEvents(tip, 100, 0);
      assert.deepEqual(
        events.map((e) => [e.type, e.job.id]),
        [['job.queued', read.id]],
      );
    } finally {
      await deleteByPrefix(r, prefix);
      r.disconnect();
      await broker.close();
    }
  });
} else {
  test('broker conformance: redis', (t) =>
    t.skip(`Redis not reachable at ${settings.host}:${settings.port}: run sudo bash scripts/lab/start.sh`));
}
