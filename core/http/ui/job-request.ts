import type { JobRecord } from '../../contracts/broker.ts';

/**
 * What the job page shows of a job's request. The server keeps no credentials after a job starts
 * and never puts them in the record; this summary is built from the record's non-secret metadata
 * and, for command jobs, the command names that key the result (configuration lines are not
 * shown: they may carry secrets such as `username x secret y`).
 */
export function requestSummary(j: JobRecord): Record<string, unknown> {
  const m = j.meta ?? {};
  const retval = j.result?.retval;
  const commands = m.operation === 'command' && retval && typeof retval === 'object' && !Array.isArray(retval) ? Object.keys(retval).slice(0, 100) : [];
  return {
    id: j.id,
    driver: j.driver,
    host: j.host,
    device_type: m.device_type ?? null,
    operation: m.operation ?? null,
    strategy: m.strategy ?? null,
    webhook: Boolean(m.webhook),
    commands,
  };
}
