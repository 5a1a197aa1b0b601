import { apiError, NetPulseConnectionError } from './errors.ts';
import { readSse } from './sse.ts';
import type {
  Batch,
  BulkRequest,
  BulkResult,
  ExecRequest,
  Health,
  Job,
  JobCancelQuery,
  JobEvent,
  JobEventType,
  JobQuery,
  ParseRequest,
  ParseResult,
  RenderRequest,
  RenderResult,
  TestRequest,
  TestResult,
  WorkerList,
  WorkerQuery,
} from './types.ts';

export interface ClientOptions {
  /** Base URL of the NetPulse API, e.g. `http://127.0.0.1:9000`. */
  url: string;
  apiKey: string;
  /** Header that carries the key (the server's `server.api_key_name`). */
  apiKeyHeader?: string;
  /** Per-request timeout in ms for ordinary calls (default 30 s; streams are not limited). */
  timeoutMs?: number;
  /** A fetch implementation (default the global one). */
  fetch?: typeof fetch;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface EventStreamOptions extends CallOptions {
  job?: string[];
  batch?: string[];
  host?: string[];
  queue?: string[];
  /** Resume after this event id (what a previous stream last delivered). */
  lastEventId?: string;
  /** Reconnect (with Last-Event-ID) when the connection drops; default true. */
  reconnect?: boolean;
  /** Called on every keepalive comment and (re)connection: proof the stream is alive. */
  onAlive?: () => void;
}

export interface WaitOptions extends CallOptions {
  /** Give up after this many ms (default: wait as long as the signal allows). */
  timeoutMs?: number;
  /** Poll interval when the event stream is unavailable (default 1 s). */
  pollMs?: number;
  /** Use polling only (no event stream). */
  poll?: boolean;
  /** Called with every event of the job(s) followed (not when polling). */
  onEvent?: (event: JobEvent) => void;
}

export interface WaitBatchOptions extends WaitOptions {
  /** Called with the batch state whenever a job of it changes (and once at the start). */
  onProgress?: (batch: Batch, event: JobEvent | null) => void;
}

const ENDED: readonly string[] = ['finished', 'failed', 'canceled'];
export const isEnded = (status: string): boolean => ENDED.includes(status);

/**
 * Typed client of the NetPulse API: one method per route, the `{code, message, data}` envelope
 * unwrapped (methods return `data`), error answers thrown as typed exceptions (errors.ts), an
 * AbortSignal accepted everywhere, and waits that follow GET /events with a polling fallback.
 */
export class NetPulseClient {
  readonly url: string;
  private readonly key: string;
  private readonly keyHeader: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(opts: ClientOptions) {
    this.url = opts.url.replace(/\/+$/, '');
    this.key = opts.apiKey;
    this.keyHeader = opts.apiKeyHeader ?? 'X-API-KEY';
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.fetchImpl = opts.fetch ?? fetch;
  }

  // ---- devices ----
  exec(body: ExecRequest, o?: CallOptions): Promise<Job> {
    return this.request('POST', '/device/exec', body, o);
  }
  bulk(body: BulkRequest, o?: CallOptions): Promise<BulkResult> {
    return this.request('POST', '/device/bulk', body, o);
  }
  test(body: TestRequest, o?: CallOptions): Promise<TestResult> {
    return this.request('POST', '/device/test', body, o);
  }

  // ---- templates ----
  render(body: RenderRequest & { name?: string }, o?: CallOptions): Promise<RenderResult> {
    return this.request('POST', '/template/render', body, o);
  }
  parse(body: ParseRequest & { name?: string }, o?: CallOptions): Promise<ParseResult> {
    return this.request('POST', '/template/parse', body, o);
  }

  // ---- jobs and batches ----
  jobs(query: Omit<JobQuery, 'id'> & { id?: string | string[] } = {}, o?: CallOptions): Promise<Job[]> {
    const q = { ...query, id: Array.isArray(query.id) ? query.id.join(',') : query.id };
    return this.request('GET', `/job${qs(q)}`, undefined, o);
  }
  async job(id: string, o?: CallOptions): Promise<Job | null> {
    return (await this.jobs({ id }, o))[0] ?? null;
  }
  cancelJobs(query: JobCancelQuery, o?: CallOptions): Promise<string[]> {
    return this.request('DELETE', `/job${qs(query)}`, undefined, o);
  }
  batch(id: string, o?: CallOptions): Promise<Batch> {
    return this.request('GET', `/batch/${encodeURIComponent(id)}`, undefined, o);
  }

