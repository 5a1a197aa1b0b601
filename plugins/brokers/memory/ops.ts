import type { JobRecord } from '../../../core/contracts/broker.ts';
import type {
  DeliveryLimits,
  DeliveryRecord,
  DeliveryStatus,
  JobCounts,
  OpsStore,
} from '../../../core/contracts/ops-store.ts';
import { countRecords, deliveriesToDrop } from '../../../core/contracts/ops-helpers.ts';

/** The ops store of the embedded broker: plain maps in the process. */
export class MemoryOpsStore implements OpsStore {
  private readonly counts = new Map<string, number>();
  private readonly deliveries = new Map<string, DeliveryRecord>();

  /** `liveJobs` yields the records the broker still keeps (expired ones already purged). */
  constructor(private readonly liveJobs: () => Iterable<JobRecord>) {}

  async jobCounts(): Promise<JobCounts> {
    return countRecords(this.liveJobs());
  }

  async queueDepth(): Promise<JobCounts['queued']> {
    return countRecords(this.liveJobs()).queued;
  }

  async bumpCounter(name: string, by = 1): Promise<void> {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by);
  }

  async counters(): Promise<Record<string, number>> {
    return Object.fromEntries(this.counts);
  }

  async saveDelivery(d: DeliveryRecord, limits: DeliveryLimits): Promise<void> {
    this.deliveries.set(d.id, structuredClone(d));
    for (const id of deliveriesToDrop([...this.deliveries.values()], limits, Date.now())) this.deliveries.delete(id);
  }

  async getDelivery(id: string): Promise<DeliveryRecord | null> {
    const d = this.deliveries.get(id);
    return d ? structuredClone(d) : null;
  }

  async listDeliveries(filter: { status?: DeliveryStatus; limit: number }): Promise<DeliveryRecord[]> {
    return [...this.deliveries.values()]
      .filter((d) => !filter.status || d.status === filter.status)
      .sort((a, b) => b.updated_at - a.updated_at)
      .slice(0, filter.limit)
      .map((d) => structuredClone(d));
  }
}
