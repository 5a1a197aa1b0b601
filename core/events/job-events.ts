import {
  compareEventIds,
  EVENT_WINDOW,
  type Broker,
  type BrokerJobEvent,
  type JobEventType,
} from '../contracts/broker.ts';
import type { Logger } from '../contracts/common.ts';
import { jobView } from '../jobs/view.ts';
import { matchesEventFilter, type JobEventFilter } from './filter.ts';

/** One job state change: `job` is the object GET /job returns for the job at that moment. */
export interface JobEvent {
  /** Opaque, increasing; give it back as `after` (or `Last-Event-ID`) to resume. */
  id: string;
  type: JobEventType;
  job: Record<string, unknown>;
}

export type JobEventListener = (event: JobEvent) => void;

const READ_BATCH = 500;
const READ_WAIT_MS = 1000;
const RETRY_MS = 1000;

/**
 * The in-process source of job events (DI token `JOB_EVENTS` in core/di/tokens.ts). It reads the broker's event
 * log — the Redis stream every controller and node writes to, or the memory broker's ring — so a
 * subscriber on any controller sees every job of the cluster. The read loop runs only while someone
 * listens; `follow` adds resumption from an earlier event id within the broker's window.
 */
export class JobEvents {
  private readonly listeners = new Map<JobEventListener, JobEventFilter | undefined>();
  private loop: Promise<void> | null = null;
  private stopped = false;
  private failing = false;

  constructor(
    private readonly broker: Broker,
    private readonly log: Logger,
  ) {}

  /** Calls `listener` for every new event that matches `filter`; returns the unsubscribe function. */
  subscribe(listener: JobEventListener, filter?: JobEventFilter): () => void {
    this.listeners.set(listener, filter);
    this.ensureLoop();
    return () => void this.listeners.delete(listener);
  }

  private ensureLoop(): void {
    if (this.loop || this.stopped || this.listeners.size === 0) return;
    this.loop = this.run().finally(() => {
      this.loop = null;
      // A subscriber may have arrived while the loop was ending.
      this.ensureLoop();
    });
  }

  /** Retained events after `after` that match, oldest first (at most the broker's window). */
  async replay(after: string, filter?: JobEventFilter, limit = EVENT_WINDOW): Promise<JobEvent[]> {
    const out: JobEvent[] = [];
    let cursor = after;
    while (out.length < limit) {
      const batch = await this.broker.readEvents(cursor, Math.min(1000, limit), 0);
      if (!batch.length) break;
      cursor = batch[batch.length - 1].id;
      for (const e of batch) if (matchesEventFilter(e.job, filter)) out.push(toEvent(e));
    }
    return out.slice(0, limit);
  }

  /**
   * Events after `after` (if given, from the retained window) and then live ones, in order, without
   * gaps or repeats, until `signal` aborts. The subscription starts when `follow` is called (not at
   * the first read), so a caller can subscribe, tell its client it is listening, then iterate.
   */
  follow(opts: { after?: string | null; filter?: JobEventFilter; signal: AbortSignal }): AsyncGenerator<JobEvent> {
    const queue: JobEvent[] = [];
    let wake: (() => void) | null = null;
    const listener: JobEventListener = (e) => {
      queue.push(e);
      wake?.();
    };
    const onAbort = () => {
      unsubscribe();
      wake?.();
    };
    // Subscribe before replaying, so nothing that happens in between is lost; repeats are skipped by id.
    const unsubscribe = this.subscribe(listener, opts.filter);
    opts.signal.addEventListener('abort', onAbort, { once: true });
    const self = this;
    return (async function* () {
      try {
        let last = opts.after ?? null;
        if (last) {
          for (const e of await self.replay(last, opts.filter)) {
            if (opts.signal.aborted) return;
            last = e.id;
            yield e;
          }
        }
        while (!opts.signal.aborted) {
          const e = queue.shift();
          if (!e) {
            await new Promise<void>((r) => (wake = r));
            wake = null;
            continue;
          }
          if (last && compareEventIds(e.id, last) <= 0) continue;
          last = e.id;
          yield e;
        }
      } finally {
        unsubscribe();
        opts.signal.removeEventListener('abort', onAbort);
      }
    })();
  }

  /** Number of current subscribers (for tests and stats). */
  get subscribers(): number {
    return this.listeners.size;
  }

  /** Ends the read loop; the returned promise settles once it has (close the broker to cut a wait short). */
  stop(): Promise<void> {
    this.stopped = true;
    this.listeners.clear();
    return this.loop ?? Promise.resolve();
  }

  private async run(): Promise<void> {
    let cursor: string | null = null;
    while (!this.stopped && this.listeners.size > 0) {
      try {
        cursor ??= await this.broker.eventTip();
        const batch = await this.broker.readEvents(cursor, READ_BATCH, READ_WAIT_MS);
        if (this.failing) this.log.info({}, 'job events: broker readable again');
        this.failing = false;
        for (const raw of batch) {
          cursor = raw.id;
          this.dispatch(toEvent(raw));
        }
      } catch (e) {
        if (this.stopped) return;
        if (!this.failing) this.log.warn({ err: (e as Error).message }, 'job events: cannot read the broker; retrying');
        this.failing = true;
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  private dispatch(e: JobEvent): void {
    for (const [listener, filter] of this.listeners) {
      if (!matchesEventFilter(e.job, filter)) continue;
      try {
        listener(e);
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'job events: a listener threw');
      }
    }
  }
}

function toEvent(e: BrokerJobEvent): JobEvent {
  return { id: e.id, type: e.type, job: jobView(e.job) };
}
