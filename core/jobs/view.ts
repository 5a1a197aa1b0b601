import type { BatchRecord, JobRecord, NewJob, NodeState } from '../contracts/broker.ts';
import { isoTime } from '../time.ts';

/** JobInResponse: reference field names, ISO times in TZ, computed duration/queue_time. */
export function jobView(j: JobRecord): Record<string, unknown> {
  return {
    id: j.id,
    status: j.status,
    created_at: isoTime(j.created_at),
    enqueued_at: isoTime(j.enqueued_at),
    started_at: isoTime(j.started_at),
    ended_at: isoTime(j.ended_at),
    queue: j.queue,
    worker: j.worker,
    node: j.node,
    host: j.host,
    driver: j.driver,
    batch_id: j.batch_id ?? null,
    result: j.result,
    duration: j.ended_at !== null && j.started_at !== null ? (j.ended_at - j.started_at) / 1000 : null,
    queue_time: j.started_at !== null ? (j.started_at - j.enqueued_at) / 1000 : null,
    ttl: j.ttl,
    execution_timeout: j.execution_timeout,
  };
}

/** The view of a job just accepted (status `queued`), built without another broker read. */
export function queuedView(j: NewJob, enqueuedAt: number): Record<string, unknown> {
  return jobView({
    id: j.id,
    status: 'queued',
    queue: j.queue,
    host: j.host,
    driver: j.driver,
    worker: null,
    node: null,
    created_at: j.created_at,
    enqueued_at: enqueuedAt,
    started_at: null,
    ended_at: null,
    ttl: j.ttl,
    execution_timeout: j.execution_timeout,
    result_ttl: j.result_ttl,
    result: null,
    meta: j.meta,
    batch_id: j.batch_id ?? null,
  });
}

/** WorkerInResponse (the reference's worker fields) for every worker a node publishes. */
export function workerViews(nodes: NodeState[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const n of nodes) {
    for (const w of n.record.workers) {
      out.push({
        name: w.name,
        status: n.alive ? w.status : 'dead',
        pid: n.record.pid,
        hostname: n.record.machine,
        node: n.hostname,
        queues: w.queues,
        last_heartbeat: isoTime(n.last_heartbeat),
        birth_at: isoTime(n.record.birth_at),
        successful_job_count: w.successful_job_count,
        failed_job_count: w.failed_job_count,
        sessions: w.sessions ?? 0,
        ...(w.reconnects !== undefined ? { reconnects: w.reconnects } : {}),
        ...(w.name === n.hostname ? { count: n.count, capacity: n.capacity } : {}),
      });
    }
  }
  return out;
}

/**
 * GET /batch/{id}: `done` once nothing is queued or running; `eta_seconds` extrapolates the pace so far
 * (elapsed time per ended job × jobs left), null until a first job ends, 0 when done.
 */
export function batchView(b: BatchRecord, now: number): Record<string, unknown> {
  const ended = b.counts.finished + b.counts.failed + b.counts.canceled;
  const left = b.counts.queued + b.counts.started;
  const done = left === 0;
  const eta = done ? 0 : ended === 0 ? null : Math.round((((now - b.created_at) / ended) * left) / 100) / 10;
  return { id: b.id, total: b.total, counts: b.counts, done, created_at: isoTime(b.created_at), eta_seconds: eta };
}
