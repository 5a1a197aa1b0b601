import { readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError } from './exit.ts';

/** Where profiles live: `$XDG_CONFIG_HOME/netpulse/config.yaml`, else `~/.config/netpulse/config.yaml`. */
export function profileFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'netpulse', 'config.yaml');
}

export interface ServerTarget {
  url: string;
  apiKey: string;
  /** Header name of the key (`api_key_name` of a profile; default X-API-KEY). */
  apiKeyHeader: string;
  /** Which profile supplied values, if any. */
  profile: string | null;
}

interface ProfileFile {
  default_profile?: string;
  profiles?: Record<string, { url?: string; api_key?: string; api_key_name?: string }>;
}

export const DEFAULT_URL = 'http://127.0.0.1:9000';

/**
 * The server to talk to: flags win over environment (`NETPULSE_URL`, `NETPULSE_API_KEY`,
 * `NETPULSE_PROFILE`), which wins over the profile (`--profile`, else `default_profile`).
 */
export function resolveTarget(
  flags: { url?: string; apiKey?: string; profile?: string },
  env: NodeJS.ProcessEnv = process.env,
): ServerTarget {
  const file = profileFile(env);
  let doc: ProfileFile = {};
  if (existsSync(file)) {
    try {
      doc = (parseYaml(readFileSync(file, 'utf8')) ?? {}) as ProfileFile;
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const name = flags.profile ?? env.NETPULSE_PROFILE ?? doc.default_profile ?? null;
  const p = name ? doc.profiles?.[name] : undefined;
  if (name && !p && (flags.profile || env.NETPULSE_PROFILE))
    throw new UsageError(`profile "${name}" not found in ${file}`);
  const url = flags.url ?? env.NETPULSE_URL ?? p?.url ?? DEFAULT_URL;
  const apiKey = flags.apiKey ?? env.NETPULSE_API_KEY ?? p?.api_key;
  if (!apiKey) {
    throw new UsageError(`no API key: pass --api-key, set NETPULSE_API_KEY, or add api_key to a profile in ${file}`);
  }
  if (!/^https?:\/\//i.test(url))
    throw new UsageError(`--url must start with http:// or https:// (got ${url.slice(0, 100)})`);
  return { url, apiKey, apiKeyHeader: p?.api_key_name ?? 'X-API-KEY', profile: p ? name : null };
}
