/**
 * Turns a webhook spec and a job event into the pieces of one HTTP request, and collects every
 * secret value in it so failures can be reported without them.
 */
import type { JobEvent, WebhookSpec } from '../../../core/contracts/webhook.ts';
import { signatureHeaders } from '../../../core/webhooks/signing.ts';

export const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
export type Method = (typeof METHODS)[number];

export interface PreparedRequest {
  url: URL;
  method: Method;
  headers: Headers;
  body: string | undefined;
  /** Values that must never appear in a log line or a returned error. */
  secrets: string[];
}

// RFC 6265 cookie-octet; anything else is percent-encoded so a value cannot inject attributes.
const COOKIE_OCTETS = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export class RequestBuildError extends Error {}

function headerName(name: string, what: string): string {
  if (!TOKEN.test(name)) throw new RequestBuildError(`invalid ${what} name`);
  return name;
}

function headerValue(value: unknown, name: string, what: string): string {
  const text = String(value);
  // Checked here so the fetch error, which quotes the offending value, never happens.
  if (/[\r\n\0]/.test(text)) throw new RequestBuildError(`invalid value for ${what} ${name}`);
  return text;
}

function collectSecrets(hook: WebhookSpec): string[] {
  const out: string[] = [];
  for (const v of Object.values(hook.headers ?? {})) out.push(String(v));
  for (const v of Object.values(hook.cookies ?? {})) out.push(String(v), encodeURIComponent(String(v)));
  if (Array.isArray(hook.auth)) {
    const [user, pass] = hook.auth;
    out.push(
      String(user ?? ''),
      String(pass ?? ''),
      Buffer.from(`${user ?? ''}:${pass ?? ''}`, 'utf8').toString('base64'),
    );
  }
  for (const s of hook.signing_secrets ?? []) out.push(String(s));
  // Longest first so a secret that contains another is removed whole.
  return [...new Set(out.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
}

/** Removes every secret value from `text`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

export function secretsOf(hook: WebhookSpec): string[] {
  try {
    return collectSecrets(hook);
  } catch {
    return [];
  }
}

/**
 * Builds the request. `GET` carries no body and sends the job id as query parameter `id`; every
 * other method sends the event as a JSON object.
 */
export function prepareRequest(hook: WebhookSpec, event: JobEvent, url: URL): PreparedRequest {
  const secrets = collectSecrets(hook);
  const method = String(hook.method ?? 'POST').toUpperCase() as Method;
  if (!METHODS.includes(method)) throw new RequestBuildError(`unsupported method ${method}`);

  const headers = new Headers();
  headers.set('user-agent', 'NetPulse-Webhook/1.0');
  for (const [name, value] of Object.entries(hook.headers ?? {})) {
    if (value === null || value === undefined) continue;
    headers.set(headerName(name, 'header'), headerValue(value, name, 'header'));
  }

  const cookies = Object.entries(hook.cookies ?? {}).filter(([, v]) => v !== null && v !== undefined);
  if (cookies.length > 0) {
    const pairs = cookies.map(([name, value]) => {
      const text = String(value);
      return `${headerName(name, 'cookie')}=${COOKIE_OCTETS.test(text) ? text : encodeURIComponent(text)}`;
    });
    const existing = headers.get('cookie');
    headers.set('cookie', [existing, ...pairs].filter(Boolean).join('; '));
  }

  if (hook.auth !== null && hook.auth !== undefined) {
    if (!Array.isArray(hook.auth) || hook.auth.length !== 2)
      throw new RequestBuildError('auth must be [user, password]');
    const [user, pass] = hook.auth;
    headers.set('authorization', `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`);
  }

  const target = new URL(url.href);
  let body: string | undefined;
  if (method === 'GET') {
    target.searchParams.set('id', event.id);
  } else {
    try {
      body = JSON.stringify(event);
    } catch {
      throw new RequestBuildError('job event cannot be serialised as JSON');
    }
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  // Set last so a client header cannot replace them. GET signs the empty body.
  const signing = Array.isArray(hook.signing_secrets) ? hook.signing_secrets : [];
  if (signing.length)
    for (const [k, v] of Object.entries(signatureHeaders(signing, event.event_id ?? event.id, body ?? '')))
      headers.set(k, v);
  return { url: target, method, headers, body, secrets };
}
