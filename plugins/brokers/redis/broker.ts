import type { Redis } from 'ioredis';
import {
  EVENT_IDLE_MS,
  EVENT_WINDOW,
  type BatchRecord,
  type Broker,
  type BrokerJobEvent,
  type ClaimedJob,
  type JobEventType,
  type JobFilter,
  type JobOutcome,
  type JobRecord,
  type JobStatus,
  type NewJob,
  type NodeRecord,
  type NodeState,
  type PinnedEnqueueResult,
  type Work,
} from '../../../core/contracts/broker.ts';
import {
  byNewest,
  emptyCounts,
  matchesFilter,
  paginate,
  queuedRecord,
} from '../../../core/contracts/broker-helpers.ts';
import { FIFO_QUEUE, fifoWorkerName, hostQueue } from '../../../core/jobs/names.ts';
import { NetPulseError } from '../../../core/errors.ts';
import { createRedis, type RedisSettings } from './connection.ts';
import { redisKeys, type RedisKeys } from './keys.ts';
import { buildScripts, type ScriptName } from './scripts.ts';
import { RedisOpsStore } from './ops.ts';
import { Coalescer } from './coalesce.ts';

type Reply = unknown;
const LIST_SCAN_CAP = 200_000;
const PAGE = 500;

/**
 * The broker contract on Redis (standalone, TLS or Sentinel). Every state change is one Lua script
 * (scripts.ts), so placement, claims, releases and reaping are atomic across controllers and nodes.
 * Connections per process: one for commands (auto-pipelined) and, on a node, one for blocking
 * reads — never one per host or per job.
 */
export class RedisBroker implements Broker {
  readonly name = 'redis';
  private readonly keys: RedisKeys;
  private cmd: Redis | null = null;
  private readonly blocking = new Map<string, Redis>();
  /** Blocking reads of the events stream (opened on the first waiting read). */
  private eventsConn: Redis | null = null;
  private closed = false;
  private orphanCursor = '0';
  private readonly scripts: Record<ScriptName, string>;
  private readonly finishes = new Coalescer<void>((args) => this.run('finish', Date.now(), ...args));
  private readonly placements = new Coalescer<string[]>((args) => this.run('enqueuePinned', ...args));
  private readonly hostClaims = new Map<string, Coalescer<string[] | null>>();
  readonly ops: RedisOpsStore;

  constructor(
    private readonly settings: RedisSettings,
    key: { prefix: string; host_to_node_map: string; node_info_map: string },
  ) {
    this.keys = redisKeys(key.prefix, key.host_to_node_map, key.node_info_map);
    this.scripts = buildScripts(this.keys, EVENT_WINDOW);
    this.ops = new RedisOpsStore(() => this.redis(), this.keys);
  }

