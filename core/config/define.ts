import type { NetPulseConfigInput } from './types.ts';

/**
 * Typed helper for `netpulse.config.ts`. Only the keys you set override the defaults in
 * `core/config/schema.ts`; a YAML file (`NETPULSE_CONFIG_FILE`), `.env` and `NETPULSE_*` env
 * variables override it in turn.
 */
export function defineConfig(config: NetPulseConfigInput): NetPulseConfigInput {
  return config;
}
