import { bindTag, checkBindTag, type Keyring, open, openText, seal, sealedHead } from '../security/sealed.ts';
import type { JobRequest } from './request.ts';

/**
 * One seal per bulk request instead of one per job.
 *
 * The jobs of a bulk request differ only in their device's connection arguments, and sealing a
 * stored request costs about 10 µs on the controller and as much again to open on the node, almost
 * all of it AES-GCM setup rather than bytes. So the first request of a batch is sealed once and
 * every job whose request differs from it only in `connection_args` stores that same sealed text
 * plus a patch: the connection arguments that differ, as JSON text. A patch that names only
 * {@link CLEAR_KEYS} (already visible in job records and queue names) stays clear; any other key
 * (a per-device username, password, key file…) makes the patch sealed too. Either way an HMAC tag
 * binds the patch to the shared text under the secret key, so whoever can write to the broker but
 * lacks the key can neither redirect the shared credentials to another host nor move a patch to
 * another batch. A job that differs in anything else, or lacks a connection argument the first one
 * has, is sealed whole.
 *
 * Stored forms: `{$sealed}` (whole) and `{$sealed, $patch, $tag}` (shared text, patch, binding).
 * The node keeps the opened shared texts of its last {@link OPENED_MAX} batches, at most
 * {@link OPENED_MAX_CHARS} characters in all, so it opens each batch once rather than once per job.
 */
export const CLEAR_KEYS: ReadonlySet<string> = new Set(['host', 'port', 'device_type']);

export const OPENED_MAX = 64;
/** A request body is at most `server.body_limit` (1 MiB by default): a few of the largest fit. */
export const OPENED_MAX_CHARS = 8 * 1024 * 1024;

type Stored = Record<string, unknown>;

/** The stored forms of `reqs` (one batch), made by `whole` for a request sealed on its own. */
export function sealBatch(reqs: JobRequest[], ring: Keyring, whole: (r: JobRequest) => Stored): Stored[] {
  if (reqs.length < 2) return reqs.map(whole);
  const first = reqs[0]!;
  const shared = whole(first) as { $sealed: string };
  const sameOtherwise = sameButConnection(first);
  return reqs.map((r, i) => {
    if (i === 0) return shared;
    const patch = sameOtherwise(r) ? connectionPatch(first.connection_args, r.connection_args) : null;
    if (!patch) return whole(r);
    const clear = Object.keys(patch).every((k) => CLEAR_KEYS.has(k));
    const text = clear ? JSON.stringify(patch) : (seal(patch, ring).$sealed as string);
    return { $sealed: shared.$sealed, $patch: text, $tag: bindTag(shared, text, ring) };
  });
}

/** Is this stored form a shared text with a patch? */
export function isPatched(stored: Stored): boolean {
  return typeof stored.$patch === 'string';
}

/**
 * Opens a patched stored form: checks the binding tag, opens the shared text (cached per keyring)
 * and the patch (when sealed), and applies the patch to the request's connection arguments.
 */
export function openPatched(stored: Stored, ring: Keyring): Stored {
  const sealed = { $sealed: String(stored.$sealed) };
  const text = stored.$patch as string;
  checkBindTag(sealed, text, stored.$tag, ring);
  const out = JSON.parse(openedShared(sealed.$sealed, ring)) as { request?: { connection_args?: unknown } };
  const patch = text.startsWith('{') ? (JSON.parse(text) as Stored) : open({ $sealed: text }, ring);
  const req = out.request as Partial<JobRequest> | undefined;
  const conn = req?.connection_args;
  if (req && conn && typeof conn === 'object') {
    for (const [k, v] of Object.entries(patch)) {
      if (k === '__proto__') continue;
      (conn as Stored)[k] = v;
    }
    if (typeof patch.host === 'string') req.host = patch.host;
  }
  return out as Stored;
}

/**
 * Opened shared texts by sealed head (sealedHead), per keyring (a text counts as opened only under
 * the ring that opened it), oldest first, with their total length.
 */
const opened = new WeakMap<Keyring, { texts: Map<string, string>; chars: number }>();

function openedShared(text: string, ring: Keyring): string {
  let cache = opened.get(ring);
  if (!cache) {
    cache = { texts: new Map(), chars: 0 };
    opened.set(ring, cache);
  }
  const head = sealedHead(text);
  let plain = cache.texts.get(head);
  if (plain === undefined) {
    plain = openText(text, ring);
    cache.texts.set(head, plain);
    cache.chars += plain.length;
    for (const [oldest, t] of cache.texts) {
      if (cache.texts.size <= OPENED_MAX && cache.chars <= OPENED_MAX_CHARS) break;
      cache.texts.delete(oldest);
      cache.chars -= t.length;
    }
  }
  return plain;
}

/** How many shared texts, and characters, a keyring's cache holds (for tests of its bounds). */
export function openedSharedSize(ring: Keyring): { texts: number; chars: number } {
  const cache = opened.get(ring);
  return { texts: cache?.texts.size ?? 0, chars: cache?.chars ?? 0 };
}

/** A test for "equal to `first` except host and connection_args", with `first`'s JSON made once per field. */
function sameButConnection(first: JobRequest): (r: JobRequest) => boolean {
  const a = first as unknown as Stored;
  const keys = Object.keys(a).filter((k) => k !== 'host' && k !== 'connection_args');
  const json = new Map<string, string>();
  const firstJson = (k: string) => {
    let t = json.get(k);
    if (t === undefined) {
      t = JSON.stringify(a[k]);
      json.set(k, t);
    }
    return t;
  };
  return (r) => {
    const b = r as unknown as Stored;
    if (Object.keys(b).length !== keys.length + 2) return false;
    for (const k of keys) {
      const x = a[k];
      const y = b[k];
      if (x === y) continue;
      if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
      if (JSON.stringify(y) !== firstJson(k)) return false;
    }
    return true;
  };
}

/** The connection arguments of `b` that differ from `a`; null when `b` lacks one of `a`'s. */
function connectionPatch(a: Stored, b: Stored): Stored | null {
  for (const k in a) if (!(k in b)) return null;
  const patch: Stored = {};
  for (const k in b) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (typeof y === 'object' && y !== null && JSON.stringify(x) === JSON.stringify(y)) continue;
    patch[k] = y;
  }
  return patch;
}
