import type { Broker, NewJob, NodeState } from '../contracts/broker.ts';
import type { Logger } from '../contracts/common.ts';
import type { NodeSelector } from '../contracts/scheduler.ts';
import { NetPulseError } from '../errors.ts';

const ATTEMPTS = 4;
export const NO_NODE = 'No available node to run the job';
export const NO_FIFO = 'No available FIFO worker to run the job';

/**
 * Why a pinned job cannot be placed, in words an operator can act on. It keeps the reference's
 * opening words (clients match them) and says whether capacity is full, how many pinned slots the
 * live nodes have, and which setting raises it.
 */
export function noCapacityMessage(live: Pick<NodeState, 'count' | 'capacity'>[]): string {
  if (!live.length) return `${NO_NODE}: no live worker node (start \`netpulse serve\` or \`netpulse worker\`)`;
  const used = live.reduce((s, n) => s + n.count, 0);
  const slots = live.reduce((s, n) => s + n.capacity, 0);
  return (
    `${NO_NODE}: pinned capacity is full (${used} of ${slots} pinned sessions in use on ${live.length} live node${live.length === 1 ? '' : 's'}); ` +
    'raise worker.pinned_per_node (NETPULSE_WORKER__PINNED_PER_NODE), add worker nodes, or lower worker.idle_timeout so idle sessions free their slots'
  );
}

export interface DispatchResult {
  jobs: NewJob[];
  failed: { host: string; reason: string }[];
}

/**
 * Places jobs (docs/architecture.md, "Job flow" step 2). FIFO jobs go on `FifoQ` when a live node exists.
 * Pinned jobs go on `HostQ_<host>`: an owned host stays with its live owner; unowned hosts get a
 * node from the selector in one batch, recorded by the broker with set-if-absent so concurrent
 * controllers agree; a dead owner is reaped and the host re-placed (up to 4 attempts, as the
 * reference).
 */
export class Dispatcher {
  constructor(
    private readonly broker: Broker,
    private readonly selector: NodeSelector,
    private readonly log: Logger,
  ) {}

  async fifo(jobs: NewJob[]): Promise<DispatchResult> {
    const nodes = await this.broker.listNodes();
    if (!nodes.some((n) => n.alive))
      throw new NetPulseError(
        'NP_ERR_NO_CAPACITY',
        `${NO_FIFO}: no live worker node (start \`netpulse serve\` or \`netpulse worker\`)`,
      );
    await this.broker.enqueueFifo(jobs);
    return { jobs, failed: [] };
  }

  async pinned(jobs: NewJob[]): Promise<DispatchResult> {
    const placed: NewJob[] = [];
    const failed: { host: string; reason: string }[] = [];
    let pending = jobs;
    for (let attempt = 0; attempt < ATTEMPTS && pending.length; attempt++) {
      // Fast path: hosts that already have a live owner need no selection.
      const first = await Promise.all(pending.map((j) => this.broker.enqueuePinned(j, j.host!, null)));
      const unplaced: NewJob[] = [];
      const dead = new Set<string>();
      first.forEach((r, i) => {
        if (r.ok) placed.push(pending[i]);
        else {
          if (r.reason === 'dead_owner') dead.add(r.node);
          unplaced.push(pending[i]);
        }
      });
      for (const node of dead) {
        const lost = await this.broker.reapNode(node);
        this.log.warn({ node, failed_jobs: lost.length }, 'reaped a dead node during dispatch');
      }
      pending = [];
      if (!unplaced.length) break;
      const live = (await this.broker.listNodes()).filter((n) => n.alive);
      const picks = this.selector.selectBatch(
        snapshot(live),
        unplaced.map((j) => j.host!),
      );
      const second = await Promise.all(
        unplaced.map((j, i) =>
          picks[i] ? this.broker.enqueuePinned(j, j.host!, picks[i]!.hostname) : Promise.resolve(null),
        ),
      );
      pending = [];
      second.forEach((r, i) => {
        if (r?.ok) placed.push(unplaced[i]);
        else if (live.length === 0 || (r === null && totalRemaining(live) === 0))
          failed.push({ host: unplaced[i].host!, reason: noCapacityMessage(live) });
        else pending.push(unplaced[i]); // lost a race (node filled up or died): select again
      });
    }
    if (pending.length) {
      const reason = noCapacityMessage((await this.broker.listNodes()).filter((n) => n.alive));
      for (const j of pending) failed.push({ host: j.host!, reason });
    }
    return { jobs: placed, failed };
  }
}

function snapshot(nodes: NodeState[]) {
  return nodes.map((n) => ({ hostname: n.hostname, count: n.count, capacity: n.capacity, queue: n.queue }));
}

function totalRemaining(nodes: NodeState[]): number {
  return nodes.reduce((s, n) => s + Math.max(0, n.capacity - n.count), 0);
}
