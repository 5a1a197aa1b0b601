import type { JobRecord, NewJob } from '../contracts/broker.ts';

/**
 * The correlation fields every log line of a job's life carries, on the controller and on the
 * node: `request_id` (the HTTP request that submitted it, from `X-Request-Id` or generated),
 * `job_id`, `batch_id` (the bulk request it came from; null for single jobs) and `host`.
 */
export type JobLogFields = {
  request_id: string | null;
  job_id: string;
  batch_id: string | null;
  host: string | null;
};

export function jobLogFields(job: Pick<NewJob | JobRecord, 'id' | 'host' | 'meta'>): JobLogFields {
  const meta = job.meta ?? {};
  const batch = (job as { batch_id?: unknown }).batch_id ?? meta.batch_id;
  return {
    request_id: typeof meta.request_id === 'string' ? meta.request_id : null,
    job_id: job.id,
    batch_id: typeof batch === 'string' ? batch : null,
    host: job.host,
  };
}
