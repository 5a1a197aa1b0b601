import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { runBrokerConformance } from './broker.ts';
import { MemoryBroker } from '../../plugins/brokers/memory/broker.ts';
import { RedisBroker } from '../../plugins/brokers/redis/broker.ts';
import { redisTestSettings, redisReachable, deleteByPrefix } from '../helpers/redis.ts';
import { test } from 'node:test';

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
  runBrokerConformance('redis', {
    async make() {
      const prefix = `nptest-${randomUUID().slice(0, 8)}`;
      const key = { prefix, host_to_node_map: `${prefix}:host_to_node_map`, node_info_map: `${prefix}:node_info_map` };
      const mk = async () => {
        const b = new RedisBroker(settings, key);
        await b.start();
        return b;
      };
      const broker = await mk();
      return {
        broker,
        peer: mk,
        async cleanup() {
          await broker.close();
          const r = new Redis({ host: settings.host, port: settings.port, lazyConnect: true });
          await r.connect();
          await deleteByPrefix(r, prefix);
          await r.quit();
        },
      };
    },
  });
} else {
  test('broker conformance: redis', (t) => t.skip(`Redis not reachable at ${settings.host}:${settings.port}: run sudo bash scripts/lab/start.sh`));
}
