import type { Broker } from '../contracts/broker.ts';

/** What readiness needs to know about this process. */
export interface ProbeTarget {
  broker: Broker;
  /** True when this process's worker node takes work (absent: no node in this process). */
  nodeReady?: () => boolean;
  /** A process serving the API can only place jobs when some node is alive. */
  needsLiveNode: boolean;
}

const PROBE_TIMEOUT_MS = 1500;

/**
 * `/readyz`: the broker answers and this role can serve (an API process sees at least one live
 * node; a node is started and not draining). Bounded by a 1.5 s timeout so a hung broker makes the
 * probe fail, not hang.
 */
export async function isReady(t: ProbeTarget): Promise<boolean> {
  const check = async () => {
    if (!(await t.broker.ping())) return false;
    if (t.nodeReady && !t.nodeReady()) return false;
    if (t.needsLiveNode && !(await t.broker.listNodes()).some((n) => n.alive)) return false;
    return true;
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => {
    timer = setTimeout(() => r(false), PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
