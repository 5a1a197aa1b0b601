import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { NetPulseError } from '../errors.ts';

/**
 * Sealing of the stored job request (the part that carries credentials) with AES-256-GCM.
 *
 * The request travels through the broker from the controller to a worker node; with Redis that
 * means its keys, its AOF and its RDB. Sealed, it is `{"$sealed": "v1.<key id>.<iv>.<tag>.<data>"}`
 * (base64url parts): nothing a password could be read from. The key comes from
 * `server.secret_key`; `server.secret_key_previous` only opens requests sealed before a rotation.
 */
export interface SecretKey {
  /** Short public id (first 8 hex digits of SHA-256 of the key) naming the key in sealed text. */
  id: string;
  key: Buffer;
}

export interface Keyring {
  current: SecretKey;
  previous: SecretKey | null;
}

const VERSION = 'v1';
const AAD = Buffer.from('netpulse/job-request/v1');
const SEALED = '$sealed';

/** Parses a configured key: 64 hex digits or base64/base64url of exactly 32 bytes. */
export function parseSecretKey(text: string, name = 'server.secret_key'): SecretKey {
  const t = text.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43,44}={0,2}$/.test(t)) {
    const b = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (b.length === 32) key = b;
  }
  if (!key) {
    throw new NetPulseError(
      'NP_ERR_CONFIG',
      `Invalid configuration: ${name} must be 32 bytes as 64 hex digits or base64 (e.g. \`openssl rand -hex 32\`)`,
    );
  }
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
}

export function keyringFrom(secretKey: string, previous: string | null | undefined): Keyring {
  return {
    current: parseSecretKey(secretKey),
    previous: previous ? parseSecretKey(previous, 'server.secret_key_previous') : null,
  };
}

/** A fresh random key in the configured form (hex). */
export function generateSecretKey(): string {
  return randomBytes(32).toString('hex');
}

export function isSealed(value: unknown): value is { $sealed: string } {
  return !!value && typeof value === 'object' && typeof (value as Record<string, unknown>)[SEALED] === 'string';
}

/** Key objects made once per key: a raw Buffer key is imported again by every cipher. */
const keyObjects = new WeakMap<Buffer, KeyObject>();
function keyObject(key: Buffer): KeyObject {
  let k = keyObjects.get(key);
  if (!k) {
    k = createSecretKey(key);
    keyObjects.set(key, k);
  }
  return k;
}

/**
 * Fresh random 96-bit IVs, drawn from the CSPRNG 256 at a time (one system call instead of one per
 * job); each is handed out once.
 */
const IV_BYTES = 12;
let ivPool = Buffer.alloc(0);
let ivNext = 0;
function freshIv(): Buffer {
  if (ivNext + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_BYTES * 256);
    ivNext = 0;
  }
  const iv = ivPool.subarray(ivNext, ivNext + IV_BYTES);
  ivNext += IV_BYTES;
  return iv;
}

/** Seals a JSON-serialisable object. */
export function seal(value: Record<string, unknown>, ring: Keyring): Record<string, unknown> {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', keyObject(ring.current.key), iv);
  cipher.setAAD(AAD);
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const parts = [
    VERSION,
    ring.current.id,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    data.toString('base64url'),
  ];
  return { [SEALED]: parts.join('.') };
}

/**
 * Opens what {@link seal} produced, with the current or the previous key. A value that is not
 * sealed (queued by a version that did not seal) is returned as it is.
 */
export function open(value: Record<string, unknown>, ring: Keyring): Record<string, unknown> {
  if (!isSealed(value)) return value;
  return JSON.parse(openText(value[SEALED], ring)) as Record<string, unknown>;
}

/** The key a sealed text names: the current or the previous one, else a configuration error. */
function sealingKey(text: string, ring: Keyring): SecretKey {
  const id = text.split('.', 2)[1] ?? '';
  const key = [ring.current, ring.previous].find((k) => k?.id === id);
  if (!key) {
    throw new NetPulseError(
      'NP_ERR_CONFIG',
      `Job request was sealed with key ${id}, which is neither server.secret_key nor server.secret_key_previous`,
    );
  }
  return key;
}

/** The JSON text inside a sealed text (`v1.<key id>.<iv>.<tag>.<data>`), authenticated. */
export function openText(text: string, ring: Keyring): string {
  const parts = text.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION)
    throw new NetPulseError('NP_ERR_INTERNAL', 'Sealed job request has an unknown format');
  const [, , iv, tag, data] = parts as [string, string, string, string, string];
  const key = sealingKey(text, ring);
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyObject(key.key), Buffer.from(iv, 'base64url'));
    decipher.setAAD(AAD);
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw tampered();
  }
}

const tampered = () =>
  new NetPulseError('NP_ERR_INTERNAL', 'Sealed job request failed authentication (tampered or wrong key)');

/**
 * HMAC keys for {@link bindTag}, derived from each secret key (never the cipher key itself), made
 * once per key.
 */
const bindingKeys = new WeakMap<Buffer, KeyObject>();
function bindingKey(key: Buffer): KeyObject {
  let k = bindingKeys.get(key);
  if (!k) {
    k = createSecretKey(createHmac('sha256', key).update('netpulse/binding/v1').digest());
    bindingKeys.set(key, k);
  }
  return k;
}

/**
 * The part of a sealed text that names it: version, key id, IV and GCM tag (`v1.<id>.<iv>.<tag>`).
 * The tag authenticates the data under the key, so without the key no other data has this head;
 * hashing the head instead of the whole text keeps binding and caching independent of its size.
 */
export function sealedHead(text: string): string {
  return text.split('.', 4).join('.');
}

/**
 * An HMAC-SHA256 tag (base64url) binding clear `text` to a sealed value, under the key that sealed
 * it: whoever can write to the broker but lacks the key can neither change `text` nor move it to
 * another sealed value.
 */
export function bindTag(sealed: { $sealed: string }, text: string, ring: Keyring): string {
  const key = sealingKey(sealed[SEALED], ring);
  return createHmac('sha256', bindingKey(key.key))
    .update(sealedHead(sealed[SEALED]))
    .update('\n')
    .update(text)
    .digest('base64url');
}

/** Checks a {@link bindTag} tag in constant time; a bad one is the tampering error. */
export function checkBindTag(sealed: { $sealed: string }, text: string, tag: unknown, ring: Keyring): void {
  const want = Buffer.from(bindTag(sealed, text, ring), 'base64url');
  const got = typeof tag === 'string' ? Buffer.from(tag, 'base64url') : Buffer.alloc(0);
  if (got.length !== want.length || !timingSafeEqual(got, want)) throw tampered();
}
