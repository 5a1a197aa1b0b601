import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks signatures (the scheme of standardwebhooks.com, verified by its libraries):
 * headers `webhook-id` (the event id, identical on every retry and replay, so receivers can drop
 * duplicates), `webhook-timestamp` (Unix seconds of this attempt) and `webhook-signature`:
 * `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, one per secret, space-separated, so a
 * receiver that knows either the current or the previous secret accepts the event while secrets
 * are rotated.
 */
export const SECRET_PREFIX = 'whsec_';
/** `whsec_` then base64 of 24 to 64 random bytes. */
export const SECRET_PATTERN = '^whsec_[A-Za-z0-9+/]{32,88}={0,2}$';
const SECRET_RE = new RegExp(SECRET_PATTERN);

export function isSigningSecret(s: unknown): s is string {
  return typeof s === 'string' && SECRET_RE.test(s);
}

function key(secret: string): Buffer {
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

export function sign(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', key(secret)).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64')}`;
}

/** The three headers for one attempt; `secrets` are used in order (current first). */
export function signatureHeaders(
  secrets: readonly string[],
  id: string,
  body: string,
  nowMs = Date.now(),
): Record<string, string> {
  const ts = Math.floor(nowMs / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': secrets.map((s) => sign(s, id, ts, body)).join(' '),
  };
}

/** Secrets for one event: the request's own (`webhook.secret`, one or two) win over the configured pair. */
export function signingSecrets(hook: Record<string, unknown>, configured: (string | null | undefined)[]): string[] {
  const own = hook.secret;
  const list = Array.isArray(own) ? own : typeof own === 'string' ? [own] : configured;
  return list.filter(isSigningSecret).slice(0, 2);
}
