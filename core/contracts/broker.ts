import type { NodeInfo } from './scheduler.ts';
import type { OpsStore } from './ops-store.ts';

/**
 * Broker contract: where jobs, queues, results and the node registry live.
 *
 * Two built-ins implement it (`memory` for the embedded single-process mode, `redis` for a
 * cluster) and both pass `tests/conformance/broker.ts`. Every operation that must be atomic
 * across controllers and nodes (placing a host, claiming a job, releasing a host, reaping a dead
 * node) is one call here, so an implementation can make it one Lua script / one critical section.
 *
 * Queue names follow the reference: `FifoQ`, `HostQ_<host>`, `NodeQ_<node>`.
 *
 * DI token: {@link BROKER}. Plugin kind: `broker`.
 */
export interface Broker {
  readonly name: string;
  start(): Promise<void>;
  /** Closes connections; pending blocking reads resolve empty. */
  close(): Promise<void>;
  /** True when the backing store answers. */
  ping(): Promise<boolean>;

  // ---- submission (controller side) ----
  /** Stores FIFO jobs and pushes them on `FifoQ` in order, atomically. */
  enqueueFifo(jobs: NewJob[]): Promise<void>;
  /**
   * Stores a pinned job and pushes it on `HostQ_<host>`, atomically with placement:
   * - host already owned by a live node → queued there (`{ok:true, node}`);
   * - host owned by a dead node → `{ok:false, reason:'dead_owner', node}` (caller reaps, retries);
   * - host unowned and `candidate` given, alive, with remaining capacity → the host is assigned to it
   *   (set-if-absent) and the job queued (`{ok:true, node, assigned:true}`);
   * - otherwise `{ok:false, reason:'unplaced'}` (caller selects a node and retries).
   */
  enqueuePinned(job: NewJob, host: string, candidate: string | null): Promise<PinnedEnqueueResult>;
  /** Current owner of each host (null when unowned). */
  owners(hosts: string[]): Promise<(string | null)[]>;

  // ---- jobs ----
  getJob(id: string): Promise<JobRecord | null>;
  /** Newest first. Filters combine with AND. */
  listJobs(filter: JobFilter): Promise<JobRecord[]>;
  /** Cancels jobs that are still `queued`; returns their ids. */
  cancelJobs(filter: JobFilter): Promise<string[]>;
  /** Counts by status of the jobs submitted together under `id` (null once every record expired). */
  getBatch(id: string): Promise<BatchRecord | null>;

  // ---- job events ----
  /**
   * Id of the newest retained job event (`'0-0'` when none): a reader starts after it to see only
   * what happens from now on. Reading the log (this and {@link readEvents}) is what keeps it
   * recording: a broker may skip writing events while nobody has read them for {@link EVENT_IDLE_MS}
   * (so a cluster without listeners does not pay for them); events after a read are never skipped.
   */
  eventTip(): Promise<string>;
  /**
   * Job events with an id greater than `after`, oldest first, at most `limit`; waits up to `waitMs`
   * when there are none yet. Ids are `<ms>-<seq>` strings that order numerically ({@link compareEventIds});
   * the broker keeps the last {@link EVENT_WINDOW} events, older ones are gone.
   */
  readEvents(after: string, limit: number, waitMs: number): Promise<BrokerJobEvent[]>;

  // ---- consumption (node side) ----
  /**
   * Waits up to `timeoutMs` for work addressed to `node`: host notifications and control messages on
   * its node queue and, when `fifoSlots > 0`, up to that many FIFO jobs (claimed: status `started`).
   */
  nextWork(node: string, fifoSlots: number, timeoutMs: number): Promise<Work[]>;
  /**
   * Claims the next job of `HostQ_<host>` for `node` (status `started`, worker set), skipping jobs
   * that were canceled and failing those whose queue `ttl` expired. Null when the queue is empty or
   * the host is no longer owned by `node`.
   */
  claimHostJob(host: string, node: string, worker: string): Promise<ClaimedJob | null>;
  /** Records the outcome of a claimed job and applies `result_ttl`. */
  finishJob(id: string, outcome: JobOutcome): Promise<void>;
  /**
   * Gives up ownership of `host` if its queue is empty (idle eviction, graceful stop). Returns false
   * when jobs are waiting (the host stays owned).
   */
  releaseHost(host: string, node: string, force?: boolean): Promise<boolean>;
  /** Sends a control message to a node (`stop`, `evict:<host>`). */
  sendControl(node: string, message: string): Promise<void>;

  // ---- node registry ----
  /** Registers or refreshes a node (heartbeat). `ttlMs` is how long it stays alive without another. */
  heartbeat(node: NodeRecord, ttlMs: number): Promise<void>;
  /** Removes a node that stops cleanly: releases its hosts, deletes its record. */
  unregisterNode(node: string): Promise<void>;
  /** All registered nodes with live flag and exact pinned counts. */
  listNodes(): Promise<NodeState[]>;
  /**
   * Reaps a node whose heartbeat expired: its hosts become unowned (their waiting jobs stay queued),
   * its running jobs end `failed` with a worker-lost error. Returns reaped job ids.
   * `force` skips the liveness check: a node restarting under the same name reaps what its previous
   * process left behind before it registers.
   */
  reapNode(node: string, force?: boolean): Promise<string[]>;
  /** Fails queued jobs whose queue `ttl` expired. Returns their ids. */
  expireQueued(now: number): Promise<string[]>;
  /** Hosts with waiting jobs and no owner (after a node died), for re-placement. */
  orphanHosts(limit: number): Promise<string[]>;
  /** Re-queues orphan host `host` onto `node` (assigns and notifies). False if not possible. */
  adoptHost(host: string, node: string): Promise<boolean>;

