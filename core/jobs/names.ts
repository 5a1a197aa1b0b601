/**
 * The one home of queue and worker names (the reference shapes `FifoQ`, `HostQ_<host>`,
 * `NodeQ_<node>`, `<node>_FifoQ`, `<node>_HostQ_<host>`). Core, both brokers and the Redis Lua
 * scripts (which receive {@link FIFO_QUEUE} and {@link HOST_QUEUE_PREFIX} as arguments) use these.
 */
export const FIFO_QUEUE = 'FifoQ';
export const HOST_QUEUE_PREFIX = 'HostQ_';
export const NODE_QUEUE_PREFIX = 'NodeQ_';

export const hostQueue = (host: string): string => `${HOST_QUEUE_PREFIX}${host}`;
export const nodeQueue = (node: string): string => `${NODE_QUEUE_PREFIX}${node}`;
export const fifoWorkerName = (node: string): string => `${node}_${FIFO_QUEUE}`;
export const pinnedWorkerName = (node: string, host: string): string => `${node}_${hostQueue(host)}`;

/** The host of a `HostQ_<host>` queue, or null for any other queue. */
export function hostOfQueue(queue: string): string | null {
  return queue.startsWith(HOST_QUEUE_PREFIX) ? queue.slice(HOST_QUEUE_PREFIX.length) : null;
}
