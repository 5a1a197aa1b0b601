import type { JobRecord } from '../../contracts/broker.ts';

/**
 * What the job page shows of a job's request. The server keeps no credentials after a job starts
 * and never puts them in the record; this summary is the record's non-secret metadata
 * (core/jobs/request-meta.ts). Jobs queued before that metadata named their commands fall back
 * to the command names that key a finished result.
 */
export function requestSummary(j: JobRecord): Record<string, unknown> {
  const m = j.meta ?? {};
  const retval = j.result?.retval;
  const fromResult =
    m.operation === 'command' && retval && typeof retval === 'object' && !Array.isArray(retval)
      ? Object.keys(retval).slice(0, 100)
      : [];
  const commands = Array.isArray(m.commands) ? m.commands : fromResult;
  return {
    id: j.id,
    driver: j.driver,
    host: j.host,
    device_type: m.device_type ?? null,
    operation: m.operation ?? null,
    strategy: m.strategy ?? null,
    webhook: Boolean(m.webhook),
    commands,
    config_lines: typeof m.config_lines === 'number' ? m.config_lines : null,
    parser: m.parser ?? null,
    renderer: m.renderer ?? null,
  };
}
