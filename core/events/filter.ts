/**
 * Which job events a subscriber wants: each key lists accepted values (OR within a key, AND across
 * keys); an absent or empty key accepts everything.
 */
export interface JobEventFilter {
  job?: string[];
  batch?: string[];
  host?: string[];
  queue?: string[];
}

/** The fields of a job view a filter looks at. */
interface Filterable {
  id?: unknown;
  batch_id?: unknown;
  host?: unknown;
  queue?: unknown;
}

export function matchesEventFilter(job: Filterable, f: JobEventFilter | undefined): boolean {
  if (!f) return true;
  const ok = (want: string[] | undefined, v: unknown) => !want?.length || (typeof v === 'string' && want.includes(v));
  return ok(f.job, job.id) && ok(f.batch, job.batch_id) && ok(f.host, job.host) && ok(f.queue, job.queue);
}

/** Parses `a,b,c` query values into a filter (blank items dropped). */
export function filterFromQuery(q: Record<string, unknown>): JobEventFilter {
  const list = (k: string) => {
    const v = q[k];
    if (typeof v !== 'string') return undefined;
    const items = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return items.length ? items : undefined;
  };
  return { job: list('job'), batch: list('batch'), host: list('host'), queue: list('queue') };
}
