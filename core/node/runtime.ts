import { hostname } from 'node:os';
import { setMaxListeners } from 'node:events';
import type { Broker, ClaimedJob, NodeRecord, WorkerRecord } from '../contracts/broker.ts';
import type { Logger } from '../contracts/common.ts';
import type { NodeSelector } from '../contracts/scheduler.ts';
import type { NetPulseConfig } from '../config/types.ts';
import type { SessionProvider } from '../jobs/pipeline.ts';
import { fifoWorkerName, nodeQueue, FIFO_QUEUE } from '../jobs/names.ts';
import { PinnedHost } from './pinned-host.ts';
import { FORGET_HOST, forgetHost } from '../state/forget.ts';
import { runClaimedJob, type RunnerDeps } from './job-runner.ts';
import { trace } from '../observability/tracing.ts';

export interface NodeRuntimeOptions {
  config: NetPulseConfig;
  selector: NodeSelector;
  deps: RunnerDeps;
  log: Logger;
  /** Node name (default: config worker.name, else the hostname). */
  name?: string;
}

/**
 * A worker node: FIFO consumers (async, `worker.fifo_concurrency` at once), pinned host actors,
 * heartbeats, and the housekeeping every node shares (expire queued jobs past their ttl, reap
 * dead nodes, adopt their orphaned hosts). One broker read loop per node — never one per host.
 */
export class NodeRuntime {
  readonly name: string;
  private readonly hosts = new Map<string, PinnedHost>();
  private fifoRunning = 0;
  private fifoOk = 0;
  private fifoFailed = 0;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private timers: NodeJS.Timeout[] = [];
  private readonly fifoJobs = new Set<Promise<void>>();
  private readonly stopAbort = new AbortController();
  private readonly birth = Date.now();
  private publishing = false;
  private publishAgain = false;
  private blockedFull = false;
  private wakeSent = false;
  private readonly broker: Broker;
  onStopRequested: (() => void) | null = null;

  constructor(private readonly opts: NodeRuntimeOptions) {
    this.name = opts.name ?? opts.config.worker.name ?? hostname();
    // Every running job listens for the node's stop signal.
    setMaxListeners(0, this.stopAbort.signal);
    this.broker = opts.deps.broker;
  }

  get pinnedCount(): number {
    return this.hosts.size;
  }

  /** Started and not stopping: takes work (readiness). */
  get ready(): boolean {
    return this.loop !== null && !this.stopping;
  }

  get fifoActive(): number {
    return this.fifoRunning;
  }

  get pinnedCapacity(): number {
    return this.opts.config.worker.pinned_per_node;
  }

  get fifoCapacity(): number {
    return this.opts.config.worker.fifo_concurrency;
  }

  get openSessions(): number {
    let n = 0;
    for (const h of this.hosts.values()) if (h.hasSession) n++;
    return n;
  }

  async start(): Promise<void> {
    // A previous process under this name (crash + quick restart) may have left jobs marked running
    // and hosts whose queued jobs nobody will announce again: fail the former, release the latter
    // (the housekeeping sweep re-places them), before this process registers.
    const lost = await this.broker.reapNode(this.name, true);
    if (lost.length)
      this.opts.log.warn(
        { node: this.name, failed_jobs: lost.length },
        'failed jobs left running by a previous process of this node',
      );
    await this.heartbeat();
    const w = this.opts.config.worker;
    const every = (ms: number, fn: () => Promise<unknown>) => {
      const t = setInterval(
        () => void fn().catch((e) => this.opts.log.warn({ err: e }, 'node housekeeping failed')),
        ms,
      );
      t.unref();
      this.timers.push(t);
    };
    every(w.heartbeat_interval * 1000, () => this.heartbeat());
    every(Math.max(250, Math.min(5000, w.heartbeat_interval * 1000)), () => this.housekeeping());
    this.loop = this.readLoop();
    this.opts.log.info(
      { node: this.name, capacity: w.pinned_per_node, fifo_concurrency: w.fifo_concurrency },
      'worker node started',
    );
  }

  private record(): NodeRecord {
    const workers: WorkerRecord[] = [
      {
        name: this.name,
        status: this.stopping ? 'suspended' : 'started',
        queues: [nodeQueue(this.name)],
        successful_job_count: 0,
        failed_job_count: 0,
        sessions: this.openSessions,
      },
      {
        name: fifoWorkerName(this.name),
        status: this.fifoRunning > 0 ? 'busy' : 'idle',
        queues: [FIFO_QUEUE],
        successful_job_count: this.fifoOk,
        failed_job_count: this.fifoFailed,
        sessions: this.fifoRunning,
      },
      ...[...this.hosts.values()].map((h) => h.view()),
    ];
    return {
      hostname: this.name,
      capacity: this.opts.config.worker.pinned_per_node,
      queue: nodeQueue(this.name),
      pid: process.pid,
      machine: hostname(),
      birth_at: this.birth,
      workers,
    };
  }

  /** Publishes the worker list now (a pinned worker came or went), not at the next heartbeat, so GET/DELETE /worker see it. */
  /**
   * Publishes the node record as soon as pinned workers come or go, so GET/DELETE /worker see them
   * without waiting for the next heartbeat. At most one write is in flight: changes made meanwhile
   * are folded into one follow-up write, so a bulk request that pins 2,000 hosts costs two writes,
   * not 2,000 writes of a growing record. The write is issued before the new host's first claim on
   * the same connection, so the record is visible by the time that job runs.
   */
  private publish(): boolean {
    if (this.stopping) return true;
    if (this.publishing) {
      this.publishAgain = true;
      return true;
    }
    this.publishing = true;
    void this.heartbeat()
      .catch((e) => this.opts.log.warn({ err: e }, 'node heartbeat failed'))
      .finally(() => {
        this.publishing = false;
        if (this.publishAgain) {
          this.publishAgain = false;
          this.publish();
        }
      });
    return true;
  }