  async start(): Promise<void> {
    this.closed = false;
    const r = createRedis(this.settings, 'commands');
    for (const [name, lua] of Object.entries(this.scripts)) r.defineCommand(`np_${name}`, { numberOfKeys: 0, lua });
    r.on('error', () => undefined); // reconnects are automatic; errors surface on the calls that fail
    try {
      await r.connect();
    } catch (e) {
      // Otherwise the client keeps reconnecting in the background and the process never exits.
      r.disconnect();
      const where = this.settings.sentinel.enabled
        ? `Sentinel ${this.settings.sentinel.host}:${this.settings.sentinel.port} (master ${this.settings.sentinel.master_name})`
        : `${this.settings.host}:${this.settings.port}`;
      throw new NetPulseError(
        'NP_ERR_BROKER_UNAVAILABLE',
        `Broker unavailable: cannot connect to Redis at ${where}: ${(e as Error).message}`,
      );
    }
    this.cmd = r;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const b of this.blocking.values()) b.disconnect();
    this.blocking.clear();
    this.eventsConn?.disconnect();
    this.eventsConn = null;
    if (this.cmd) await this.cmd.quit().catch(() => this.cmd?.disconnect());
    this.cmd = null;
  }

  async ping(): Promise<boolean> {
    if (!this.cmd) return false;
    try {
      return (
        (await Promise.race([
          this.cmd.ping(),
          new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 2000).unref()),
        ])) === 'PONG'
      );
    } catch {
      return false;
    }
  }

  private redis(): Redis {
    if (!this.cmd) throw new Error('redis broker is not started');
    return this.cmd;
  }

  private run(name: ScriptName, ...args: (string | number)[]): Promise<Reply> {
    const fn = (this.redis() as unknown as Record<string, (...a: unknown[]) => Promise<Reply>>)[`np_${name}`];
    return fn.call(this.cmd, ...args.map(String));
  }

  // ---- submission ----
  private storeArgs(j: NewJob, queue: string, now: number): (string | number)[] {
    const rec = queuedRecord(j, queue, now);
    const reqTtl = j.ttl + 60;
    const expire = j.ttl + j.execution_timeout + j.result_ttl + 120;
    return [
      j.id,
      JSON.stringify(rec),
      JSON.stringify(j.meta),
      JSON.stringify(j.request),
      queue,
      j.created_at,
      reqTtl,
      expire,
      now + j.ttl * 1000,
      j.batch_id ?? '',
    ];
  }

  async enqueueFifo(jobs: NewJob[]): Promise<void> {
    const now = Date.now();
    for (let i = 0; i < jobs.length; i += PAGE) {
      const chunk = jobs.slice(i, i + PAGE);
      await this.run('enqueueFifo', chunk.length, ...chunk.flatMap((j) => this.storeArgs(j, FIFO_QUEUE, now)));
    }
  }

  /** Placements of one event-loop turn (a bulk request's hosts) go to Redis as one script call. */
  async enqueuePinned(job: NewJob, host: string, candidate: string | null): Promise<PinnedEnqueueResult> {
    const r = await this.placements.call([
      ...this.storeArgs(job, hostQueue(host), Date.now()).map(String),
      host,
      candidate ?? '',
    ]);
    if (r[0] === 'ok') return { ok: true, node: r[1], assigned: r[2] === '1' };
    if (r[0] === 'dead_owner') return { ok: false, reason: 'dead_owner', node: r[1] };
    return { ok: false, reason: 'unplaced' };
  }

  async owners(hosts: string[]): Promise<(string | null)[]> {
    if (!hosts.length) return [];
    return this.redis().hmget(this.keys.hostToNode, ...hosts);
  }

  // ---- jobs ----
  private decode(rec: string | null, meta: string | null, result: string | null): JobRecord | null {
    if (!rec) return null;
    const r = JSON.parse(rec) as JobRecord;
    r.meta = meta ? (JSON.parse(meta) as Record<string, unknown>) : {};
    r.result = result ? (JSON.parse(result) as JobRecord['result']) : null;
    r.batch_id ??= null;
    return r;
  }

  async getJob(id: string): Promise<JobRecord | null> {
    const [rec, meta, result] = await this.redis().hmget(this.keys.job(id), 'rec', 'meta', 'result');
    return this.decode(rec, meta, result);
  }

  private async fetch(ids: string[]): Promise<(JobRecord | null)[]> {
    if (!ids.length) return [];
    const p = this.redis().pipeline();
    for (const id of ids) p.hmget(this.keys.job(id), 'rec', 'meta', 'result');
    const res = (await p.exec()) ?? [];
    return res.map(([err, v]) => (err ? null : this.decode(...(v as [string | null, string | null, string | null]))));
  }

  async listJobs(filter: JobFilter): Promise<JobRecord[]> {
    if (filter.id) {
      const j = await this.getJob(filter.id);
      return j && matchesFilter(j, { ...filter, id: undefined }) ? [j] : [];
    }
    const want = (filter.offset ?? 0) + (filter.limit ?? 1000);
    // An id list or a batch names its candidates: fetch those instead of scanning the index.
    if (filter.ids || filter.batch !== undefined) {
      const ids = filter.ids ?? (await this.redis().lrange(this.keys.batchJobs(filter.batch!), 0, LIST_SCAN_CAP - 1));
      const jobs: JobRecord[] = [];
      for (let i = 0; i < ids.length; i += PAGE) {
        for (const j of await this.fetch(ids.slice(i, i + PAGE))) if (j && matchesFilter(j, filter)) jobs.push(j);
      }
      return paginate(jobs.sort(byNewest), filter);
    }
    // Waiting jobs of one queue come straight from the queue list, in queue order.
    if (filter.queue && filter.status === 'queued') {
      const ids = await this.redis().lrange(this.keys.queue(filter.queue), 0, want - 1);
      const jobs = (await this.fetch(ids)).filter((j): j is JobRecord => !!j && matchesFilter(j, filter));
      return paginate(jobs, filter);
    }
    const out: JobRecord[] = [];
    const gone: string[] = [];
    for (let start = 0; start < LIST_SCAN_CAP && out.length < want; start += PAGE) {
      const ids = await this.redis().zrevrange(this.keys.jobIndex, start, start + PAGE - 1);
      if (!ids.length) break;
      const recs = await this.fetch(ids);
      recs.forEach((j, i) => {
        if (!j) gone.push(ids[i]);
        else if (matchesFilter(j, filter)) out.push(j);
      });
    }
    // Records expire on their own (result_ttl); drop their index entries as we meet them.
    if (gone.length) await this.redis().zrem(this.keys.jobIndex, ...gone);
    return paginate(out, filter);
  }

  async cancelJobs(filter: JobFilter): Promise<string[]> {
    const targets = await this.listJobs({ ...filter, status: 'queued', limit: LIST_SCAN_CAP, offset: 0 });
    const out: string[] = [];
    for (let i = 0; i < targets.length; i += PAGE) {
      const ids = targets.slice(i, i + PAGE).map((j) => j.id);
      out.push(...((await this.run('cancel', Date.now(), ...ids)) as string[]));
    }
    return out;
  }

  async getBatch(id: string): Promise<BatchRecord | null> {
    const h = await this.redis().hgetall(this.keys.batch(id));
    if (!h.total) return null;
    const total = Number(h.total);
    const counts = emptyCounts();
    // The scripts count every status but `queued`: what is left of the total is still waiting.
    let counted = 0;
    for (const s of Object.keys(counts) as JobStatus[]) {
      if (s === 'queued') continue;
      counts[s] = Number(h[s] ?? 0);
      counted += counts[s];
    }
    counts.queued = Math.max(0, total - counted);
    return { id, total, counts, created_at: Number(h.created_at) };
  }

  // ---- job events ----
  /**
   * Marks the log as read (scripts append events only while the mark lives). Sent on the command
   * connection before the read that follows it, so no event after the read is skipped.
   */
  private markRead(): Promise<unknown> {
    return this.redis().set(this.keys.eventsRead, '1', 'PX', EVENT_IDLE_MS);
  }

  async eventTip(): Promise<string> {
    const [, last] = await Promise.all([
      this.markRead(),
      this.redis().xrevrange(this.keys.events, '+', '-', 'COUNT', 1),
    ]);
    return last.length ? last[0][0] : '0-0';
  }

  async readEvents(after: string, limit: number, waitMs: number): Promise<BrokerJobEvent[]> {
    if (this.closed) return [];
    await this.markRead();
    type Entries = [string, string[]][];
    let entries: Entries;
    if (waitMs > 0) {
      // XREAD BLOCK holds its connection, so waiting reads get their own.
      if (!this.eventsConn) {
        this.eventsConn = createRedis(this.settings, 'events');
        this.eventsConn.on('error', () => undefined);
      }
      let res: [string, Entries][] | null;
      try {
        res = (await this.eventsConn.xread(
          'COUNT',
          limit,
          'BLOCK',
          Math.max(1, Math.round(waitMs)),
          'STREAMS',
          this.keys.events,
          after,
        )) as [string, Entries][] | null;
      } catch (e) {
        if (this.closed) return [];
        throw e;
      }
      entries = res?.[0]?.[1] ?? [];
    } else {
      entries = (await this.redis().xrange(this.keys.events, `(${after}`, '+', 'COUNT', limit)) as Entries;
    }
    const events = entries.map(([id, fields]) => {
      const f: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]] = fields[i + 1];
      return { id, type: f.t as JobEventType, job: this.decode(f.r, null, null)! };
    });
    // Ended jobs carry their result: it is written once, with the end, so reading it now is exact.
    const ended = events.filter((e) => e.job.ended_at !== null);
    if (ended.length) {
      const p = this.redis().pipeline();
      for (const e of ended) p.hmget(this.keys.job(e.job.id), 'result', 'meta');
      const res = (await p.exec()) ?? [];
      ended.forEach((e, i) => {
        const [result, meta] = (res[i]?.[1] ?? [null, null]) as [string | null, string | null];
        e.job.result = result ? (JSON.parse(result) as JobRecord['result']) : null;
        e.job.meta = meta ? (JSON.parse(meta) as Record<string, unknown>) : {};
      });
    }
    return events;
  }

  // ---- consumption ----
  private toClaim(t: string[]): ClaimedJob {
    const record = JSON.parse(t[1]) as JobRecord;
    record.meta = JSON.parse(t[3]) as Record<string, unknown>;
    record.result = null;
    return { record, request: JSON.parse(t[2]) as Record<string, unknown> };
  }

  private toWork(item: string): Work {
    return item.startsWith('h:') ? { kind: 'host', host: item.slice(2) } : { kind: 'control', message: item.slice(2) };
  }

  async nextWork(node: string, fifoSlots: number, timeoutMs: number): Promise<Work[]> {
    if (this.closed) return [];
    const worker = fifoWorkerName(node);
    const pull = async (): Promise<Work[]> => {
      const [inbox, jobs] = (await this.run('pull', node, Math.max(0, fifoSlots), worker, Date.now())) as [
        string[],
        string[][],
      ];
      return [
        ...inbox.map((i) => this.toWork(i)),
        ...jobs.map((t) => ({ kind: 'fifo' as const, job: this.toClaim(t) })),
      ];
    };
    const first = await pull();
    if (first.length || timeoutMs <= 0) return first;
    let b = this.blocking.get(node);
    if (!b) {
      b = createRedis(this.settings, 'blocking');
      b.on('error', () => undefined);
      this.blocking.set(node, b);
    }
    const keys = [this.keys.nodeInbox(node), ...(fifoSlots > 0 ? [this.keys.queue(FIFO_QUEUE)] : [])];
    let popped: [string, string] | null;
    try {
      popped = await b.blpop(...keys, timeoutMs / 1000);
    } catch (e) {
      if (this.closed) return [];
      throw e;
    }
    if (!popped) return [];
    const [key, value] = popped;
    const out: Work[] = [];
    if (key === this.keys.nodeInbox(node)) out.push(this.toWork(value));
    else {
      const t = (await this.run('claimId', value, node, worker, Date.now())) as string[] | null;
      if (t) out.push({ kind: 'fifo', job: this.toClaim(t) });
      fifoSlots--;
    }
    // Take whatever else is ready without blocking again.
    const [inbox, jobs] = (await this.run('pull', node, Math.max(0, fifoSlots), worker, Date.now())) as [
      string[],
      string[][],
    ];
    out.push(
      ...inbox.map((i) => this.toWork(i)),
      ...jobs.map((t) => ({ kind: 'fifo' as const, job: this.toClaim(t) })),
    );
    return out;
  }

  /** Claims of one event-loop turn (a node's host actors) go to Redis as one script call per node. */
  async claimHostJob(host: string, node: string, worker: string): Promise<ClaimedJob | null> {
    let c = this.hostClaims.get(node);
    if (!c) {
      c = new Coalescer<string[] | null>((args) => this.run('claimHost', node, Date.now(), ...args));
      this.hostClaims.set(node, c);
    }
    const t = await c.call([host, worker]);
    return t ? this.toClaim(t) : null;
  }

  /** Jobs that end in the same event-loop turn are stored by one script call (see {@link Coalescer}). */
  async finishJob(id: string, outcome: JobOutcome): Promise<void> {
    const result = outcome.ok
      ? { type: 1, retval: outcome.retval ?? null, error: null }
      : { type: 2, retval: null, error: outcome.error };
    await this.finishes.call([id, outcome.ok ? 'finished' : 'failed', JSON.stringify(result)]);
  }

  async releaseHost(host: string, node: string, force = false): Promise<boolean> {
    return (await this.run('release', host, node, force ? '1' : '0')) === 1;
  }

  async sendControl(node: string, message: string): Promise<void> {
    await this.redis().rpush(this.keys.nodeInbox(node), `c:${message}`);
  }

  // ---- registry ----
  async heartbeat(node: NodeRecord, ttlMs: number): Promise<void> {
    const info = { hostname: node.hostname, capacity: node.capacity, queue: node.queue };
    await this.run(
      'heartbeat',
      node.hostname,
      JSON.stringify(info),
      JSON.stringify({ ...node, last_heartbeat: Date.now() }),
      Math.round(ttlMs),
    );
  }

  async unregisterNode(node: string): Promise<void> {
    await this.run('unregister', node);
    const b = this.blocking.get(node);
    if (b) {
      b.disconnect();
      this.blocking.delete(node);
    }
  }

  async listNodes(): Promise<NodeState[]> {
    const r = this.redis();
    const all = await r.hgetall(this.keys.nodeInfo);
    const names = Object.keys(all);
    if (!names.length) return [];
    const p = r.pipeline();
    for (const n of names) p.exists(this.keys.nodeAlive(n)).scard(this.keys.nodeHosts(n)).get(this.keys.nodeRecord(n));
    const res = (await p.exec()) ?? [];
    return names.map((n, i) => {
      const info = JSON.parse(all[n]) as { capacity: number; queue: string };
      const alive = res[i * 3]?.[1] === 1;
      const count = Number(res[i * 3 + 1]?.[1] ?? 0);
      const raw = res[i * 3 + 2]?.[1] as string | null;
      const record = raw
        ? (JSON.parse(raw) as NodeRecord & { last_heartbeat?: number })
        : { hostname: n, capacity: info.capacity, queue: info.queue, pid: 0, machine: n, birth_at: 0, workers: [] };
      return {
        hostname: n,
        count,
        capacity: info.capacity,
        queue: info.queue,
        alive,
        last_heartbeat: (record as { last_heartbeat?: number }).last_heartbeat ?? 0,
        record,
      };
    });
  }

  async reapNode(node: string, force = false): Promise<string[]> {
    return (await this.run('reap', node, Date.now(), force ? '1' : '0')) as string[];
  }

  async expireQueued(now: number): Promise<string[]> {
    const ids = await this.redis().zrangebyscore(this.keys.deadlines, '-inf', now, 'LIMIT', 0, PAGE);
    if (!ids.length) return [];
    return (await this.run('expire', now, ...ids)) as string[];
  }

  async orphanHosts(limit: number): Promise<string[]> {
    const [cursor, hosts] = (await this.run('orphans', this.orphanCursor, Math.max(10, limit))) as [string, string[]];
    this.orphanCursor = cursor;
    return hosts.slice(0, limit);
  }

  async adoptHost(host: string, node: string): Promise<boolean> {
    return (await this.run('adopt', host, node)) === 1;
  }
}
