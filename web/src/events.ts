import type { Job } from './api.ts';

export type JobEvent = { type: string; job: Job };

/**
 * Follows `GET /events` (Server-Sent Events) with the given filters. EventSource sends the session
 * cookie (same origin) and resumes with Last-Event-ID by itself after a dropped connection.
 */
export function follow(
  filters: Record<string, string | undefined>,
  onEvent: (e: JobEvent) => void,
  onState?: (live: boolean) => void,
): () => void {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
  const src = new EventSource(`/events${q.size ? `?${q}` : ''}`, { withCredentials: true });
  const handler = (m: MessageEvent): void => {
    try {
      onEvent(JSON.parse(m.data) as JobEvent);
    } catch {
      // a malformed event is ignored; the next one carries the full job again
    }
  };
  for (const t of ['job.queued', 'job.started', 'job.finished', 'job.failed', 'job.canceled'])
    src.addEventListener(t, handler);
  src.onopen = () => onState?.(true);
  src.onerror = () => onState?.(false);
  return () => src.close();
}