  // ---- workers and health ----
  workers(query: WorkerQuery = {}, o?: CallOptions): Promise<WorkerList> {
    return this.request('GET', `/worker${qs(query)}`, undefined, o);
  }
  stopWorkers(query: WorkerQuery, o?: CallOptions): Promise<string[]> {
    return this.request('DELETE', `/worker${qs(query)}`, undefined, o);
  }
  health(o?: CallOptions): Promise<Health> {
    return this.request('GET', '/health', undefined, o);
  }

  /**
   * Job events from GET /events, as an async iterator. With `reconnect` (default) a dropped
   * connection is reopened with Last-Event-ID, so nothing is lost within the server's window (a first
   * connection that fails throws). Ends when the signal aborts.
   */
  async *events(opts: EventStreamOptions = {}): AsyncGenerator<JobEvent> {
    let last = opts.lastEventId ?? null;
    let failures = 0;
    let connected = false; // a first connection that fails is an error; later drops reconnect
    const filter = { job: opts.job, batch: opts.batch, host: opts.host, queue: opts.queue };
    for (;;) {
      const q = Object.fromEntries(
        Object.entries(filter)
          .filter(([, v]) => v?.length)
          .map(([k, v]) => [k, v!.join(',')]),
      );
      let res: Response;
      try {
        res = await this.send(
          'GET',
          `/events${qs(q)}`,
          undefined,
          opts.signal,
          {
            accept: 'text/event-stream',
            ...(last ? { 'Last-Event-ID': last } : {}),
          },
          false,
        );
      } catch (e) {
        if (opts.signal?.aborted || !connected || opts.reconnect === false || !(e instanceof NetPulseConnectionError))
          throw e;
        await sleep(Math.min(10_000, 250 * 2 ** Math.min(failures++, 6)), opts.signal);
        continue;
      }
      if (!res.ok) throw await this.errorOf(res);
      failures = 0;
      connected = true;
      opts.onAlive?.();
      try {
        for await (const m of readSse(res.body!)) {
          if (m.kind === 'comment') {
            opts.onAlive?.();
            continue;
          }
          if (m.id) last = m.id;
          const data = JSON.parse(m.data) as { type: JobEventType; job: Job };
          yield { id: m.id ?? '', type: data.type, job: data.job } as JobEvent;
        }
      } catch (e) {
        if (opts.signal?.aborted) return;
        if (opts.reconnect === false) throw e;
      }
      if (opts.signal?.aborted) return;
      if (opts.reconnect === false) return;
      await sleep(250, opts.signal);
    }
  }

  /** Waits for a job to end (finished, failed or canceled) and returns it, result included. */
  async waitForJob(id: string, opts: WaitOptions = {}): Promise<Job> {
    const { signal, done } = this.deadline(opts);
    try {
      if (!opts.poll) {
        const ended = await this.followUntil(
          { job: [id] },
          signal,
          async () => {
            const j = await this.job(id, { signal });
            if (!j) throw apiError(404, 'NP_ERR_NOT_FOUND', { message: `Job ${id} not found` }, null);
            return isEnded(j.status) ? j : null;
          },
          async (e) => {
            opts.onEvent?.(e);
            return isEnded(e.job.status) ? e.job : null;
          },
        );
        if (ended) return ended;
      }
      for (;;) {
        const j = await this.job(id, { signal });
        if (!j) throw apiError(404, 'NP_ERR_NOT_FOUND', { message: `Job ${id} not found` }, null);
        if (isEnded(j.status)) return j;
        await sleep(opts.pollMs ?? 1000, signal);
      }
    } finally {
      done();
    }
  }

