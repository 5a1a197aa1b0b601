import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OpsStore } from '../contracts/ops-store.ts';

/**
 * Every Prometheus metric NetPulse exports, in one place, on a registry per process (so several
 * NetPulse instances in one test process never mix their counts). Call sites use the one-line
 * methods below. Labels are bounded: driver, queue strategy, error type, outcome, node, broker
 * command, template engine — never a host, a job id or anything a client chooses freely.
 */
export class NetPulseMetrics {
  readonly registry = new Registry();
  private readonly seen = new Map<string, Set<string>>();

  private readonly submitted = new Counter({
    name: 'netpulse_jobs_submitted_total',
    help: 'Jobs accepted and queued, by driver and queue strategy.',
    labelNames: ['driver', 'strategy'] as const,
    registers: [this.registry],
  });
  private readonly finished = new Counter({
    name: 'netpulse_jobs_finished_total',
    help: 'Jobs that ended successfully on this node.',
    labelNames: ['driver', 'strategy', 'node'] as const,
    registers: [this.registry],
  });
  private readonly failed = new Counter({
    name: 'netpulse_jobs_failed_total',
    help: 'Jobs that ended failed on this node, by error type.',
    labelNames: ['driver', 'strategy', 'error_type', 'node'] as const,
    registers: [this.registry],
  });
  private readonly queueWait = new Histogram({
    name: 'netpulse_job_queue_wait_seconds',
    help: 'Time from enqueue to start of a job.',
    labelNames: ['strategy', 'node'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [this.registry],
  });
  private readonly execution = new Histogram({
    name: 'netpulse_job_execution_seconds',
    help: 'Time a job ran on a node (render, session, commands, parsing).',
    labelNames: ['driver', 'strategy', 'outcome', 'node'] as const,
    buckets: [0.005, 0.025, 0.1, 0.25, 1, 2.5, 10, 30, 120, 600],
    registers: [this.registry],
  });
  private readonly sessionEvents = new Counter({
    name: 'netpulse_pinned_sessions_total',
    help: 'Pinned session lifecycle events: opened, reconnected, evicted (idle or requested), keepalive_failed.',
    labelNames: ['event', 'node'] as const,
    registers: [this.registry],
  });
  private readonly webhooks = new Counter({
    name: 'netpulse_webhook_deliveries_total',
    help: 'Webhook events by outcome: delivered, failed (dead-lettered after its retries), replayed_delivered, replayed_failed.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly templates = new Histogram({
    name: 'netpulse_template_duration_seconds',
    help: 'Template render and parse durations by engine.',
    labelNames: ['engine', 'op'] as const,
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });
  private readonly brokerLatency = new Histogram({
    name: 'netpulse_broker_command_duration_seconds',
    help: 'Latency of broker contract calls (blocking reads excluded).',
    labelNames: ['broker', 'command', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2],
    registers: [this.registry],
  });
  private readonly selfHealing = new Counter({
    name: 'netpulse_self_healing_total',
    help: 'Self-healing actions taken by this process: node_reaped, job_worker_lost, job_expired, host_adopted.',
    labelNames: ['action'] as const,
    registers: [this.registry],
  });

  constructor(opts: { defaults?: boolean } = {}) {
    // Event-loop lag, heap, RSS, GC, handles: prom-client's process defaults, under our prefix.
    if (opts.defaults !== false) collectDefaultMetrics({ register: this.registry, prefix: 'netpulse_' });
  }

  /** Caps the distinct values of a label whose values come from plugins (error types): the rest become `other`. */
  private bounded(label: string, value: string, cap = 50): string {
    let set = this.seen.get(label);
    if (!set) {
      set = new Set();
      this.seen.set(label, set);
    }
    if (set.has(value)) return value;
    if (set.size >= cap) return 'other';
    set.add(value);
    return value;
  }

  jobSubmitted(driver: string, strategy: string, n = 1): void {
    this.submitted.inc({ driver: this.bounded('driver', driver), strategy }, n);
  }

  jobStarted(node: string, strategy: string, waitSeconds: number): void {
    this.queueWait.observe({ strategy, node }, Math.max(0, waitSeconds));
  }

  jobEnded(node: string, driver: string, strategy: string, errorType: string | null, seconds: number): void {
    const d = this.bounded('driver', driver);
    if (errorType === null) this.finished.inc({ driver: d, strategy, node });
    else this.failed.inc({ driver: d, strategy, node, error_type: this.bounded('error_type', errorType) });
    this.execution.observe({ driver: d, strategy, node, outcome: errorType === null ? 'finished' : 'failed' }, seconds);
  }

  session(node: string, event: 'opened' | 'reconnected' | 'evicted' | 'keepalive_failed'): void {
    this.sessionEvents.inc({ event, node });
  }

  webhook(outcome: 'delivered' | 'failed' | 'replayed_delivered' | 'replayed_failed'): void {
    this.webhooks.inc({ outcome });
  }

  template(engine: string, op: 'render' | 'parse', seconds: number): void {
    this.templates.observe({ engine: this.bounded('engine', engine), op }, seconds);
  }

  /**
   * Records one call of one broker command: `(ms, ok)`. The label-bound series are looked up once
   * here, not on every call (broker calls are on every job's path).
   */
  brokerCommandTimer(broker: string, command: string): (ms: number, ok: boolean) => void {
    const ok = this.brokerLatency.labels(broker, command, 'ok');
    const error = this.brokerLatency.labels(broker, command, 'error');
    return (ms, success) => (success ? ok : error).observe(ms / 1000);
  }

  healed(action: 'node_reaped' | 'job_worker_lost' | 'job_expired' | 'host_adopted', n = 1): void {
    if (n > 0) this.selfHealing.inc({ action }, n);
  }

  /** Gauges read from the node runtime at scrape time (capacity, sessions, FIFO slots). */
  attachNode(node: NodeGaugeSource): void {
    const g = (name: string, help: string, read: (n: NodeGaugeSource) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['node'] as const,
        registers: [this.registry],
        collect() {
          this.reset();
          this.set({ node: node.name }, read(node));
        },
      });
    g(
      'netpulse_node_pinned_capacity',
      'Pinned hosts this node may hold (worker.pinned_per_node).',
      (n) => n.pinnedCapacity,
    );
    g('netpulse_node_pinned_hosts', 'Pinned hosts this node holds now (capacity used).', (n) => n.pinnedCount);
    g('netpulse_pinned_sessions_open', 'Open pinned device sessions on this node.', (n) => n.openSessions);
    g('netpulse_node_fifo_running', 'FIFO jobs running on this node.', (n) => n.fifoActive);
    g(
      'netpulse_node_fifo_capacity',
      'FIFO jobs this node runs at once (worker.fifo_concurrency).',
      (n) => n.fifoCapacity,
    );
  }

  /** Queue depth per queue kind, read from the broker at scrape time (the controller's view of the cluster). */
  attachQueues(ops: OpsStore): void {
    new Gauge({
      name: 'netpulse_queue_depth',
      help: 'Jobs waiting, per queue kind (fifo, pinned).',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      async collect() {
        const q = await ops.queueDepth();
        this.set({ kind: 'fifo' }, q.fifo);
        this.set({ kind: 'pinned' }, q.pinned);
      },
    });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

export interface NodeGaugeSource {
  readonly name: string;
  readonly pinnedCount: number;
  readonly openSessions: number;
  readonly pinnedCapacity: number;
  readonly fifoActive: number;
  readonly fifoCapacity: number;
}
