import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { NetPulseError } from '../errors.ts';

const { utils: sshUtils } = ssh2;

/** A private key to offer, already decrypted; `label` names its source (never the key). */
export interface SshKey {
  key: ParsedKey;
  label: string;
}

/**
 * Parses (and decrypts) a private key once, so the KDF of an encrypted key runs once per
 * connection. The error names the problem (bad passphrase, unsupported format, a public key),
 * never the key.
 */
export function parsePrivateKey(key: string | Buffer, passphrase: string | null): ParsedKey | Error {
  const parsed = sshUtils.parseKey(key, passphrase ?? undefined);
  if (parsed instanceof Error) return parsed;
  const one = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!one) return new Error('no key found');
  if (!one.isPrivateKey()) return new Error('not a private key');
  return one;
}

const UNUSABLE = (file: string): string => `${file}: missing, unreadable, not a private key or wrong passphrase`;

/**
 * Reads and checks private key files; the first that parses (with the passphrase) is used.
 * Throws `NP_ERR_DEVICE_AUTH` listing each file's problem when none does.
 */
export async function keyFromFiles(files: string[], passphrase: string | null, who: string): Promise<SshKey> {
  const problems: string[] = [];
  for (const file of files) {
    let text: Buffer;
    try {
      text = await readFile(file);
    } catch {
      problems.push(UNUSABLE(file));
      continue;
    }
    const parsed = parsePrivateKey(text, passphrase);
    if (parsed instanceof Error) {
      // One message for missing, unreadable and unparsable files: errors must not tell a client
      // which paths exist on the worker.
      problems.push(UNUSABLE(file));
      continue;
    }
    return { key: parsed, label: file };
  }
  throw new NetPulseError('NP_ERR_DEVICE_AUTH', `Cannot use the private key file for ${who}: ${problems.join('; ')}`);
}

/** The worker user's default identities (`~/.ssh/id_ed25519|id_ecdsa|id_rsa`) that parse. */
export async function discoverKeys(passphrase: string | null): Promise<SshKey[]> {
  const found: SshKey[] = [];
  for (const name of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
    const file = path.join(os.homedir(), '.ssh', name);
    try {
      const parsed = parsePrivateKey(await readFile(file), passphrase);
      if (!(parsed instanceof Error)) found.push({ key: parsed, label: file });
    } catch {
      // Absent or unreadable: nothing to offer.
    }
  }
  return found;
}
