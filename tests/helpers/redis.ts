import { createConnection } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedis, type RedisSettings } from '../../plugins/brokers/redis/connection.ts';
import { RedisBroker } from '../../plugins/brokers/redis/broker.ts';
import type { BrokerFactory } from '../conformance/broker.ts';

/** The Redis tests use: the lab's 127.0.0.1:6379 unless NETPULSE_TEST_REDIS_PORT says otherwise. */
export function redisTestSettings(port = Number(process.env.NETPULSE_TEST_REDIS_PORT ?? 6379)): RedisSettings {
  return {
    host: '127.0.0.1',
    port,
    username: null,
    password: null,
    db: 0,
    timeout: 5,
    keepalive: 0,
    tls: { enabled: false, ca: null, cert: null, key: null },
    sentinel: { enabled: false, host: '127.0.0.1', port: 26379, master_name: 'mymaster', password: null },
  };
}

export function redisReachable(s: { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: s.host, port: s.port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => {
      sock.write('PING\r\n');
      sock.once('data', (d) => done(String(d).startsWith('+PONG')));
    });
  });
}

/** Deletes every key under `prefix:` with SCAN (never KEYS). */
export async function deleteByPrefix(r: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) await r.del(...keys);
  } while (cursor !== '0');
}

/** Key names under a test-only prefix, so a test never touches another's keys. */
export function testKeys(prefix: string) {
  return { prefix, host_to_node_map: `${prefix}:host_to_node_map`, node_info_map: `${prefix}:node_info_map` };
}

/**
 * Broker-conformance factory for a RedisBroker over `settings` (plain, TLS or Sentinel); cleanup
 * deletes the test's keys (SCAN) through the same connection path the broker uses.
 */
export function redisBrokerFactory(settings: RedisSettings): BrokerFactory {
  return {
    async make() {
      const prefix = `nptest-${randomUUID().slice(0, 8)}`;
      const mk = async () => {
        const b = new RedisBroker(settings, testKeys(prefix));
        await b.start();
        return b;
      };
      const broker = await mk();
      return {
        broker,
        peer: mk,
        async cleanup() {
          await broker.close();
          const r = createRedis(settings, 'commands');
          r.on('error', () => undefined);
          try {
            await r.connect();
            await deleteByPrefix(r, prefix);
            await r.quit();
          } finally {
            r.disconnect();
          }
        },
      };
    },
  };
}
