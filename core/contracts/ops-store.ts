import type { JobStatus } from './broker.ts';
import type { JobEvent } from './webhook.ts';

/**
 * Operational state a broker keeps for the whole cluster (not per process): job counts for
 * `/system/stats` and the queue-depth gauge, self-healing counters, and the webhook delivery log
 * with its dead-letter list. A broker exposes it as `broker.ops`; both built-in brokers do, and a
 * third-party broker without it simply gets no delivery log and empty stats.
 */
export interface OpsStore {
  /** Job counts by status (records still kept, i.e. within `result_ttl`) and waiting jobs per queue kind. */
  jobCounts(): Promise<JobCounts>;
  /** Jobs waiting per queue kind, read from the queues themselves (cheap enough for every scrape). */
  queueDepth(): Promise<JobCounts['queued']>;
  /** Adds `by` to a named cluster-wide counter. */
  bumpCounter(name: string, by?: number): Promise<void>;
  /** Every counter bumped so far. */
  counters(): Promise<Record<string, number>>;
  /**
   * Stores (or replaces) a delivery record. The log keeps at most `limits.max` records per status
   * list and none older than `limits.maxAgeMs`; older or surplus ones are dropped.
   */
  saveDelivery(d: DeliveryRecord, limits: DeliveryLimits): Promise<void>;
  getDelivery(id: string): Promise<DeliveryRecord | null>;
  /** Newest first. */
  listDeliveries(filter: { status?: DeliveryStatus; limit: number }): Promise<DeliveryRecord[]>;
}

export interface JobCounts {
  byStatus: Record<JobStatus, number>;
  queued: { fifo: number; pinned: number };
}

export type DeliveryStatus = 'delivered' | 'failed';

export interface DeliveryLimits {
  max: number;
  maxAgeMs: number;
}

/** One webhook event and what happened to it. `hook` keeps what a retry needs (secrets included); never shown. */
export interface DeliveryRecord {
  /** The event id, sent as `webhook-id`: the same on every attempt and every replay. */
  id: string;
  job_id: string;
  status: DeliveryStatus;
  /** Attempts made so far, over the original delivery and every replay. */
  attempts: number;
  http_status: number | null;
  error: string | null;
  created_at: number;
  updated_at: number;
  /** How many times an operator replayed it. */
  replays: number;
  event: JobEvent;
  hook: Record<string, unknown>;
}
