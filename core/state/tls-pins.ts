import { createHash } from 'node:crypto';
import type { Logger } from '../contracts/common.ts';
import type { NetPulseError } from '../errors.ts';
import { verifyPinnedKey, type HostKeyPolicy } from '../ssh/known-hosts.ts';
import { tlsPinsFile } from './dir.ts';

/**
 * Trust on first use for TLS certificates (eAPI devices mostly have self-signed ones): the SHA-256
 * of a device's certificate is pinned in `tls_known_hosts` of the state directory, in the
 * known_hosts line format and with the SSH host-key policies (`auto_add`, `reject`, `warning`).
 * A changed certificate always fails, naming the host and how to forget it.
 */
export function verifyTlsPin(
  host: string,
  port: number,
  certDer: Buffer,
  policy: HostKeyPolicy,
  log: Logger,
): Promise<NetPulseError | null> {
  const digest = createHash('sha256').update(certDer).digest('base64').replace(/=+$/, '');
  return verifyPinnedKey({
    file: tlsPinsFile(),
    host,
    port,
    type: 'x509-sha256',
    key: digest,
    fingerprint: `SHA256:${digest}`,
    what: 'TLS certificate',
    policy,
    log,
  });
}
