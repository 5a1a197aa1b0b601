/**
 * Every Redis key NetPulse uses, in one place. Lua scripts get these names (or their prefixes)
 * written into their text (scripts.ts), so no other file spells a key. `host_to_node_map` and `node_info_map` keep the
 * reference names (config `redis.key.*`).
 */
export interface RedisKeys {
  /** Hash: pinned host → owning node (reference name). */
  hostToNode: string;
  /** Hash: node → NodeInfo JSON `{hostname,count,capacity,queue,…}` (reference name). */
  nodeInfo: string;
  /** Sorted set: every live job id by creation time (listing index). */
  jobIndex: string;
  /** Sorted set: queued job id by queue-wait deadline (ttl expiry sweep). */
  deadlines: string;
  /** Set: hosts whose queue may hold jobs (orphan scan after a node dies). */
  hostQueues: string;
  /** Stream: job status changes `{t: type, r: record JSON}`, trimmed to the newest EVENT_WINDOW. */
  events: string;
  /** String with a TTL: someone read the events stream within EVENT_IDLE_MS (scripts append only then). */
  eventsRead: string;
  /** Hash per bulk request: `total`, `created_at` and a count per job status but `queued` (the rest of `total`). */
  batch(id: string): string;
  /** List per bulk request: its job ids in submission order. */
  batchJobs(id: string): string;
  /** Hash: cluster-wide self-healing and delivery counters (name → count). */
  counters: string;
  /** Hash: webhook delivery id → delivery record JSON. */
  deliveries: string;
  /** Sorted set per delivery status (`delivered`, `failed`): delivery id by last update time. */
  deliveryIndex(status: string): string;
  /** Hash per job: `rec` (record JSON), `meta`, `result` (raw JSON). */
  job(id: string): string;
  /** String per job: the request with credentials; deleted when the job starts. */
  request(id: string): string;
  /** List of job ids per queue (`FifoQ`, `HostQ_<host>`). */
  queue(name: string): string;
  /** String with a TTL: the node is alive while it exists. */
  nodeAlive(node: string): string;
  /** Set: hosts a node owns (exact pinned count = SCARD). */
  nodeHosts(node: string): string;
  /** List: host notifications and control messages for a node. */
  nodeInbox(node: string): string;
  /** Set: job ids running on a node (failed as worker-lost if it dies). */
  nodeRunning(node: string): string;
  /** String: the node's full record (workers, pid, …) for GET /worker. */
  nodeRecord(node: string): string;
  /** Prefixes handed to Lua scripts, which build per-id keys themselves. */
  prefixes: {
    job: string;
    request: string;
    queue: string;
    nodeAlive: string;
    nodeHosts: string;
    nodeInbox: string;
    nodeRunning: string;
    nodeRecord: string;
    batch: string;
    batchJobs: string;
  };
}

export function redisKeys(prefix: string, hostToNode: string, nodeInfo: string): RedisKeys {
  const p = (s: string) => `${prefix}:${s}`;
  const prefixes = {
    job: p('job:'),
    request: p('req:'),
    queue: p('q:'),
    nodeAlive: p('node:alive:'),
    nodeHosts: p('node:hosts:'),
    nodeInbox: p('node:inbox:'),
    nodeRunning: p('node:running:'),
    nodeRecord: p('node:record:'),
    batch: p('batch:'),
    batchJobs: p('batch-jobs:'),
  };
  return {
    hostToNode,
    nodeInfo,
    jobIndex: p('jobs'),
    deadlines: p('deadlines'),
    hostQueues: p('hostqs'),
    events: p('events'),
    eventsRead: p('events:read'),
    batch: (id) => prefixes.batch + id,
    batchJobs: (id) => prefixes.batchJobs + id,
    counters: p('counters'),
    deliveries: p('wh:deliveries'),
    deliveryIndex: (status) => p(`wh:idx:${status}`),
    job: (id) => prefixes.job + id,
    request: (id) => prefixes.request + id,
    queue: (name) => prefixes.queue + name,
    nodeAlive: (n) => prefixes.nodeAlive + n,
    nodeHosts: (n) => prefixes.nodeHosts + n,
    nodeInbox: (n) => prefixes.nodeInbox + n,
    nodeRunning: (n) => prefixes.nodeRunning + n,
    nodeRecord: (n) => prefixes.nodeRecord + n,
    prefixes,
  };
}
