import type { Redis } from 'ioredis';
import type { JobRecord } from '../../../core/contracts/broker.ts';
import type {
  DeliveryLimits,
  DeliveryRecord,
  DeliveryStatus,
  JobCounts,
  OpsStore,
} from '../../../core/contracts/ops-store.ts';
import { countRecords } from '../../../core/contracts/ops-helpers.ts';
import { FIFO_QUEUE, hostQueue } from '../../../core/jobs/names.ts';
import type { RedisKeys } from './keys.ts';

const PAGE = 500;
/** Most job records one stats call reads (records live only `result_ttl`, so this is rarely reached). */
const COUNT_CAP = 100_000;
const STATUSES: DeliveryStatus[] = ['delivered', 'failed'];

/** The ops store on Redis: counters in one hash, the delivery log in a hash plus one sorted set per status. */
export class RedisOpsStore implements OpsStore {
  constructor(
    private readonly redis: () => Redis,
    private readonly keys: RedisKeys,
  ) {}

  async jobCounts(): Promise<JobCounts> {
    const r = this.redis();
    const seen: Pick<JobRecord, 'status' | 'queue'>[] = [];
    for (let start = 0; start < COUNT_CAP; start += PAGE) {
      const ids = await r.zrange(this.keys.jobIndex, start, start + PAGE - 1);
      if (!ids.length) break;
      const p = r.pipeline();
      for (const id of ids) p.hget(this.keys.job(id), 'rec');
      for (const [err, rec] of (await p.exec()) ?? []) {
        if (err || typeof rec !== 'string') continue;
        const { status, queue } = JSON.parse(rec) as JobRecord;
        seen.push({ status, queue });
      }
    }
    return countRecords(seen);
  }

  async queueDepth(): Promise<JobCounts['queued']> {
    const r = this.redis();
    const fifo = await r.llen(this.keys.queue(FIFO_QUEUE));
    let pinned = 0;
    let cursor = '0';
    do {
      const [next, hosts] = await r.sscan(this.keys.hostQueues, cursor, 'COUNT', PAGE);
      cursor = next;
      if (!hosts.length) continue;
      const p = r.pipeline();
      for (const h of hosts) p.llen(this.keys.queue(hostQueue(h)));
      for (const [err, n] of (await p.exec()) ?? []) if (!err) pinned += Number(n);
    } while (cursor !== '0');
    return { fifo, pinned };
  }

  async bumpCounter(name: string, by = 1): Promise<void> {
    await this.redis().hincrby(this.keys.counters, name, by);
  }

  async counters(): Promise<Record<string, number>> {
    const all = await this.redis().hgetall(this.keys.counters);
    return Object.fromEntries(Object.entries(all).map(([k, v]) => [k, Number(v)]));
  }

  async saveDelivery(d: DeliveryRecord, limits: DeliveryLimits): Promise<void> {
    const r = this.redis();
    const m = r.multi().hset(this.keys.deliveries, d.id, JSON.stringify(d));
    for (const s of STATUSES) {
      if (s === d.status) m.zadd(this.keys.deliveryIndex(s), d.updated_at, d.id);
      else m.zrem(this.keys.deliveryIndex(s), d.id);
    }
    await m.exec();
    // Bounds: nothing older than maxAgeMs, at most `max` per status (the oldest go first).
    const drop = new Set<string>();
    for (const s of STATUSES) {
      const idx = this.keys.deliveryIndex(s);
      for (const id of await r.zrangebyscore(idx, '-inf', Date.now() - limits.maxAgeMs)) drop.add(id);
      for (const id of await r.zrange(idx, 0, -(limits.max + 1))) drop.add(id);
    }
    if (!drop.size) return;
    const ids = [...drop];
    const t = r.multi().hdel(this.keys.deliveries, ...ids);
    for (const s of STATUSES) t.zrem(this.keys.deliveryIndex(s), ...ids);
    await t.exec();
  }

  async getDelivery(id: string): Promise<DeliveryRecord | null> {
    const raw = await this.redis().hget(this.keys.deliveries, id);
    return raw ? (JSON.parse(raw) as DeliveryRecord) : null;
  }

  async listDeliveries(filter: { status?: DeliveryStatus; limit: number }): Promise<DeliveryRecord[]> {
    const r = this.redis();
    const statuses = filter.status ? [filter.status] : STATUSES;
    const ids: [string, number][] = [];
    for (const s of statuses) {
      const flat = await r.zrevrange(this.keys.deliveryIndex(s), 0, filter.limit - 1, 'WITHSCORES');
      for (let i = 0; i < flat.length; i += 2) ids.push([flat[i], Number(flat[i + 1])]);
    }
    ids.sort((a, b) => b[1] - a[1]);
    const wanted = ids.slice(0, filter.limit).map(([id]) => id);
    if (!wanted.length) return [];
    const raws = await r.hmget(this.keys.deliveries, ...wanted);
    return raws.filter((x): x is string => typeof x === 'string').map((x) => JSON.parse(x) as DeliveryRecord);
  }
}