  /** Waits until no job of the batch is queued or running; `onProgress` sees every change. */
  async waitForBatch(id: string, opts: WaitBatchOptions = {}): Promise<Batch> {
    const { signal, done } = this.deadline(opts);
    try {
      let last = '';
      const report = (b: Batch, e: JobEvent | null) => {
        const key = JSON.stringify(b.counts);
        if (key !== last) opts.onProgress?.(b, e);
        last = key;
        return b.done ? b : null;
      };
      if (!opts.poll) {
        // GET /batch once per event would cost O(events) calls on a big batch: refresh at most every
        // 500 ms, and at once when the ends seen could complete it (an end counted twice only makes
        // that check early, never late).
        let base = 0;
        let seen = 0;
        let total = Infinity;
        let fetchedAt = 0;
        const refresh = async (e: JobEvent | null) => {
          const b = await this.batch(id, { signal });
          fetchedAt = Date.now();
          base = b.counts.finished + b.counts.failed + b.counts.canceled;
          seen = 0;
          total = b.total;
          return report(b, e);
        };
        const ended = await this.followUntil(
          { batch: [id] },
          signal,
          () => refresh(null),
          async (e) => {
            opts.onEvent?.(e);
            if (!isEnded(e.job.status)) return null;
            seen++;
            return base + seen >= total || Date.now() - fetchedAt >= 500 ? refresh(e) : null;
          },
        );
        if (ended) return ended;
      }
      for (;;) {
        const b = report(await this.batch(id, { signal }), null);
        if (b) return b;
        await sleep(opts.pollMs ?? 1000, signal);
      }
    } finally {
      done();
    }
  }

  /**
   * Opens the event stream, then runs `check` once (a change that happened before the stream was
   * open is not announced again; the server subscribes before it answers, so nothing falls between),
   * then feeds events to `onEvent` until one returns a value. Null when the stream is unavailable:
   * the caller polls instead. API errors of `check` propagate.
   */
  private async followUntil<T>(
    filter: { job?: string[]; batch?: string[] },
    signal: AbortSignal,
    check: () => Promise<T | null>,
    onEvent: (e: JobEvent) => Promise<T | null>,
  ): Promise<T | null> {
    const ac = new AbortController();
    const inner = AbortSignal.any([signal, ac.signal]);
    let opened!: () => void;
    const open = new Promise<void>((r) => (opened = r));
    const it = this.events({ ...filter, signal: inner, onAlive: () => opened() });
    const first = it.next();
    let ours = false; // true while check/onEvent run: their errors are the caller's, not the stream's
    try {
      const early = await Promise.race([open.then(() => 'open' as const), first.then(() => 'ended' as const)]);
      if (early === 'ended') await first; // rethrows a failed connection
      ours = true;
      const now = await check();
      if (now !== null) return now;
      ours = false;
      for (let r = await first; !r.done; r = await it.next()) {
        ours = true;
        const v = await onEvent(r.value);
        if (v !== null) return v;
        ours = false;
      }
      return null;
    } catch (e) {
      if (signal.aborted) throw signal.reason ?? e;
      if (ours) throw e;
      return null; // no event stream here (old server, proxy): poll
    } finally {
      ac.abort();
      void it.return(undefined).catch(() => undefined);
    }
  }

  private deadline(opts: WaitOptions): { signal: AbortSignal; done: () => void } {
    const signals = [opts.signal, opts.timeoutMs ? AbortSignal.timeout(opts.timeoutMs) : undefined].filter(
      (s): s is AbortSignal => !!s,
    );
    const ac = new AbortController();
    const signal = AbortSignal.any([...signals, ac.signal]);
    return { signal, done: () => ac.abort() };
  }

  // ---- transport ----
  private async request<T>(method: string, path: string, body: unknown, o?: CallOptions): Promise<T> {
    const res = await this.send(method, path, body, o?.signal, {}, true);
    if (!res.ok) throw await this.errorOf(res);
    const env = (await res.json()) as { data: T };
    return env.data;
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
    headers: Record<string, string>,
    timed: boolean,
  ): Promise<Response> {
    const signals = [signal, timed ? AbortSignal.timeout(this.timeoutMs) : undefined].filter(
      (s): s is AbortSignal => !!s,
    );
    try {
      return await this.fetchImpl(this.url + path, {
        method,
        headers: {
          [this.keyHeader]: this.key,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signals.length ? AbortSignal.any(signals) : undefined,
      });
    } catch (e) {
      if (signal?.aborted) throw signal.reason ?? e;
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (e as Error).message;
      throw new NetPulseConnectionError(`cannot reach NetPulse at ${this.url}: ${why}`, this.url, { cause: e });
    }
  }

  private async errorOf(res: Response) {
    const text = await res.text().catch(() => '');
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = { message: text.slice(0, 200) || `HTTP ${res.status}` };
    }
    return apiError(res.status, res.headers.get('x-netpulse-error-code'), body, res.headers.get('x-request-id'));
  }
}

function qs(q: Record<string, unknown>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
