import {
  EVENT_IDLE_MS,
  EVENT_WINDOW,
  type BatchRecord,
  type Broker,
  type BrokerJobEvent,
  type ClaimedJob,
  type JobFilter,
  type JobOutcome,
  type JobRecord,
  type NewJob,
  type NodeRecord,
  type NodeState,
  type PinnedEnqueueResult,
  type Work,
} from '../../../core/contracts/broker.ts';
import { MemoryOpsStore } from './ops.ts';
import {
  byNewest,
  emptyCounts,
  matchesFilter,
  paginate,
  queuedRecord,
} from '../../../core/contracts/broker-helpers.ts';
import { jobError } from '../../../core/errors.ts';
import { FIFO_QUEUE, fifoWorkerName, hostOfQueue, hostQueue, jobEventType } from '../../../core/jobs/names.ts';
import { EventLog } from './event-log.ts';

interface NodeEntry {
  record: NodeRecord;
  last: number;
  expiresAt: number;
}

/**
 * The broker contract inside one process: the embedded default of `netpulse serve`. Every method
 * is synchronous under the hood, so each is atomic by construction (no await between read and
 * write), which is what the Redis broker gets from Lua scripts.
 */
export class MemoryBroker implements Broker {
  readonly name = 'memory';
  private readonly jobs = new Map<string, JobRecord>();
  private readonly requests = new Map<string, Record<string, unknown>>();
  private readonly queues = new Map<string, string[]>();
  private readonly owner = new Map<string, string>();
  private readonly nodeHosts = new Map<string, Set<string>>();
  private readonly nodes = new Map<string, NodeEntry>();
  private readonly running = new Map<string, Set<string>>();
  private readonly inbox = new Map<string, Work[]>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly batches = new Map<string, { ids: Set<string>; created_at: number }>();
  private readonly events = new EventLog(EVENT_WINDOW);
  /** When the event log was last read (events are recorded only within EVENT_IDLE_MS of it). */
  private lastEventRead = Number.NEGATIVE_INFINITY;
  private closed = false;
  readonly ops = new MemoryOpsStore(() => this.liveJobs());

