import type { Broker, NewJob, PinnedEnqueueResult } from '../contracts/broker.ts';
import type { Logger } from '../contracts/common.ts';
import type { NetPulseMetrics } from './metrics.ts';
import { currentTraceparent } from './tracing.ts';
import { jobLogFields } from './job-fields.ts';
import { levelEnabled } from '../log/lazy-child.ts';
import { wrapBrokerMethods } from '../broker/wrap-methods.ts';

/** Calls that block by design (waiting for work) or manage the connection: not timed. */
const UNTIMED = new Set(['nextWork', 'start', 'close']);

/**
 * Wraps any broker (the contract, not each implementation) so that every call is timed
 * (`netpulse_broker_command_duration_seconds`), every accepted job is counted and stamped with
 * its trace context before it is stored, and self-healing actions (reaping,
 * expiry, adoption) are counted both in this process's metrics and in the cluster-wide counters
 * of `broker.ops`.
 */
export function instrumentBroker(broker: Broker, metrics: NetPulseMetrics, log: Logger): Broker {
  const bump = (name: string, n: number) => {
    if (n > 0) void broker.ops?.bumpCounter(name, n).catch(() => undefined);
  };
  const accepted = (jobs: NewJob[]) => {
    // One counter update per (driver, strategy) of the call, and log fields only when they are written.
    const counts = new Map<string, { driver: string; strategy: string; n: number }>();
    for (const job of jobs) {
      const strategy = String(job.meta.strategy ?? 'unknown');
      const key = `${job.driver}\u0000${strategy}`;
      const c = counts.get(key);
      if (c) c.n++;
      else counts.set(key, { driver: job.driver, strategy, n: 1 });
    }
    for (const c of counts.values()) metrics.jobSubmitted(c.driver, c.strategy, c.n);
    if (!levelEnabled(log, 'info')) return;
    for (const job of jobs) log.info({ ...jobLogFields(job), queue: job.queue, driver: job.driver }, 'job queued');
  };
  const stamp = (job: NewJob) => {
    const tp = currentTraceparent();
    if (tp && !job.meta.trace) job.meta.trace = tp;
  };
  const after: Record<string, (args: unknown[], result: unknown) => void> = {
    enqueueFifo: (args) => accepted(args[0] as NewJob[]),
    enqueuePinned: (args, r) => (r as PinnedEnqueueResult).ok && accepted([args[0] as NewJob]),
    reapNode: (args, r) => {
      const lost = (r as string[]).length;
      if (args[1] !== true) {
        metrics.healed('node_reaped');
        bump('node_reaped', 1);
      }
      metrics.healed('job_worker_lost', lost);
      bump('job_worker_lost', lost);
    },
    expireQueued: (_a, r) => {
      metrics.healed('job_expired', (r as string[]).length);
      bump('job_expired', (r as string[]).length);
    },
    adoptHost: (_a, r) => {
      if (r !== true) return;
      metrics.healed('host_adopted');
      bump('host_adopted', 1);
    },
  };
  const wrap = (prop: string | symbol, value: (...a: unknown[]) => unknown): unknown => {
    // Always run on the real broker: its own internal calls must not come back through the proxy.
    if (typeof prop !== 'string' || UNTIMED.has(prop)) return value.bind(broker);
    const timer = metrics.brokerCommandTimer(broker.name, prop);
    const then = after[prop];
    const stampArgs =
      prop === 'enqueueFifo'
        ? (args: unknown[]) => (args[0] as NewJob[]).forEach(stamp)
        : prop === 'enqueuePinned'
          ? (args: unknown[]) => stamp(args[0] as NewJob)
          : null;
    return async (...args: unknown[]) => {
      stampArgs?.(args);
      const t0 = performance.now();
      let ok = false;
      try {
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(broker, args);
        ok = true;
        then?.(args, result);
        return result;
      } finally {
        timer(performance.now() - t0, ok);
      }
    };
  };
  return wrapBrokerMethods(broker, wrap);
}
