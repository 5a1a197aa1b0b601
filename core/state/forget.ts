import { readFile, rename, writeFile } from 'node:fs/promises';
import { hostFieldMatches, hostSpec } from '../ssh/known-hosts.ts';
import { knownHostsFile, tlsPinsFile } from './dir.ts';

/** Broker control message asking every node to forget a host: `forget-host:{"host":…,"port":…}`. */
export const FORGET_HOST = 'forget-host:';

/**
 * Forgets every key of `host` (on `port`, or on any port when omitted) in the SSH and TLS stores.
 * Hashed entries are matched for the given port (or 22/443 when none is given). Returns the
 * number of lines removed per store.
 */
export async function forgetHost(
  host: string,
  port?: number,
): Promise<{ known_hosts: number; tls_known_hosts: number }> {
  const specs = port === undefined ? [hostSpec(host, 22), hostSpec(host, 443)] : [hostSpec(host, port)];
  const anyPort = port === undefined ? new RegExp(`^\\[${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\]:\\d+$`) : null;
  const matches = (field: string) =>
    specs.some((s) => hostFieldMatches(field, s)) ||
    (anyPort !== null && !field.startsWith('|') && field.split(',').some((f) => anyPort.test(f)));
  return {
    known_hosts: await removeLines(knownHostsFile(), matches),
    tls_known_hosts: await removeLines(tlsPinsFile(), matches),
  };
}

async function removeLines(file: string, matches: (field: string) => boolean): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  const lines = text.split('\n');
  const kept = lines.filter((line) => {
    const field = line.trim().split(/\s+/)[0];
    return !field || field.startsWith('#') || field.startsWith('@') || !matches(field);
  });
  const removed = lines.length - kept.length;
  if (removed) {
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, kept.join('\n'), { mode: 0o600 });
    await rename(tmp, file);
  }
  return removed;
}
