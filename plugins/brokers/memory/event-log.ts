import {
  compareEventIds,
  type BrokerJobEvent,
  type JobEventType,
  type JobRecord,
} from '../../../core/contracts/broker.ts';

/**
 * The memory broker's job event log: the newest `window` events in a ring, with `<ms>-<seq>` ids
 * shaped like Redis stream ids (so clients resume the same way on either broker), and waiters woken
 * on each new event.
 */
export class EventLog {
  private readonly ring: BrokerJobEvent[] = [];
  private start = 0;
  private lastMs = 0;
  private seq = 0;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly window: number) {}

  push(type: JobEventType, job: JobRecord): void {
    const now = Date.now();
    // Ids never go backwards, even when the clock does.
    if (now > this.lastMs) {
      this.lastMs = now;
      this.seq = 0;
    } else this.seq++;
    const ev = { id: `${this.lastMs}-${this.seq}`, type, job };
    if (this.ring.length < this.window) this.ring.push(ev);
    else {
      this.ring[this.start] = ev;
      this.start = (this.start + 1) % this.window;
    }
    this.wakeAll();
  }

  tip(): string {
    return this.ring.length ? this.at(this.ring.length - 1).id : '0-0';
  }

  /** Events newer than `after`, oldest first, at most `limit` (binary search: ids are ordered). */
  after(after: string, limit: number): BrokerJobEvent[] {
    let lo = 0;
    let hi = this.ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareEventIds(this.at(mid).id, after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const out: BrokerJobEvent[] = [];
    for (let i = lo; i < this.ring.length && out.length < limit; i++) out.push(this.at(i));
    return out;
  }

  waitFor(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.waiters.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  wakeAll(): void {
    for (const w of [...this.waiters]) w();
  }

  private at(i: number): BrokerJobEvent {
    return this.ring[(this.start + i) % this.ring.length];
  }
}
