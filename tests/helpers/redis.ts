import { createConnection } from 'node:net';
import type { Redis } from 'ioredis';
import type { RedisSettings } from '../../plugins/brokers/redis/connection.ts';

/** The Redis tests use: the lab's 127.0.0.1:6379 unless NETPULSE_TEST_REDIS_PORT says otherwise. */
export function redisTestSettings(port = Number(process.env.NETPULSE_TEST_REDIS_PORT ?? 6379)): RedisSettings {
  return {
    host: '127.0.0.1', port, username: null, password: null, db: 0, timeout: 5, keepalive: 0,
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
