/**
 * `least_load_random` node selection: least loaded, with a random tie-break so that controllers
 * sharing one snapshot do not all pick the same node.
 *
 * - `select`: among nodes with a free slot, those with the fewest pinned hosts; among them those
 *   with the most remaining slots; one of those uniformly at random.
 * - `selectBatch`: the same rule applied host by host to the snapshot as updated by the batch so
 *   far (a node's load is its count plus the hosts this batch already gave it). This SPREADS a
 *   batch across the least-loaded nodes.
 *
 * Fixed against the reference: the reference only let the nodes with the maximum remaining at
 * each count level take hosts, so hosts were left unplaced although other nodes had room; here
 * every host is placed while any capacity is left.
 */
import { definePlugin } from '../../../core/plugin/define.ts';
import type { NodeInfo, NodeSelector } from '../../../core/contracts/scheduler.ts';
import {
  availableSlots,
  placeBatch,
  randomIndex,
  type Rng,
  type SelectorOptions,
  type Slot,
} from '../../../core/scheduling/capacity.ts';

/** The slots tied for least load (then most room), in snapshot order. */
function leastLoaded(slots: readonly Slot[]): Slot[] {
  let ties: Slot[] = [];
  let bestLoad = Infinity;
  let bestRoom = -Infinity;
  for (const s of slots) {
    const load = s.count + s.assigned;
    if (load < bestLoad || (load === bestLoad && s.remaining > bestRoom)) {
      bestLoad = load;
      bestRoom = s.remaining;
      ties = [s];
    } else if (load === bestLoad && s.remaining === bestRoom) {
      ties.push(s);
    }
  }
  return ties;
}

export class LeastLoadRandomSelector implements NodeSelector {
  readonly name = 'least_load_random';
  private readonly random: Rng;

  constructor(options: SelectorOptions = {}) {
    this.random = options.random ?? Math.random;
  }

  select(nodes: readonly NodeInfo[], _host: string): NodeInfo | null {
    const ties = leastLoaded(availableSlots(nodes));
    if (ties.length === 0) return null;
    return ties[randomIndex(this.random, ties.length)]!.node;
  }

  selectBatch(nodes: readonly NodeInfo[], hosts: readonly string[]): (NodeInfo | null)[] {
    return placeBatch(nodes, hosts, (candidates) => {
      const ties = leastLoaded(candidates);
      return ties[randomIndex(this.random, ties.length)]!;
    });
  }
}

export default definePlugin({
  kind: 'scheduler',
  name: 'least_load_random',
  version: '1.0.0',
  description: 'Picks a least-loaded node at random; batches spread across least-loaded nodes',
  register: () => new LeastLoadRandomSelector(),
});