  async start(): Promise<void> {
    this.closed = false;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const set of this.waiters.values()) for (const w of set) w();
    this.waiters.clear();
    this.events.wakeAll();
  }

  async ping(): Promise<boolean> {
    return !this.closed;
  }

  // ---- submission ----
  async enqueueFifo(jobs: NewJob[]): Promise<void> {
    const now = Date.now();
    for (const j of jobs) this.store(j, FIFO_QUEUE, now);
    this.wakeAll();
  }

  async enqueuePinned(job: NewJob, host: string, candidate: string | null): Promise<PinnedEnqueueResult> {
    const now = Date.now();
    let node = this.owner.get(host) ?? null;
    let assigned = false;
    if (node !== null) {
      if (!this.isAlive(node, now)) return { ok: false, reason: 'dead_owner', node };
    } else {
      if (candidate === null || !this.isAlive(candidate, now) || !this.hasRoom(candidate))
        return { ok: false, reason: 'unplaced' };
      this.assign(host, candidate);
      node = candidate;
      assigned = true;
    }
    this.store(job, hostQueue(host), now);
    this.notify(node, { kind: 'host', host });
    return { ok: true, node, assigned };
  }

  async owners(hosts: string[]): Promise<(string | null)[]> {
    return hosts.map((h) => this.owner.get(h) ?? null);
  }

  // ---- jobs ----
  async getJob(id: string): Promise<JobRecord | null> {
    const j = this.jobs.get(id);
    if (!j || this.purgeIfExpired(j, Date.now())) return null;
    return structuredClone(j);
  }

  private *liveJobs(): Iterable<JobRecord> {
    const now = Date.now();
    for (const j of [...this.jobs.values()]) if (!this.purgeIfExpired(j, now)) yield j;
  }

  async listJobs(filter: JobFilter): Promise<JobRecord[]> {
    if (filter.id) {
      const j = await this.getJob(filter.id);
      return j && matchesFilter(j, { ...filter, id: undefined }) ? [j] : [];
    }
    const now = Date.now();
    const out: JobRecord[] = [];
    // An id list or a batch names its candidates; otherwise every record is one.
    const ids = filter.ids ?? (filter.batch !== undefined ? [...(this.batches.get(filter.batch)?.ids ?? [])] : null);
    const candidates = ids ? ids.map((id) => this.jobs.get(id)).filter((j): j is JobRecord => !!j) : this.jobs.values();
    for (const j of candidates) {
      if (this.purgeIfExpired(j, now)) continue;
      if (matchesFilter(j, filter)) out.push(j);
    }
    out.sort(byNewest);
    return paginate(out, filter).map((j) => structuredClone(j));
  }

  async cancelJobs(filter: JobFilter): Promise<string[]> {
    const targets = await this.listJobs({ ...filter, status: 'queued', limit: Number.MAX_SAFE_INTEGER, offset: 0 });
    const ids: string[] = [];
    const now = Date.now();
    for (const t of targets) {
      const j = this.jobs.get(t.id);
      if (j?.status !== 'queued') continue;
      const q = this.queues.get(j.queue);
      if (q) {
        const i = q.indexOf(j.id);
        if (i >= 0) q.splice(i, 1);
      }
      j.status = 'canceled';
      j.ended_at = now;
      this.requests.delete(j.id);
      this.announce(j);
      ids.push(j.id);
    }
    return ids;
  }

  async getBatch(id: string): Promise<BatchRecord | null> {
    const b = this.batches.get(id);
    if (!b) return null;
    const now = Date.now();
    const counts = emptyCounts();
    let total = 0;
    for (const jid of b.ids) {
      const j = this.jobs.get(jid);
      if (!j || this.purgeIfExpired(j, now)) continue;
      counts[j.status]++;
      total++;
    }
    if (total === 0) {
      this.batches.delete(id);
      return null;
    }
    return { id, total, counts, created_at: b.created_at };
  }

  // ---- job events ----
  async eventTip(): Promise<string> {
    this.lastEventRead = Date.now();
    return this.events.tip();
  }

  async readEvents(after: string, limit: number, waitMs: number): Promise<BrokerJobEvent[]> {
    this.lastEventRead = Date.now();
    const deadline = Date.now() + waitMs;
    for (;;) {
      const out = this.events.after(after, limit);
      if (out.length || this.closed) return out.map((e) => this.withResult(e));
      const wait = deadline - Date.now();
      if (wait <= 0) return [];
      await this.events.waitFor(wait);
    }
  }

  // ---- consumption ----
  async nextWork(node: string, fifoSlots: number, timeoutMs: number): Promise<Work[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.closed) return [];
      const out = this.inbox.get(node)?.splice(0) ?? [];
      if (fifoSlots > 0) {
        for (let i = 0; i < fifoSlots; i++) {
          const c = this.claimFrom(FIFO_QUEUE, node, fifoWorkerName(node));
          if (!c) break;
          out.push({ kind: 'fifo', job: c });
        }
      }
      if (out.length) return out;
      const wait = deadline - Date.now();
      if (wait <= 0) return [];
      await this.waitFor(node, wait);
    }
  }

  async claimHostJob(host: string, node: string, worker: string): Promise<ClaimedJob | null> {
    if (this.owner.get(host) !== node) return null;
    return this.claimFrom(hostQueue(host), node, worker);
  }

  async finishJob(id: string, outcome: JobOutcome): Promise<void> {
    const j = this.jobs.get(id);
    if (j?.status !== 'started') return;
    j.status = outcome.ok ? 'finished' : 'failed';
    j.ended_at = Date.now();
    j.result = outcome.ok
      ? { type: 1, retval: outcome.retval, error: null }
      : { type: 2, retval: null, error: outcome.error };
    if (j.node) this.running.get(j.node)?.delete(id);
    this.announce(j);
  }

  async releaseHost(host: string, node: string, force = false): Promise<boolean> {
    if (this.owner.get(host) !== node) return true;
    if (!force && (this.queues.get(hostQueue(host))?.length ?? 0) > 0) return false;
    this.owner.delete(host);
    this.nodeHosts.get(node)?.delete(host);
    return true;
  }

  async sendControl(node: string, message: string): Promise<void> {
    this.notify(node, { kind: 'control', message });
  }

  // ---- registry ----
  async heartbeat(node: NodeRecord, ttlMs: number): Promise<void> {
    const now = Date.now();
    this.nodes.set(node.hostname, { record: structuredClone(node), last: now, expiresAt: now + ttlMs });
    if (!this.nodeHosts.has(node.hostname)) this.nodeHosts.set(node.hostname, new Set());
  }

  async unregisterNode(node: string): Promise<void> {
    for (const h of this.nodeHosts.get(node) ?? []) if (this.owner.get(h) === node) this.owner.delete(h);
    this.nodeHosts.delete(node);
    this.nodes.delete(node);
    this.inbox.delete(node);
    this.wake(node);
  }

  async listNodes(): Promise<NodeState[]> {
    const now = Date.now();
    return [...this.nodes.entries()].map(([name, e]) => ({
      hostname: name,
      count: this.nodeHosts.get(name)?.size ?? 0,
      capacity: e.record.capacity,
      queue: e.record.queue,
      alive: e.expiresAt > now,
      last_heartbeat: e.last,
      record: structuredClone(e.record),
    }));
  }

  async reapNode(node: string, force = false): Promise<string[]> {
    const e = this.nodes.get(node);
    if (!force && e && e.expiresAt > Date.now()) return [];
    const reaped: string[] = [];
    const now = Date.now();
    for (const id of this.running.get(node) ?? []) {
      const j = this.jobs.get(id);
      if (j && j.status === 'started') {
        j.status = 'failed';
        j.ended_at = now;
        j.result = { type: 2, retval: null, error: jobError('NP_ERR_WORKER_LOST', node) };
        this.announce(j);
        reaped.push(id);
      }
    }
    this.running.delete(node);
    await this.unregisterNode(node);
    return reaped;
  }

  async expireQueued(now: number): Promise<string[]> {
    const expired: string[] = [];
    for (const j of this.jobs.values()) {
      if (this.purgeIfExpired(j, now)) continue;
      if (j.status === 'queued' && now > j.enqueued_at + j.ttl * 1000) {
        const q = this.queues.get(j.queue);
        const i = q ? q.indexOf(j.id) : -1;
        if (q && i >= 0) q.splice(i, 1);
        this.expire(j, now);
        expired.push(j.id);
      }
    }
    return expired;
  }

  async orphanHosts(limit: number): Promise<string[]> {
    const out: string[] = [];
    for (const [q, ids] of this.queues) {
      if (out.length >= limit) break;
      const host = hostOfQueue(q);
      if (host === null || ids.length === 0) continue;
      if (!this.owner.has(host)) out.push(host);
    }
    return out;
  }

  async adoptHost(host: string, node: string): Promise<boolean> {
    if (this.owner.has(host) || !this.isAlive(node, Date.now()) || !this.hasRoom(node)) return false;
    this.assign(host, node);
    this.notify(node, { kind: 'host', host });
    return true;
  }

  // ---- internals ----
  private store(j: NewJob, queue: string, now: number): void {
    const rec: JobRecord = { ...queuedRecord(j, queue, now), result: null, meta: j.meta };
    this.jobs.set(j.id, rec);
    if (rec.batch_id !== null) {
      const batch = this.bucket(this.batches, rec.batch_id, () => ({
        ids: new Set<string>(),
        created_at: j.created_at,
      }));
      batch.ids.add(j.id);
    }
    this.announce(rec);
    this.requests.set(j.id, j.request);
    this.bucket(this.queues, queue, () => []).push(j.id);
  }

  private claimFrom(queue: string, node: string, worker: string): ClaimedJob | null {
    const q = this.queues.get(queue);
    const now = Date.now();
    while (q?.length) {
      const id = q.shift()!;
      const j = this.jobs.get(id);
      if (j?.status !== 'queued') continue;
      if (now > j.enqueued_at + j.ttl * 1000) {
        this.expire(j, now);
        continue;
      }
      const request = this.requests.get(id);
      this.requests.delete(id);
      if (!request) continue;
      j.status = 'started';
      j.started_at = now;
      j.worker = worker;
      j.node = node;
      this.announce(j);
      this.bucket(this.running, node, () => new Set()).add(id);
      return { record: structuredClone(j), request };
    }
    if (q && q.length === 0) this.queues.delete(queue);
    return null;
  }

  private expire(j: JobRecord, now: number): void {
    j.status = 'failed';
    j.ended_at = now;
    j.result = { type: 2, retval: null, error: jobError('NP_ERR_JOB_EXPIRED', j.ttl) };
    this.requests.delete(j.id);
    this.announce(j);
  }

  /**
   * Records the job's new status as an event (a snapshot: the record keeps changing in place),
   * without its result: a result can be megabytes, and the ring keeps EVENT_WINDOW events past the
   * job's result_ttl. As on Redis, nothing is recorded while nobody has read the log for
   * EVENT_IDLE_MS, and a reader gets an ended job's result from the job itself.
   */
  private announce(j: JobRecord): void {
    if (Date.now() - this.lastEventRead > EVENT_IDLE_MS) return;
    this.events.push(jobEventType(j.status), { ...j, result: null });
  }

  private withResult(e: BrokerJobEvent): BrokerJobEvent {
    if (e.job.ended_at === null) return e;
    return { ...e, job: { ...e.job, result: this.jobs.get(e.job.id)?.result ?? null } };
  }

  private purgeIfExpired(j: JobRecord, now: number): boolean {
    if (j.ended_at !== null && now > j.ended_at + j.result_ttl * 1000) {
      this.jobs.delete(j.id);
      if (j.batch_id !== null) this.dropFromBatch(j.batch_id, j.id);
      return true;
    }
    return false;
  }

  private dropFromBatch(batch: string, id: string): void {
    const b = this.batches.get(batch);
    if (!b) return;
    b.ids.delete(id);
    if (b.ids.size === 0) this.batches.delete(batch);
  }

  private isAlive(node: string, now: number): boolean {
    const e = this.nodes.get(node);
    return !!e && e.expiresAt > now;
  }

  private hasRoom(node: string): boolean {
    const e = this.nodes.get(node);
    return !!e && (this.nodeHosts.get(node)?.size ?? 0) < e.record.capacity;
  }

  private assign(host: string, node: string): void {
    this.owner.set(host, node);
    this.bucket(this.nodeHosts, node, () => new Set()).add(host);
  }

  /** The collection stored under `key`, created on first use. */
  private bucket<K, V>(map: Map<K, V>, key: K, create: () => V): V {
    let v = map.get(key);
    if (v === undefined) {
      v = create();
      map.set(key, v);
    }
    return v;
  }

  private notify(node: string, w: Work): void {
    this.bucket(this.inbox, node, () => []).push(w);
    this.wake(node);
  }

  private waitFor(node: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.bucket(this.waiters, node, () => new Set());
      const done = () => {
        clearTimeout(t);
        set!.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      set.add(done);
    });
  }

  private wake(node: string): void {
    for (const w of [...(this.waiters.get(node) ?? [])]) w();
  }

  private wakeAll(): void {
    for (const node of this.waiters.keys()) this.wake(node);
  }
}
