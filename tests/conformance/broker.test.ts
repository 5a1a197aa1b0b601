import { runBrokerConformance } from './broker.ts';
import { MemoryBroker } from '../../plugins/brokers/memory/broker.ts';
import { redisTestSettings, redisReachable, redisBrokerFactory } from '../helpers/redis.ts';
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
  runBrokerConformance('redis', redisBrokerFactory(settings));
} else {
  test('broker conformance: redis', (t) =>
    t.skip(`Redis not reachable at ${settings.host}:${settings.port}: run sudo bash scripts/lab/start.sh`));
}
