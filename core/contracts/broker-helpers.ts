import { nodeQueue } from '../jobs/names.ts';
import type { JobFilter, JobRecord, JobStatus, NewJob } from './broker.ts';

/**
 * Pure helpers every broker implementation shares, so that filtering and paging are identical on
 * memory and Redis. Queue names live in core/jobs/names.ts, engine-made job errors (expired,
 * worker lost) in the coded table (`jobError` in core/errors.ts).
 */

/** AND of the filter fields. `node` matches the node that ran the job or the node queue. */
export function matchesFilter(j: JobRecord, f: JobFilter): boolean {
  if (f.id && j.id !== f.id) return false;
  if (f.ids && !f.ids.includes(j.id)) return false;
  if (f.batch && j.batch_id !== f.batch) return false;
  if (f.status && j.status !== f.status) return false;
  if (f.queue && j.queue !== f.queue) return false;
  if (f.host && j.host !== f.host) return false;
  if (f.node && j.node !== f.node && j.queue !== nodeQueue(f.node)) return false;
  return true;
}

/** Newest first; ties by id so pages are stable. */
export function byNewest(a: JobRecord, b: JobRecord): number {
  return b.created_at - a.created_at || (a.id < b.id ? -1 : 1);
}

/** Empty status counts of a batch. */
export function emptyCounts(): Record<JobStatus, number> {
  return { queued: 0, started: 0, finished: 0, failed: 0, canceled: 0 };
}

export function paginate<T>(items: T[], f: JobFilter): T[] {
  const offset = f.offset ?? 0;
  const limit = f.limit ?? items.length;
  return items.slice(offset, offset + limit);
}

/** A newly queued job's record, as both brokers store it (the result and meta are kept apart). */
export function queuedRecord(j: NewJob, queue: string, now: number): Omit<JobRecord, 'result' | 'meta'> {
  return {
    id: j.id,
    status: 'queued',
    queue,
    host: j.host,
    driver: j.driver,
    worker: null,
    node: null,
    created_at: j.created_at,
    enqueued_at: now,
    started_at: null,
    ended_at: null,
    ttl: j.ttl,
    execution_timeout: j.execution_timeout,
    result_ttl: j.result_ttl,
    batch_id: j.batch_id ?? null,
  };
}
