import { readSse, type SseEvent } from '../../core/client/sse.ts';

export interface OpenStream {
  status: number;
  contentType: string | null;
  /** Next event (comments skipped), or throws after `ms`. */
  next(ms?: number): Promise<SseEvent & { json: any }>;
  /** Events until one satisfies `until` (inclusive). */
  until(pred: (e: SseEvent & { json: any }) => boolean, ms?: number): Promise<(SseEvent & { json: any })[]>;
  comments: string[];
  close(): void;
}

/** Opens GET /events (or any SSE URL) with fetch; the stream is read in the background. */
export async function openEvents(url: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  const ac = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ac.signal });
  const queue: (SseEvent & { json: any })[] = [];
  const comments: string[] = [];
  let wake = null as (() => void) | null;
  let ended = null as Error | null;
  if (res.ok && res.body) {
    void (async () => {
      try {
        for await (const m of readSse(res.body!)) {
          if (m.kind === 'comment') comments.push(m.text);
          else queue.push({ ...m, json: JSON.parse(m.data) });
          wake?.();
        }
        ended = new Error('stream ended');
      } catch (e) {
        ended = e as Error;
      }
      wake?.();
    })();
  } else await res.arrayBuffer().catch(() => undefined);
  const next = async (ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!queue.length) {
      if (ended) throw ended;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event within ${ms} ms`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, left);
      });
    }
    return queue.shift()!;
  };
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    next,
    async until(pred, ms = 10_000) {
      const out = [];
      for (;;) {
        const e = await next(ms);
        out.push(e);
        if (pred(e)) return out;
      }
    },
    comments,
    close: () => ac.abort(),
  };
}
