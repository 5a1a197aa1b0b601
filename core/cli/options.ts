import { Option, type Command } from 'commander';
import type { JsonSchema } from '../contracts/common.ts';
import { CONFIG_SCHEMA } from '../config/schema.ts';
import type { NetPulseConfigInput } from '../config/types.ts';

/**
 * Command-line flags for configuration keys, generated from the configuration schema: each flag
 * shows the key's description, its default and the environment variable that sets the same key
 * (commander's `(env: …)`), so `netpulse serve --help` documents how to configure a deployment.
 * Only flags given on the command line become overrides; env and files are read by the loader.
 */

/** Keys offered as flags, by command. */
const SERVER_KEYS = [
  'server.host',
  'server.port',
  'server.api_key',
  'server.state_dir',
  'server.strict_requests',
  'log.level',
];
const WORKER_KEYS = ['worker.name', 'worker.pinned_per_node', 'worker.fifo_concurrency', 'worker.scheduler'];
const REDIS_KEYS = ['redis.host', 'redis.port', 'redis.password'];

export const FLAG_KEYS: Record<string, string[]> = {
  serve: [...SERVER_KEYS, 'broker.name', ...WORKER_KEYS, ...REDIS_KEYS],
  controller: [...SERVER_KEYS, 'worker.scheduler', ...REDIS_KEYS],
  worker: ['server.state_dir', 'log.level', ...WORKER_KEYS, 'worker.metrics_port', ...REDIS_KEYS],
};

/** `server.api_key` → `NETPULSE_SERVER__API_KEY`. */
export const envName = (key: string): string => `NETPULSE_${key.split('.').join('__').toUpperCase()}`;
/** `server.api_key` → `--api-key` for server keys, `--redis-host` for others. */
const flagName = (key: string): string => {
  const [section, name] = key.split('.');
  const bare = section === 'server' || (section === 'worker' && name !== 'name') || section === 'broker';
  return `--${(bare ? (section === 'broker' ? 'broker' : name) : `${section}-${name}`).replace(/_/g, '-')}`;
};

function schemaOf(key: string): JsonSchema {
  let s: JsonSchema = CONFIG_SCHEMA;
  for (const part of key.split('.')) s = (s as { properties: Record<string, JsonSchema> }).properties?.[part];
  if (!s) throw new Error(`unknown configuration key ${key}`);
  return s;
}

/** Adds one flag per key of `command` plus `--config FILE`. */
export function addConfigFlags(cmd: Command, command: string): Command {
  cmd.addOption(new Option('--config <file>', 'YAML configuration file').env('NETPULSE_CONFIG_FILE'));
  for (const key of FLAG_KEYS[command] ?? []) {
    const s = schemaOf(key) as { type: string | string[]; description?: string; default?: unknown; secret?: boolean };
    const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
    const arg = type === 'boolean' ? '[bool]' : type === 'integer' || type === 'number' ? '<n>' : '<value>';
    const def =
      s.default !== null && s.default !== undefined && !s.secret ? ` Default ${JSON.stringify(s.default)}.` : '';
    cmd.addOption(new Option(`${flagName(key)} ${arg}`, `${s.description ?? key}${def} [${key}]`).env(envName(key)));
  }
  return cmd;
}

/** The flags given on the command line as configuration overrides (env-sourced values are left to the loader). */
export function flagOverrides(cmd: Command, command: string): NetPulseConfigInput {
  const out: Record<string, Record<string, unknown>> = {};
  const opts = cmd.opts<Record<string, unknown>>();
  for (const key of FLAG_KEYS[command] ?? []) {
    const attr = flagName(key)
      .slice(2)
      .replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (cmd.getOptionValueSource(attr) !== 'cli') continue;
    const [section, name] = key.split('.');
    const s = schemaOf(key) as { type: string | string[] };
    const types = Array.isArray(s.type) ? s.type : [s.type];
    let v: unknown = opts[attr];
    if (types.includes('boolean')) v = v === true || v === 'true' || v === '1' || v === 'yes';
    else if (types.includes('integer') || types.includes('number')) v = Number(v);
    out[section] ??= {};
    out[section][name] = v;
  }
  return out as NetPulseConfigInput;
}

/** `--config FILE` given on the command line, for the loader's NETPULSE_CONFIG_FILE. */
export function configFileFlag(cmd: Command): string | undefined {
  return cmd.getOptionValueSource('config') === 'cli'
    ? (cmd.opts<{ config?: string }>().config ?? undefined)
    : undefined;
}
