import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../contracts/common.ts';
import { NetPulseError } from '../errors.ts';
import { knownHostsFile } from '../state/dir.ts';

/**
 * Known-hosts store shared by the SSH drivers: an OpenSSH-format file (plain `host,host` fields
 * and hashed `|1|salt|hash` fields are both understood; `@cert-authority`/`@revoked` lines are
 * skipped). New hosts are appended in plain form.
 */

/** What to do with a host key the store does not know. A changed key always fails. */
export type HostKeyPolicy = 'auto_add' | 'reject' | 'warning';

/** Default store when connection args name none: `known_hosts` in the state directory (`server.state_dir`). */
export function defaultKnownHostsFile(): string {
  return knownHostsFile();
}

/** The host field OpenSSH writes: `host` on port 22, `[host]:port` otherwise. */
export function hostSpec(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Key type named inside an SSH public key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, …). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  return blob.subarray(4, 4 + blob.readUInt32BE(0)).toString('latin1');
}

/** OpenSSH-style fingerprint of a public key blob: `SHA256:<base64, unpadded>`. */
export function fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** Does a known_hosts host field (plain comma list or OpenSSH `|1|salt|hash`) name `spec`? */
export function hostFieldMatches(field: string, spec: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const want = Buffer.from(hash, 'base64');
    const got = createHmac('sha1', Buffer.from(salt, 'base64')).update(spec).digest();
    return want.length === got.length && timingSafeEqual(want, got);
  }
  return field.split(',').includes(spec);
}

/** One read-check-append at a time per store, so concurrent first connections add a host once. */
const storeLocks = new Map<string, Promise<unknown>>();

function withStoreLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const prev = storeLocks.get(file) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  const tail = next.catch(() => undefined);
  storeLocks.set(file, tail);
  void tail.then(() => {
    if (storeLocks.get(file) === tail) storeLocks.delete(file);
  });
  return next;
}

/**
 * Checks a server key against the store. Resolves null when the key may be used, or the
 * `NP_ERR_DEVICE_CONNECT` error to fail with. A changed key always fails, whatever the policy;
 * an unknown one is added (`auto_add`), refused (`reject`) or accepted with a warning (`warning`).
 * The file is read on every check (under a per-file lock), so entries written by other drivers
 * or by hand are seen. Rejects only when the store cannot be read or written.
 */
export function verifyHostKey(
  file: string,
  host: string,
  port: number,
  blob: Buffer,
  policy: HostKeyPolicy,
  log: Logger,
): Promise<NetPulseError | null> {
  return verifyPinnedKey({
    file,
    host,
    port,
    type: keyTypeOf(blob),
    key: blob.toString('base64'),
    fingerprint: fingerprint(blob),
    what: 'host key',
    policy,
    log,
  });
}

/** One pinned key: an SSH host key, or a TLS certificate digest (type `x509-sha256`). */
export interface PinnedKey {
  file: string;
  host: string;
  port: number;
  /** Key type field (`ssh-ed25519`, `x509-sha256`, …). */
  type: string;
  /** Key field, base64. */
  key: string;
  /** Human fingerprint for messages and logs. */
  fingerprint: string;
  /** Words for messages: "host key", "TLS certificate". */
  what: string;
  policy: HostKeyPolicy;
  log: Logger;
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** How to forget a host, said in every "changed" error. */
function forgetHint(host: string, port: number): string {
  return `netpulse known-hosts forget ${host} --port ${port} (or DELETE /known-host?host=${host}&port=${port})`;
}

/** Trust on first use for any key kind, in the known_hosts format and policy model (see {@link verifyHostKey}). */
export function verifyPinnedKey(k: PinnedKey): Promise<NetPulseError | null> {
  const { file, type, policy, log } = k;
  return withStoreLock(file, async () => {
    const spec = hostSpec(k.host, k.port);
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    let known: string | null = null;
    for (const line of text.split('\n')) {
      const [field, ktype, key] = line.trim().split(/\s+/);
      if (!field || !ktype || !key || field.startsWith('#') || field.startsWith('@')) continue;
      if (ktype !== type || !hostFieldMatches(field, spec)) continue;
      if (key === k.key) return null;
      known = key;
    }
    if (known !== null) {
      const knownFp = type.startsWith('x509-') ? `SHA256:${known}` : fingerprint(Buffer.from(known, 'base64'));
      return new NetPulseError(
        'NP_ERR_DEVICE_CONNECT',
        `${cap(k.what)} verification failed: the ${type} ${k.what} of ${spec} has CHANGED (known ${knownFp}, offered ${k.fingerprint}). ` +
          `This may be a man-in-the-middle attack; if the device was re-keyed, forget the old one: ${forgetHint(k.host, k.port)}.`,
      );
    }
    if (policy === 'reject') {
      return new NetPulseError(
        'NP_ERR_DEVICE_CONNECT',
        `${cap(k.what)} verification failed: ${spec} (${type} ${k.fingerprint}) is not in ${file} and host_key_policy is reject`,
      );
    }
    if (policy === 'warning') {
      log.warn(
        { host: spec, keyType: type, fingerprint: k.fingerprint },
        `unknown ${k.what} accepted (host_key_policy=warning)`,
      );
      return null;
    }
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await appendFile(file, `${spec} ${type} ${k.key}\n`, { mode: 0o600 });
    log.info({ host: spec, keyType: type, fingerprint: k.fingerprint }, `${k.what} pinned (trust on first use)`);
    return null;
  });
}
