/**
 * Where a webhook may be sent. The reference posted to any URL a client supplied, which makes
 * the controller an SSRF proxy into the worker network; here only http(s) URLs are accepted and,
 * when `webhook.allow_hosts` is set, only the listed hosts.
 *
 * Entries of `allow_hosts`:
 * - `hooks.example.com`: that exact hostname (case-insensitive);
 * - `*.example.com`: any subdomain of example.com (not example.com itself);
 * - `192.0.2.10`, `2001:db8::1`: that IP literal;
 * - `10.0.0.0/8`, `2001:db8::/32`: IP literals inside the block.
 * IP and CIDR entries match URLs whose host IS an IP literal; hostnames are not resolved, so a
 * hostname must be listed by name to be allowed.
 */
import { hostAllowed, type AllowList } from '../../../core/net/allow-list.ts';

export { hostAllowed, parseAllowList, type AllowList } from '../../../core/net/allow-list.ts';

/** The outcome of checking a hook URL: a parsed URL, or why it is refused. */
export type TargetCheck = { ok: true; url: URL } | { ok: false; reason: string };

export function checkTarget(list: AllowList, rawUrl: unknown): TargetCheck {
  if (typeof rawUrl !== 'string' || rawUrl === '') return { ok: false, reason: 'webhook url is missing' };
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, reason: 'webhook url is not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      ok: false,
      reason: `webhook url scheme ${url.protocol.replace(/:$/, '')} is not allowed (http or https only)`,
    };
  }
  if (url.username !== '' || url.password !== '') {
    // Credentials in the URL would end up in logs and proxies; `auth` is the supported way.
    return { ok: false, reason: 'webhook url must not contain credentials; use the auth field' };
  }
  if (!hostAllowed(list, url.hostname)) {
    return { ok: false, reason: `webhook host ${url.hostname} is not in webhook.allow_hosts` };
  }
  return { ok: true, url };
}

/** What may be logged about a target: scheme, host and port. Paths and queries often carry tokens. */
export function safeOrigin(rawUrl: unknown): string {
  try {
    return new URL(String(rawUrl)).origin;
  } catch {
    return '(invalid url)';
  }
}
