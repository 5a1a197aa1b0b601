import os from 'node:os';
import path from 'node:path';
import { NetPulseError, type ValidationItem } from '../errors.ts';

/**
 * NetPulse's per-user state directory (`server.state_dir`): SSH host keys (`known_hosts`) and pinned
 * eAPI TLS certificates (`tls_known_hosts`). It replaces one machine-wide file under the temp dir,
 * which every NetPulse process on a box shared (a re-keyed simulator broke every later job) and
 * which any request could point elsewhere. A request's `known_hosts_file` must lie inside it.
 *
 * The directory is process-wide: bootstrap sets it from the configuration before drivers run.
 */

let configured: string | null = null;

/** Default: `$XDG_STATE_HOME/netpulse`, else `~/.local/state/netpulse`. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_STATE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.local', 'state'), 'netpulse');
}

/** Sets the state directory from `server.state_dir` (null = the default). */
export function setStateDir(dir: string | null): void {
  configured = dir ? path.resolve(dir) : null;
}

export function stateDir(): string {
  return configured ?? defaultStateDir();
}

/** The SSH known-hosts store. */
export function knownHostsFile(): string {
  return path.join(stateDir(), 'known_hosts');
}

/** The store of pinned TLS certificates (same line format as known_hosts, key type `x509-sha256`). */
export function tlsPinsFile(): string {
  return path.join(stateDir(), 'tls_known_hosts');
}

/**
 * Resolves a request's `known_hosts_file`: relative paths are taken inside the state directory;
 * the result must lie inside it. Returns null when the path escapes (the caller answers 400).
 */
export function resolveStatePath(requested: string): string | null {
  const root = stateDir();
  const full = path.resolve(root, requested);
  const rel = path.relative(root, full);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return full;
}

/** connection_args keys naming a host-key store. */
const STORE_KEYS = ['known_hosts_file', 'alt_key_file'] as const;

/**
 * The store a request names (inside the state directory), or the default one. Throws a coded 400
 * when it escapes (accept checks first; this guards direct driver use, e.g. by another plugin).
 */
export function storeFile(requested: string | null): string {
  if (!requested) return knownHostsFile();
  const full = resolveStatePath(requested);
  if (!full) {
    // Message and item both say what is wrong: inside a job only the message reaches the result.
    const msg = `Must name a file inside the state directory (server.state_dir: ${stateDir()})`;
    throw new NetPulseError('NP_ERR_VALIDATION', `connection_args.known_hosts_file: ${msg}`, {
      data: [{ loc: ['connection_args', 'known_hosts_file'], msg }],
    });
  }
  return full;
}

/**
 * 400 items for store paths outside the state directory (checked before anything is queued), in
 * `connection_args` and in a NAPALM-style `optional_args` inside it (passed on to the SSH session).
 */
export function storePathProblems(args: Record<string, unknown>, loc: (string | number)[]): ValidationItem[] {
  const items: ValidationItem[] = [];
  const nested = args.optional_args;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
    items.push(...storePathProblems(nested as Record<string, unknown>, [...loc, 'optional_args']));
  }
  for (const key of STORE_KEYS) {
    const v = args[key];
    if (typeof v !== 'string' || v === '') continue;
    if (key === 'alt_key_file' && args.alt_host_keys !== true) continue;
    if (!resolveStatePath(v))
      items.push({
        loc: [...loc, key],
        msg: `Must name a file inside the state directory (server.state_dir: ${stateDir()})`,
      });
  }
  return items;
}
