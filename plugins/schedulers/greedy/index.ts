/**
 * `greedy` node selection: packs hosts onto the busiest nodes so idle nodes stay idle (useful when
 * nodes are scaled down or drained by emptying them).
 *
 * - `select`: the first node, in snapshot order, that has a free slot.
 * - `selectBatch`: nodes with free slots sorted by count desc, remaining desc, hostname asc;
 *   each is filled completely before the next one takes a host.
 *
 * Deterministic for a given snapshot. Fixed against the reference: over-full nodes no longer
 * reduce the total capacity (their remaining counts as 0), and a node without a free slot is
 * never returned.
 */
import { definePlugin } from '../../../core/plugin/define.ts';
import type { NodeInfo, NodeSelector } from '../../../core/contracts/scheduler.ts';
import { compareHostname, fillInOrder, hasCapacity, placeBatch, type Slot } from '../../../core/scheduling/capacity.ts';

/** Fullest first; among equals the one with more room, then by name, then snapshot position. */
export function greedyOrder(a: Slot, b: Slot): number {
  return (
    b.count - a.count ||
    b.remaining - a.remaining ||
    compareHostname(a.node.hostname, b.node.hostname) ||
    a.index - b.index
  );
}

export class GreedySelector implements NodeSelector {
  readonly name = 'greedy';

  select(nodes: readonly NodeInfo[], _host: string): NodeInfo | null {
    return nodes.find(hasCapacity) ?? null;
  }

  selectBatch(nodes: readonly NodeInfo[], hosts: readonly string[]): (NodeInfo | null)[] {
    return placeBatch(nodes, hosts, fillInOrder(greedyOrder));
  }
}

export default definePlugin({
  kind: 'scheduler',
  name: 'greedy',
  version: '1.0.0',
  description: 'Packs hosts onto the fullest nodes first',
  register: () => new GreedySelector(),
});
