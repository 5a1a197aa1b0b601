import type { Driver, DriverContext, DriverSession } from '../contracts/driver.ts';
import type { Logger } from '../contracts/common.ts';
import type { JobRequest } from '../jobs/request.ts';
import type { SessionLease, SessionProvider } from '../jobs/pipeline.ts';
import { runClaimedJob, type RunnerDeps } from './job-runner.ts';
import { pinnedWorkerName, hostQueue } from '../jobs/names.ts';
import type { WorkerRecord } from '../contracts/broker.ts';
import { trace } from '../observability/tracing.ts';

export interface PinnedHostOptions {
  node: string;
  host: string;
  idleTimeoutMs: number;
  /** Called when the actor has released its host and closed its session. */
  onGone(host: string): void;
}

/**
 * One pinned device on this node: a persistent driver session plus a serial consumer of
 * `HostQ_<host>`. Jobs run strictly in queue order, one at a time. The session is probed every
 * `keepalive` seconds (from connection_args) and reopened transparently when it dies or when the
 * connection arguments change. After `idleTimeoutMs` without work the actor releases the host.
 */
export class PinnedHost {
  readonly worker: string;
  private session: DriverSession | null = null;
  private sessionKey = '';
  private driver: Driver | null = null;
  private running = false;
  private pending = false;
  private stopped = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private keepaliveTimer: NodeJS.Timeout | null = null;
  private current: Promise<void> = Promise.resolve();
  private readonly abort = new AbortController();
  successes = 0;
  failures = 0;
  reconnects = 0;

  constructor(
    private readonly opts: PinnedHostOptions,
    private readonly deps: RunnerDeps,
    private readonly log: Logger,
  ) {
    this.worker = pinnedWorkerName(opts.node, opts.host);
  }

  get busy(): boolean {
    return this.running;
  }

  get hasSession(): boolean {
    return this.session?.alive === true;
  }

  /** New work may be waiting: drain the host queue (coalesces concurrent pokes). */
  poke(): void {
    if (this.stopped) return;
    this.pending = true;
    if (!this.running) this.current = this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    this.clearIdle();
    try {
      while (this.pending && !this.stopped) {
        this.pending = false;
        for (;;) {
          if (this.stopped) break;
          const claimed = await this.deps.broker.claimHostJob(this.opts.host, this.opts.node, this.worker);
          if (!claimed) break;
          const ok = await runClaimedJob(claimed, this.provider, this.deps, this.abort.signal);
          if (ok) this.successes++;
          else this.failures++;
        }
      }
    } catch (e) {
      this.log.error({ err: e }, 'pinned host loop failed');
    } finally {
      this.running = false;
      if (!this.stopped) this.armIdle();
    }
  }

  private readonly provider: SessionProvider = async (driver, req, ctx) => this.lease(driver, req, ctx);

  private async lease(driver: Driver, req: JobRequest, ctx: DriverContext): Promise<SessionLease> {
    const key = driver.sessionKey(req.connection_args);
    if (this.session && (key !== this.sessionKey || !this.session.alive || this.driver !== driver)) {
      // Changed credentials or a dead transport: never reuse.
      await this.closeSession();
    }
    if (this.session) {
      try {
        await this.session.reset?.(ctx);
      } catch {
        await this.closeSession();
      }
      // A reset that could not resync closes the session quietly: reconnect rather than reuse it.
      if (this.session && !this.session.alive) await this.closeSession();
    }
    trace.getActiveSpan()?.setAttribute('netpulse.session.reused', this.session !== null);
    if (!this.session) {
      const reopening = this.sessionKey !== '';
      this.session = await driver.connect(req.connection_args, { log: ctx.log, signal: ctx.signal });
      // Counted once the session is open, so a published view never shows a reconnect without its session.
      if (reopening) {
        this.reconnects++;
        this.deps.metrics?.session(this.opts.node, 'reconnected');
      }
      this.deps.metrics?.session(this.opts.node, 'opened');
      this.sessionKey = key;
      this.driver = driver;
      this.armKeepalive(Number(req.connection_args.keepalive ?? 180));
    }
    const session = this.session;
    return {
      session,
      release: async (broken) => {
        if (broken && this.session === session) await this.closeSession();
      },
    };
  }

  private armKeepalive(seconds: number): void {
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = null;
    if (!(seconds > 0)) return;
    this.keepaliveTimer = setInterval(() => void this.probe(), seconds * 1000);
    this.keepaliveTimer.unref();
  }

  private async probe(): Promise<void> {
    if (this.running || !this.session) return;
    const s = this.session;
    const ok = await s.probe({ log: this.log, signal: AbortSignal.timeout(10_000) }).catch(() => false);
    if (!ok && this.session === s && !this.running) {
      this.deps.metrics?.session(this.opts.node, 'keepalive_failed');
      this.log.info({ host: this.opts.host }, 'keepalive probe failed; session closed, reopened on the next job');
      await this.closeSession();
    }
  }

  private async closeSession(): Promise<void> {
    const s = this.session;
    this.session = null;
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = null;
    if (s) await s.close().catch(() => undefined);
  }

  private armIdle(): void {
    this.clearIdle();
    this.idleTimer = setTimeout(() => void this.evictIfIdle(), this.opts.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private async evictIfIdle(): Promise<void> {
    if (this.running || this.stopped) return;
    const released = await this.deps.broker.releaseHost(this.opts.host, this.opts.node).catch(() => false);
    if (!released) {
      // Jobs arrived between the last claim and the release: keep serving.
      this.poke();
      return;
    }
    this.deps.metrics?.session(this.opts.node, 'evicted');
    await this.stop();
  }

  /** Stops after the running job (bounded by the caller), closes the session. */
  async stop(opts: { drainMs?: number; release?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.clearIdle();
    if (this.running && opts.drainMs !== undefined) {
      const timer = new Promise<void>((r) => setTimeout(r, opts.drainMs).unref());
      await Promise.race([this.current, timer]);
      if (this.running) this.abort.abort(new Error('node stopping'));
      await Promise.race([this.current, new Promise<void>((r) => setTimeout(r, 2000).unref())]);
    }
    await this.closeSession();
    if (opts.release) await this.deps.broker.releaseHost(this.opts.host, this.opts.node, true).catch(() => undefined);
    this.opts.onGone(this.opts.host);
  }

  view(): WorkerRecord {
    return {
      name: this.worker,
      status: this.running ? 'busy' : 'idle',
      queues: [hostQueue(this.opts.host)],
      successful_job_count: this.successes,
      failed_job_count: this.failures,
      sessions: this.hasSession ? 1 : 0,
      reconnects: this.reconnects,
    };
  }
}
