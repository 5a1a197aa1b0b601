import { nodeQueue } from '../jobs/names.ts';
import type { JobFilter, JobRecord } from './broker.ts';

/**
 * Pure helpers every broker implementation shares, so that filtering and paging are identical on
 * memory and Redis. Queue names live in core/jobs/names.ts, engine-made job errors (expired,
 * worker lost) in the coded table (`jobError` in core/errors.ts).
 */

/** AND of the filter fields. `node` matches the node that ran the job or the node queue. */
export function matchesFilter(j: JobRecord, f: JobFilter): boolean {
  if (f.id && j.id !== f.id) return false;
  if (f.status && j.status !== f.status) return false;
  if (f.queue && j.queue !== f.queue) return false;
  if (f.host && j.host !== f.host) return false;
  if (f.node && j.node !== f.node && j.queue !== nodeQueue(f.node)) return false;
  return true;
}

export function paginate<T>(items: T[], f: JobFilter): T[] {
  const offset = f.offset ?? 0;
  const limit = f.limit ?? items.length;
  return items.slice(offset, offset + limit);
}