  /** Cluster-wide operational state (stats, counters, webhook delivery log); see ops-store.ts. */
  readonly ops?: OpsStore;
}

export type JobStatus = 'queued' | 'started' | 'finished' | 'failed' | 'canceled';

/** A job as submitted. `request` holds credentials: brokers keep it apart from the job record and delete it once the job starts. */
export interface NewJob {
  id: string;
  /** Queue name shown to clients. */
  queue: string;
  host: string | null;
  driver: string;
  /** Seconds the job may wait in the queue. */
  ttl: number;
  /** Seconds the job may run. */
  execution_timeout: number;
  /** Seconds the record is kept after it ends. */
  result_ttl: number;
  created_at: number;
  /** The full validated request (with secrets). Never listed. */
  request: Record<string, unknown>;
  /** Non-secret data kept with the record (e.g. webhook spec without auth, device_type). */
  meta: Record<string, unknown>;
  /** The bulk request this job belongs to (null for a single exec). */
  batch_id?: string | null;
}

/** What GET /job shows (never secrets). Times are epoch milliseconds. */
export interface JobRecord {
  id: string;
  status: JobStatus;
  queue: string;
  host: string | null;
  driver: string;
  worker: string | null;
  node: string | null;
  created_at: number;
  enqueued_at: number;
  started_at: number | null;
  ended_at: number | null;
  ttl: number;
  execution_timeout: number;
  result_ttl: number;
  result: JobResultRecord | null;
  meta: Record<string, unknown>;
  /** The bulk request this job belongs to (null for a single exec). */
  batch_id: string | null;
}

export interface JobResultRecord {
  /** 1 successful, 2 failed (reference values). */
  type: 1 | 2;
  retval: unknown;
  error: { type: string; message: string } | null;
}

export interface ClaimedJob {
  record: JobRecord;
  request: Record<string, unknown>;
}

/**
 * How a job ended. A failure by an output cap (`NP_ERR_OUTPUT_LIMIT`) also carries the output that
 * fit, per command, as `error.partial_output`.
 */
export type JobOutcome =
  | { ok: true; retval: unknown }
  | { ok: false; error: { type: string; message: string; partial_output?: unknown } };

export interface JobFilter {
  id?: string;
  /** Any of these ids. */
  ids?: string[];
  /** Jobs of one bulk request. */
  batch?: string;
  queue?: string;
  status?: JobStatus;
  node?: string;
  host?: string;
  limit?: number;
  offset?: number;
}

/** Status counts of a bulk request's jobs; `created_at` in epoch ms. */
export interface BatchRecord {
  id: string;
  total: number;
  counts: Record<JobStatus, number>;
  created_at: number;
}

export type JobEventType = 'job.queued' | 'job.started' | 'job.finished' | 'job.failed' | 'job.canceled';

/** One job state change with the record as it was right after it (ended jobs carry their result). */
export interface BrokerJobEvent {
  id: string;
  type: JobEventType;
  job: JobRecord;
}

/** How many recent job events a broker retains for resumption (`Last-Event-ID`). */
export const EVENT_WINDOW = 10_000;

/**
 * How long after the last read of the event log a broker keeps recording events (see
 * `Broker.eventTip`): the longest a client can stay away and still resume with `Last-Event-ID`.
 */
export const EVENT_IDLE_MS = 10 * 60_000;

/** Orders two `<ms>-<seq>` event ids: negative when `a` is older. */
export function compareEventIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am - bm || (as ?? 0) - (bs ?? 0);
}

export type Work =
  | { kind: 'fifo'; job: ClaimedJob }
  | { kind: 'host'; host: string }
  | { kind: 'control'; message: string };

export type PinnedEnqueueResult =
  | { ok: true; node: string; assigned: boolean }
  | { ok: false; reason: 'dead_owner'; node: string }
  | { ok: false; reason: 'unplaced' };

/** What a node publishes with each heartbeat. */
export interface NodeRecord {
  hostname: string;
  capacity: number;
  queue: string;
  pid: number;
  machine: string;
  birth_at: number;
  /** Worker views for GET /worker (node worker, FIFO pool, pinned hosts). */
  workers: WorkerRecord[];
}

export interface WorkerRecord {
  name: string;
  status: 'started' | 'busy' | 'idle' | 'suspended';
  queues: string[];
  successful_job_count: number;
  failed_job_count: number;
  /** Open device sessions held by this worker. */
  sessions?: number;
  /** Times a pinned worker reopened its device session (dead transport, changed credentials). */
  reconnects?: number;
}

export interface NodeState extends NodeInfo {
  alive: boolean;
  last_heartbeat: number;
  record: NodeRecord;
}

export const BROKER = Symbol.for('netpulse.Broker');
