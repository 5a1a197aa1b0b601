import { readFileSync } from 'node:fs';
import { Redis, type RedisOptions } from 'ioredis';
import type { NetPulseConfig } from '../../../core/config/types.ts';

/** The connection part of the `redis` configuration section (see core/config/schema.ts). */
export type RedisSettings = Omit<NetPulseConfig['redis'], 'key'>;

/**
 * ioredis options for standalone, TLS and Sentinel. Requests issued while Redis restarts wait for
 * the reconnect (offline queue) instead of failing at once, so a Redis restart costs latency, not jobs.
 */
export function redisOptions(s: RedisSettings, purpose: 'commands' | 'blocking' | 'events'): RedisOptions {
  const tls = s.tls.enabled
    ? {
        ca: s.tls.ca ? readFileSync(s.tls.ca) : undefined,
        cert: s.tls.cert ? readFileSync(s.tls.cert) : undefined,
        key: s.tls.key ? readFileSync(s.tls.key) : undefined,
      }
    : undefined;
  const common: RedisOptions = {
    username: s.username ?? undefined,
    password: s.password ?? undefined,
    db: s.db,
    connectTimeout: s.timeout * 1000,
    keepAlive: s.keepalive > 0 ? s.keepalive * 1000 : 0,
    noDelay: true,
    tls,
    connectionName: `netpulse-${purpose}`,
    // Blocking reads must wait through restarts; command retries are bounded so callers see errors.
    maxRetriesPerRequest: purpose === 'commands' ? 50 : null,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    enableAutoPipelining: purpose === 'commands',
    lazyConnect: true,
  };
  if (s.sentinel.enabled) {
    return {
      ...common,
      sentinels: [{ host: s.sentinel.host, port: s.sentinel.port }],
      name: s.sentinel.master_name,
      sentinelPassword: s.sentinel.password ?? undefined,
      enableTLSForSentinelMode: s.tls.enabled,
    };
  }
  return { ...common, host: s.host, port: s.port };
}

export function createRedis(s: RedisSettings, purpose: 'commands' | 'blocking' | 'events'): Redis {
  return new Redis(redisOptions(s, purpose));
}