  private async heartbeat(): Promise<void> {
    if (this.stopping) return;
    await this.broker.heartbeat(this.record(), this.opts.config.worker.ttl * 1000);
  }

  private async readLoop(): Promise<void> {
    const max = this.opts.config.worker.fifo_concurrency;
    let backoff = 100;
    while (!this.stopping) {
      try {
        const slots = max - this.fifoRunning;
        // With every FIFO slot busy the read blocks on the node inbox only; the first FIFO job to
        // finish meanwhile posts a 'wake' there, so refills never wait for the read timeout.
        this.blockedFull = slots <= 0;
        this.wakeSent = false;
        const work = await this.broker.nextWork(this.name, slots, 1000);
        this.blockedFull = false;
        backoff = 100;
        for (const w of work) {
          if (w.kind === 'fifo') this.runFifo(w.job);
          else if (w.kind === 'host') this.pokeHost(w.host);
          else await this.control(w.message);
        }
      } catch (e) {
        if (this.stopping) break;
        this.opts.log.warn({ err: e }, 'broker read failed; retrying');
        await new Promise((r) => setTimeout(r, backoff).unref());
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  private runFifo(job: ClaimedJob): void {
    this.fifoRunning++;
    const p = runClaimedJob(job, freshSession, this.opts.deps, this.stopAbort.signal)
      .then((ok) => {
        if (ok) this.fifoOk++;
        else this.fifoFailed++;
      })
      .finally(() => {
        this.fifoRunning--;
        this.fifoJobs.delete(p);
        if (this.blockedFull && !this.wakeSent && !this.stopping) {
          this.wakeSent = true;
          void this.broker.sendControl(this.name, 'wake').catch(() => undefined);
        }
      });
    this.fifoJobs.add(p);
  }

  private pokeHost(host: string): void {
    let actor = this.hosts.get(host);
    if (!actor) {
      actor = new PinnedHost(
        {
          node: this.name,
          host,
          idleTimeoutMs: this.opts.config.worker.idle_timeout * 1000,
          onGone: (h) => this.hosts.get(h) === actor && this.hosts.delete(h) && this.publish(),
        },
        this.opts.deps,
        this.opts.log.child({ host }),
      );
      this.hosts.set(host, actor);
      this.publish();
    }
    actor.poke();
  }

  private async control(message: string): Promise<void> {
    if (message === 'wake') return;
    if (message === 'stop') {
      this.opts.log.info({ node: this.name }, 'stop requested through the API');
      if (this.onStopRequested) this.onStopRequested();
      else void this.stop();
    } else if (message.startsWith(FORGET_HOST)) {
      const { host, port } = JSON.parse(message.slice(FORGET_HOST.length)) as { host: string; port?: number };
      const removed = await forgetHost(host, port);
      this.opts.log.info({ node: this.name, host, port, removed }, 'known host keys forgotten through the API');
    } else if (message.startsWith('evict:')) {
      const host = message.slice('evict:'.length);
      if (this.hosts.has(host)) this.opts.deps.metrics?.session(this.name, 'evicted');
      await this.hosts.get(host)?.stop({ drainMs: this.opts.config.worker.drain_timeout * 1000, release: true });
    }
  }

  /** Expire queued jobs past their ttl, reap dead nodes and adopt hosts they left with waiting jobs. */
  async housekeeping(): Promise<void> {
    if (this.stopping) return;
    await this.broker.expireQueued(Date.now());
    const nodes = await this.broker.listNodes();
    for (const n of nodes) {
      if (!n.alive && n.hostname !== this.name) {
        const lost = await this.broker.reapNode(n.hostname);
        this.opts.log.warn({ node: n.hostname, failed_jobs: lost.length }, 'reaped a dead node');
      }
    }
    const orphans = await this.broker.orphanHosts(100);
    if (orphans.length) {
      const live = (await this.broker.listNodes()).filter((n) => n.alive);
      const picks = this.opts.selector.selectBatch(live, orphans);
      await Promise.all(
        orphans.map((h, i) => (picks[i] ? this.broker.adoptHost(h, picks[i]!.hostname) : Promise.resolve(false))),
      );
    }
  }

  /** Graceful stop: no new work, running jobs get `drain_timeout`, sessions close, hosts are released. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    const drainMs = this.opts.config.worker.drain_timeout * 1000;
    await this.broker.heartbeat(this.record(), this.opts.config.worker.ttl * 1000).catch(() => undefined);
    const fifoDone = Promise.all([...this.fifoJobs]);
    await Promise.race([fifoDone, new Promise((r) => setTimeout(r, drainMs).unref())]);
    if (this.fifoJobs.size) this.stopAbort.abort(new Error('node stopping'));
    await Promise.all([...this.hosts.values()].map((h) => h.stop({ drainMs, release: true })));
    await Promise.race([fifoDone, new Promise((r) => setTimeout(r, 2000).unref())]);
    await this.broker.unregisterNode(this.name).catch(() => undefined);
    await Promise.race([this.loop, new Promise((r) => setTimeout(r, 1500).unref())]);
    this.opts.log.info({ node: this.name }, 'worker node stopped');
  }
}

/** FIFO jobs get a fresh session that is always closed afterwards (the reference never closed non-persisted sessions). */
const freshSession: SessionProvider = async (driver, req, ctx) => {
  trace.getActiveSpan()?.setAttribute('netpulse.session.reused', false);
  const session = await driver.connect(req.connection_args, ctx);
  return { session, release: () => session.close() };
};
