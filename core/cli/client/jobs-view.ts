import type { Job } from '../../client/types.ts';

/** The columns people see for a job; json/yaml outputs keep the whole job. */
export const JOB_COLUMNS = ['id', 'host', 'status', 'driver', 'node', 'duration', 'batch_id', 'error'];

export function jobRow(j: Job): Record<string, unknown> {
  return {
    id: j.id,
    host: j.host,
    status: j.status,
    driver: j.driver,
    queue: j.queue,
    node: j.node,
    batch_id: j.batch_id,
    created_at: j.created_at,
    started_at: j.started_at,
    ended_at: j.ended_at,
    duration: typeof j.duration === 'number' ? Number(j.duration.toFixed(2)) : null,
    error: j.result?.error ? `${j.result.error.type}: ${j.result.error.message}` : null,
    output: j.result?.type === 1 ? outputText(j.result.retval) : null,
  };
}

/** A job's output as text: each command's output under a `# command` line, else JSON. */
export function outputText(retval: unknown): string {
  if (typeof retval === 'string') return retval;
  if (
    retval &&
    typeof retval === 'object' &&
    !Array.isArray(retval) &&
    Object.values(retval).every((v) => typeof v === 'string')
  ) {
    const entries = Object.entries(retval as Record<string, string>);
    if (entries.length === 1) return entries[0][1];
    return entries.map(([k, v]) => `# ${k}\n${v}`).join('\n');
  }
  return JSON.stringify(retval, null, 2);
}

/** True when the job ended well: finished with a successful result. */
export const succeeded = (j: Job): boolean => j.status === 'finished' && j.result?.type === 1;
