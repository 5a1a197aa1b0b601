/**
 * Pure helpers shared by the node-selection schedulers (`plugins/schedulers/*`).
 *
 * Plugins must not import each other, so the arithmetic every selector needs lives here:
 * remaining capacity that never goes negative, a stable string hash, deterministic tie-breaks,
 * a float-safe weighted pick, and a batch placer that enforces the selector contract
 * (never overfill a node, never leave a host unplaced while capacity exists).
 *
 * Nothing here does I/O or keeps state between calls.
 */
import type { NodeInfo } from '../contracts/scheduler.ts';

/** A source of uniform numbers in [0, 1), like `Math.random`. Injected so tests can seed it. */
export type Rng = () => number;

/** Constructor options every built-in selector accepts. */
export interface SelectorOptions {
  /** Uniform random source in [0, 1). Default `Math.random`. */
  random?: Rng;
}

/**
 * Free pinned slots of a node: `capacity - count`, never negative.
 *
 * The reference summed raw `capacity - count`, so one over-full node (count > capacity after a
 * config change or a race) hid free slots on the others; a non-finite value (corrupt registry
 * entry) is treated as "no capacity" rather than poisoning sums with NaN.
 */
export function remainingOf(node: NodeInfo): number {
  const r = Math.floor(node.capacity - node.count);
  return Number.isFinite(r) && r > 0 ? r : 0;
}

export function hasCapacity(node: NodeInfo): boolean {
  return remainingOf(node) > 0;
}

/** Sum of remaining capacity over all nodes, over-full nodes counting 0. */
export function totalRemaining(nodes: readonly NodeInfo[]): number {
  let total = 0;
  for (const n of nodes) total += remainingOf(n);
  return total;
}

/**
 * Locale-independent ordering of node names (UTF-16 code units), so the same snapshot sorts the
 * same way on every controller regardless of its ICU data or `LANG`.
 */
export function compareHostname(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * FNV-1a, 32 bit, over the UTF-8 bytes of `text`. Stable across processes and machines, unlike
 * the per-process salted `hash()` the reference used, so every controller derives the same
 * jitter for a host.
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  const bytes = new TextEncoder().encode(text);
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Uniform index in [0, n) from `rng`. Clamps the result, because an injected RNG may return 1 or
 * a value outside [0, 1), which would otherwise index past the end.
 */
export function randomIndex(rng: Rng, n: number): number {
  const x = rng();
  const i = Math.floor((Number.isFinite(x) ? x : 0) * n);
  return Math.min(n - 1, Math.max(0, i));
}

/**
 * Weighted random pick: returns an index whose weight is > 0, or -1 only when no weight is > 0.
 *
 * Floating-point rounding can leave the running sum just below `rng() * total`, in which case a
 * naive loop falls off the end and returns nothing (the reference's `None` edge); the last
 * positive weight is the correct answer in that case.
 */
export function weightedIndex(weights: readonly number[], rng: Rng): number {
  let total = 0;
  let lastPositive = -1;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (Number.isFinite(w) && w > 0) {
      total += w;
      lastPositive = i;
    }
  }
  if (lastPositive < 0) return -1;
  const x = rng();
  const target = Math.min(Math.max(Number.isFinite(x) ? x : 0, 0), 1) * total;
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (!(Number.isFinite(w) && w > 0)) continue;
    acc += w;
    if (target < acc) return i;
  }
  return lastPositive;
}

/** A node plus the slots still free in the batch being placed. */
export interface Slot {
  readonly node: NodeInfo;
  /** Position of the node in the input snapshot (stable tie-break and reproducibility). */
  readonly index: number;
  /** Count at snapshot time. */
  readonly count: number;
  /** Hosts given to this node so far in this batch. */
  assigned: number;
  /** Free slots left in this batch; always > 0 for slots offered to a chooser. */
  remaining: number;
}

/** Slots of the nodes that have capacity, in snapshot order. */
export function availableSlots(nodes: readonly NodeInfo[]): Slot[] {
  const slots: Slot[] = [];
  nodes.forEach((node, index) => {
    const remaining = remainingOf(node);
    if (remaining > 0) slots.push({ node, index, count: node.count, assigned: 0, remaining });
  });
  return slots;
}

/**
 * Chooses one of `candidates` (never empty, every slot with remaining > 0) for `host`.
 * Returning a slot that is not among the candidates is a programming error and is ignored in
 * favour of the first candidate, so the contract holds even for a faulty chooser.
 */
export type SlotChooser = (candidates: readonly Slot[], host: string, hostIndex: number) => Slot;

/**
 * Places `hosts` one by one: every host gets a node while any slot is free, each assignment
 * takes one slot, and only hosts beyond the total free capacity get null. Result length always
 * equals `hosts.length`. The chooser decides the algorithm; this function guarantees the
 * contract (the reference's `least_load_random` could leave hosts unplaced with capacity left).
 */
export function placeBatch(
  nodes: readonly NodeInfo[],
  hosts: readonly string[],
  choose: SlotChooser,
): (NodeInfo | null)[] {
  const out: (NodeInfo | null)[] = new Array(hosts.length).fill(null);
  let open = availableSlots(nodes);
  for (let h = 0; h < hosts.length && open.length > 0; h++) {
    let slot = choose(open, hosts[h]!, h);
    if (!open.includes(slot)) slot = open[0]!;
    out[h] = slot.node;
    slot.assigned += 1;
    slot.remaining -= 1;
    if (slot.remaining <= 0) open = open.filter((s) => s !== slot);
  }
  return out;
}

/**
 * A chooser that fills slots completely in a fixed order decided once, up front, from the
 * snapshot: the first slot of `order` that still has room takes the host ("packing").
 */
export function fillInOrder(compare: (a: Slot, b: Slot) => number): SlotChooser {
  let order: Slot[] | null = null;
  return (candidates) => {
    // Candidates only ever shrink, so the order computed on the first call stays valid.
    order ??= [...candidates].sort(compare);
    for (const s of order) if (s.remaining > 0) return s;
    return candidates[0]!;
  };
}
