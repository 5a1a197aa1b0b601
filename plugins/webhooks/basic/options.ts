/**
 * Settings of the `basic` webhook, read once from the `webhook` section of the configuration.
 *
 * | key | default | meaning |
 * |---|---|---|
 * | `webhook.retries` | 3 | extra attempts after the first (0–10) on network errors, timeouts, 5xx and 429 |
 * | `webhook.backoff_ms` | 500 | delay before the first retry; doubles on each further retry |
 * | `webhook.max_delay_ms` | 30000 | cap of any single delay, including one asked for by `Retry-After` |
 * | `webhook.allow_hosts` | [] | hostnames, `*.suffix` wildcards, IPs or CIDRs a webhook may target; empty allows all |
 */
import { npError } from '../../../core/errors.ts';
import { parseAllowList, type AllowList } from './target.ts';

export interface BasicWebhookOptions {
  retries: number;
  backoffMs: number;
  maxDelayMs: number;
  allow: AllowList;
}

export const DEFAULTS = { retries: 3, backoffMs: 500, maxDelayMs: 30_000 } as const;

function integer(value: unknown, key: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw npError('NP_ERR_CONFIG', `webhook.${key} must be an integer from ${min} to ${max}`);
  }
  return n;
}

/** Validates the `webhook` config section; a bad value stops start-up rather than every delivery. */
// biome-ignore lint/suspicious/noExplicitAny: the plugin context's config is open-ended (see PluginContext)
export function readOptions(config: Readonly<Record<string, any>>): BasicWebhookOptions {
  const section: Record<string, unknown> = config?.webhook && typeof config.webhook === 'object' ? config.webhook : {};
  return {
    retries: integer(section.retries, 'retries', DEFAULTS.retries, 0, 10),
    backoffMs: integer(section.backoff_ms, 'backoff_ms', DEFAULTS.backoffMs, 0, 600_000),
    maxDelayMs: integer(section.max_delay_ms, 'max_delay_ms', DEFAULTS.maxDelayMs, 0, 600_000),
    allow: parseAllowList(section.allow_hosts),
  };
}
