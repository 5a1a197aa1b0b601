/**
 * `least_load` node selection (the code default of `worker.scheduler`).
 *
 * - `select`: the node with the fewest pinned hosts; ties go to the most remaining slots, then
 *   the smallest hostname.
 * - `selectBatch`: nodes with free slots ordered by count asc, remaining desc, hostname asc, and
 *   each node is filled COMPLETELY before the next takes a host. This packs rather than spreads
 *   (a batch of 10 onto two empty nodes of capacity 32 puts all 10 on the first); it is the
 *   reference behaviour and is kept so placements match it. Use `least_load_random` to spread.
 *
 * Deterministic for a given snapshot. Fixed against the reference: over-full nodes no longer
 * reduce the total capacity, and no node without a free slot is ever returned.
 */
import { definePlugin } from '../../../core/plugin/define.ts';
import type { NodeInfo, NodeSelector } from '../../../core/contracts/scheduler.ts';
import {
  availableSlots,
  compareHostname,
  fillInOrder,
  placeBatch,
  type Slot,
} from '../../../core/scheduling/capacity.ts';

/** Least loaded first; among equals the one with more room, then by name, then snapshot position. */
export function leastLoadOrder(a: Slot, b: Slot): number {
  return (
    a.count - b.count ||
    b.remaining - a.remaining ||
    compareHostname(a.node.hostname, b.node.hostname) ||
    a.index - b.index
  );
}

export class LeastLoadSelector implements NodeSelector {
  readonly name = 'least_load';

  select(nodes: readonly NodeInfo[], _host: string): NodeInfo | null {
    let best: Slot | null = null;
    for (const s of availableSlots(nodes)) if (best === null || leastLoadOrder(s, best) < 0) best = s;
    return best?.node ?? null;
  }

  selectBatch(nodes: readonly NodeInfo[], hosts: readonly string[]): (NodeInfo | null)[] {
    return placeBatch(nodes, hosts, fillInOrder(leastLoadOrder));
  }
}

export default definePlugin({
  kind: 'scheduler',
  name: 'least_load',
  version: '1.0.0',
  description: 'Picks the node with the fewest pinned hosts; batches fill nodes in that order',
  register: () => new LeastLoadSelector(),
});
