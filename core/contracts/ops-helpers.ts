import type { JobRecord, JobStatus } from './broker.ts';
import type { DeliveryLimits, DeliveryRecord, JobCounts } from './ops-store.ts';
import { FIFO_QUEUE, hostOfQueue } from '../jobs/names.ts';

/** Pure helpers both built-in ops stores share, so memory and Redis count and trim identically. */
export function emptyCounts(): JobCounts {
  return { byStatus: { queued: 0, started: 0, finished: 0, failed: 0, canceled: 0 }, queued: { fifo: 0, pinned: 0 } };
}

export function countJob(c: JobCounts, status: JobStatus): void {
  if (status in c.byStatus) c.byStatus[status]++;
}

export function queueKind(queue: string): 'fifo' | 'pinned' | null {
  if (queue === FIFO_QUEUE) return 'fifo';
  return hostOfQueue(queue) !== null ? 'pinned' : null;
}

export function countRecords(records: Iterable<Pick<JobRecord, 'status' | 'queue'>>): JobCounts {
  const c = emptyCounts();
  for (const r of records) {
    countJob(c, r.status);
    const kind = r.status === 'queued' ? queueKind(r.queue) : null;
    if (kind) c.queued[kind]++;
  }
  return c;
}

/** Records of the delivery log to drop: older than the age limit, or beyond `max` newest of their status. */
export function deliveriesToDrop(records: DeliveryRecord[], limits: DeliveryLimits, now: number): string[] {
  const drop = new Set<string>();
  const sorted = [...records].sort((a, b) => b.updated_at - a.updated_at);
  const kept: Record<string, number> = {};
  for (const d of sorted) {
    if (now - d.updated_at > limits.maxAgeMs) {
      drop.add(d.id);
      continue;
    }
    kept[d.status] = (kept[d.status] ?? 0) + 1;
    if (kept[d.status] > limits.max) drop.add(d.id);
  }
  return [...drop];
}
