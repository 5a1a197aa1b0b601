import type { NodeInfo } from '../../../../core/contracts/scheduler.ts';

/** Builds a snapshot from `[hostname, count, capacity]` triples. */
export function snapshot(...rows: [string, number, number][]): NodeInfo[] {
  return rows.map(([hostname, count, capacity]) => ({ hostname, count, capacity, queue: `NodeQ_${hostname}` }));
}

/** Hostnames of a batch result (null stays null), for readable assertions. */
export function names(out: readonly (NodeInfo | null)[]): (string | null)[] {
  return out.map((n) => n?.hostname ?? null);
}

export function hosts(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `10.0.0.${i + 1}`);
}

/** An RNG that replays `values` in a loop. */
export function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}
