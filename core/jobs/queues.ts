/** Queue and worker names in the reference shapes (`FifoQ`, `NodeQ_<node>`, `HostQ_<host>`: clients filter by them). */
export const FIFO_QUEUE = 'FifoQ';
export const hostQueue = (host: string): string => `HostQ_${host}`;
export const nodeQueue = (node: string): string => `NodeQ_${node}`;
export const fifoWorkerName = (node: string): string => `${node}_FifoQ`;
export const pinnedWorkerName = (node: string, host: string): string => `${node}_HostQ_${host}`;

export function hostOfQueue(queue: string): string | null {
  return queue.startsWith('HostQ_') ? queue.slice('HostQ_'.length) : null;
}
export function nodeOfQueue(queue: string): string | null {
  return queue.startsWith('NodeQ_') ? queue.slice('NodeQ_'.length) : null;
}
