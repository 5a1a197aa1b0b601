import type { Broker } from '../contracts/broker.ts';
import { emptyCounts } from '../contracts/ops-helpers.ts';
import { fifoWorkerName } from '../jobs/names.ts';
import { isoTime } from '../time.ts';

const HEALING = ['node_reaped', 'job_worker_lost', 'job_expired', 'host_adopted'] as const;

/**
 * `GET /system/stats`: the cluster at a glance, as JSON, for people without Prometheus. Read from
 * the broker, so every controller answers the same.
 */
export async function systemStats(broker: Broker, deadLetterLimit: number): Promise<Record<string, unknown>> {
  const ops = broker.ops;
  const [counts, counters, nodes, deadLetters] = await Promise.all([
    ops ? ops.jobCounts() : Promise.resolve(emptyCounts()),
    ops ? ops.counters() : Promise.resolve({} as Record<string, number>),
    broker.listNodes(),
    ops ? ops.listDeliveries({ status: 'failed', limit: deadLetterLimit }) : Promise.resolve([]),
  ]);
  const items = nodes.map((n) => {
    const worker = (name: string) => n.record.workers.find((w) => w.name === name);
    return {
      name: n.hostname,
      alive: n.alive,
      pinned: n.count,
      capacity: n.capacity,
      sessions: worker(n.hostname)?.sessions ?? 0,
      fifo_running: worker(fifoWorkerName(n.hostname))?.sessions ?? 0,
      last_heartbeat: isoTime(n.last_heartbeat),
    };
  });
  const live = items.filter((n) => n.alive);
  return {
    broker: broker.name,
    jobs: counts.byStatus,
    queues: counts.queued,
    nodes: { live: live.length, dead: items.length - live.length, items },
    capacity: {
      pinned_used: live.reduce((s, n) => s + n.pinned, 0),
      pinned_total: live.reduce((s, n) => s + n.capacity, 0),
    },
    sessions: { open: live.reduce((s, n) => s + n.sessions, 0) },
    self_healing: Object.fromEntries(HEALING.map((k) => [k, counters[k] ?? 0])),
    webhooks: { dead_letters: deadLetters.length },
  };
}
