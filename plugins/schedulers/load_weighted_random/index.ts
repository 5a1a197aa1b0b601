/**
 * `load_weighted_random` node selection (the shipped default of `worker.scheduler`): random, with
 * nodes that have more free slots proportionally more likely.
 *
 * - `select`: weight of a node with free slots = `remaining * (0.95 + 0.1 * frac(h + i/N))`, where
 *   `h = (fnv1a32(host) mod 1000) / 1000`, `i` is the node's position in the snapshot and `N` the
 *   snapshot size; one node is drawn with probability proportional to its weight. The jitter
 *   depends only on the host and the snapshot, so it is the same on every controller.
 * - `selectBatch`: host by host, weight `(remaining + 1)^2 * U(0.95, 1.05)` over nodes that still
 *   have a free slot, where `remaining` is decremented as the batch assigns hosts.
 *
 * Fixed against the reference: the host hash was Python's per-process salted `hash()` (a host
 * got different weights on every controller); FNV-1a 32-bit is stable. A float rounding edge
 * could make the weighted draw return nothing; the draw now always lands on a node with a free
 * slot when one exists. Over-full nodes count as 0 remaining.
 */
import { definePlugin } from '../../../core/plugin/define.ts';
import type { NodeInfo, NodeSelector } from '../../../core/contracts/scheduler.ts';
import {
  fnv1a32,
  placeBatch,
  remainingOf,
  weightedIndex,
  type Rng,
  type SelectorOptions,
} from '../../../core/scheduling/capacity.ts';

/** The host's stable jitter base in [0, 1): `(fnv1a32(host) mod 1000) / 1000`. */
export function hostJitterBase(host: string): number {
  return (fnv1a32(host) % 1000) / 1000;
}

/**
 * Single-select weights, index-aligned with `nodes` (0 for nodes without a free slot).
 * Exported so tests can check that they are identical across processes.
 */
export function selectWeights(nodes: readonly NodeInfo[], host: string): number[] {
  const h = hostJitterBase(host);
  const n = nodes.length;
  return nodes.map((node, i) => {
    const remaining = remainingOf(node);
    if (remaining <= 0) return 0;
    const frac = (h + i / n) % 1;
    return remaining * (0.95 + 0.1 * frac);
  });
}

export class LoadWeightedRandomSelector implements NodeSelector {
  readonly name = 'load_weighted_random';
  private readonly random: Rng;

  constructor(options: SelectorOptions = {}) {
    this.random = options.random ?? Math.random;
  }

  select(nodes: readonly NodeInfo[], host: string): NodeInfo | null {
    const i = weightedIndex(selectWeights(nodes, host), this.random);
    return i < 0 ? null : nodes[i]!;
  }

  selectBatch(nodes: readonly NodeInfo[], hosts: readonly string[]): (NodeInfo | null)[] {
    return placeBatch(nodes, hosts, (candidates) => {
      const weights = candidates.map((s) => (s.remaining + 1) ** 2 * (0.95 + 0.1 * this.random()));
      // Every candidate has remaining > 0, so every weight is > 0 and an index is always found.
      return candidates[Math.max(0, weightedIndex(weights, this.random))]!;
    });
  }
}

export default definePlugin({
  kind: 'scheduler',
  name: 'load_weighted_random',
  version: '1.0.0',
  description: 'Random node weighted by free slots, with a stable per-host jitter',
  register: () => new LoadWeightedRandomSelector(),
});
