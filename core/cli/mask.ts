import { secretKeyPaths } from '../config/schema.ts';
import type { NetPulseConfig } from '../config/types.ts';
import { MASK } from '../log/redact.ts';

/** A copy of the configuration with every secret key (schema `secret: true`) masked when set. */
export function maskConfig(cfg: NetPulseConfig): NetPulseConfig {
  const copy = structuredClone(cfg) as unknown as Record<string, Record<string, unknown>>;
  for (const path of secretKeyPaths()) {
    let cur: Record<string, unknown> = copy;
    for (const p of path.slice(0, -1)) cur = cur[p] as Record<string, unknown>;
    const leaf = path[path.length - 1];
    if (cur[leaf] !== null && cur[leaf] !== undefined && cur[leaf] !== '') cur[leaf] = MASK;
  }
  return copy as unknown as NetPulseConfig;
}
