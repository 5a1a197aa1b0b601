/**
 * Scheduler contracts.
 *
 * - {@link NodeSelector}: chooses the worker node that will own a pinned host. Pure: it gets a
 *   snapshot and returns a choice, no I/O. Selectors must never return a node without remaining
 *   capacity, and in batch mode must place every host while capacity exists.
 * - Dispatch strategies (`fifo`, `pinned`) are built into the job engine and named by
 *   `queue_strategy`; they are not pluggable beyond the two names because clients send them.
 *
 * DI token: {@link NODE_SELECTOR}. Plugin kind: `scheduler`.
 */
export interface NodeInfo {
  /** Node name (config `worker.name` or the hostname). */
  hostname: string;
  /** Pinned hosts this node currently holds. */
  count: number;
  /** Maximum pinned hosts (config `worker.pinned_per_node`). */
  capacity: number;
  /** The node's own queue name, `NodeQ_<hostname>`. */
  queue: string;
}

export interface NodeSelector {
  readonly name: string;
  /**
   * Chooses a node for one host. Returns null when no node has capacity
   * (the engine answers 503).
   */
  select(nodes: readonly NodeInfo[], host: string): NodeInfo | null;
  /**
   * Chooses nodes for many hosts at once. Returns one entry per host, in order; null only for
   * hosts that could not be placed because capacity ran out.
   */
  selectBatch(nodes: readonly NodeInfo[], hosts: readonly string[]): (NodeInfo | null)[];
}

export const NODE_SELECTOR = Symbol.for('netpulse.NodeSelector');
