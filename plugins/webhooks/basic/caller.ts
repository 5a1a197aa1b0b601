/**
 * The `basic` webhook: one HTTP request per job event, retried on transient failures.
 *
 * Retry policy: network errors, per-attempt timeouts, 5xx and 429 are retried up to
 * `webhook.retries` times, waiting `backoff_ms * 2^(n-1)` before retry n, or the server's
 * `Retry-After` when it sends one; every wait is capped by `webhook.max_delay_ms`. Other
 * statuses (redirects, which are not followed, and 4xx) fail at once: repeating the same request
 * cannot fix them. `deliver` never throws; failures are logged at warn level with the target's
 * origin only (no path, query, headers, cookies or credentials) and returned.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../../core/contracts/common.ts';
import type { JobEvent, WebhookCaller, WebhookDelivery, WebhookSpec } from '../../../core/contracts/webhook.ts';
import type { BasicWebhookOptions } from './options.ts';
import { prepareRequest, redact, RequestBuildError, secretsOf, type PreparedRequest } from './request.ts';
import { checkTarget, safeOrigin } from './target.ts';
import { outboundFetch } from '../../../core/net/outbound.ts';
import { NetPulseError } from '../../../core/errors.ts';

const DEFAULT_TIMEOUT_S = 5;
const MIN_TIMEOUT_S = 0.5;
const MAX_TIMEOUT_S = 120;

/** Per-attempt timeout in ms from `hook.timeout` (seconds), held to the documented 0.5–120 s. */
export function attemptTimeoutMs(timeout: unknown): number {
  const s = typeof timeout === 'number' && Number.isFinite(timeout) ? timeout : DEFAULT_TIMEOUT_S;
  return Math.round(Math.min(MAX_TIMEOUT_S, Math.max(MIN_TIMEOUT_S, s)) * 1000);
}

/** `Retry-After` as delta-seconds or an HTTP date, in ms from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export function backoffMs(options: BasicWebhookOptions, retry: number): number {
  return Math.min(options.maxDelayMs, options.backoffMs * 2 ** (retry - 1));
}

type Attempt =
  | { kind: 'ok'; status: number }
  | { kind: 'status'; status: number; retryable: boolean; retryAfterMs: number | null }
  | { kind: 'network'; error: string }
  | { kind: 'denied'; error: string }
  | { kind: 'cancelled' };

function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return `network error ${cause.code}`;
  if (cause && typeof cause.message === 'string') return `network error: ${cause.message}`;
  return `network error: ${err instanceof Error ? err.message : String(err)}`;
}

export class BasicWebhookCaller implements WebhookCaller {
  readonly name = 'basic';

  constructor(
    private readonly options: BasicWebhookOptions,
    private readonly fallbackLog?: Logger,
  ) {}

  async deliver(
    hook: WebhookSpec,
    event: JobEvent,
    ctx: { log: Logger; signal?: AbortSignal },
  ): Promise<WebhookDelivery> {
    const log = ctx?.log ?? this.fallbackLog;
    const signal = ctx?.signal;
    const secrets = secretsOf(hook);
    const fields = {
      webhook: hook?.name ?? 'basic',
      job: event?.id,
      target: safeOrigin(hook?.url),
      method: hook?.method,
    };
    const fail = (attempts: number, error: string, status?: number): WebhookDelivery => {
      const clean = redact(error, secrets);
      safeLog(log, { ...fields, attempts, status, error: clean }, 'webhook delivery failed');
      return status === undefined
        ? { ok: false, attempts, error: clean }
        : { ok: false, attempts, status, error: clean };
    };

    try {
      const target = checkTarget(this.options.allow, hook?.url);
      if (!target.ok) return fail(0, target.reason);
      let request: PreparedRequest;
      try {
        request = prepareRequest(hook, event, target.url);
      } catch (err) {
        return fail(0, err instanceof RequestBuildError ? err.message : 'invalid webhook request');
      }
      const timeoutMs = attemptTimeoutMs(hook.timeout);
      const maxAttempts = this.options.retries + 1;

      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        if (signal?.aborted) return fail(attempt - 1, 'delivery cancelled');
        const result = await this.attempt(request, timeoutMs, signal);
        if (result.kind === 'ok') return { ok: true, attempts: attempt, status: result.status };
        if (result.kind === 'cancelled') return fail(attempt, 'delivery cancelled');
        if (result.kind === 'denied') return fail(attempt, result.error);

        const error =
          result.kind === 'network'
            ? result.error
            : result.status >= 300 && result.status < 400
              ? `HTTP ${result.status} (redirects are not followed)`
              : `HTTP ${result.status}`;
        const status = result.kind === 'status' ? result.status : undefined;
        const retryable = result.kind === 'network' || result.retryable;
        if (!retryable || attempt === maxAttempts) return fail(attempt, error, status);

        const asked = result.kind === 'status' ? result.retryAfterMs : null;
        const delay = asked === null ? backoffMs(this.options, attempt) : Math.min(asked, this.options.maxDelayMs);
        safeLog(
          log,
          { ...fields, attempt, status, error: redact(error, secrets), retry_in_ms: delay },
          'webhook delivery attempt failed, retrying',
        );
        try {
          await sleep(delay, undefined, signal ? { signal } : undefined);
        } catch {
          return fail(attempt, 'delivery cancelled');
        }
      }
      return fail(maxAttempts, 'retries exhausted');
    } catch (err) {
      // Nothing above is expected to throw; this keeps the never-throw contract if it does.
      return fail(0, `unexpected error: ${err instanceof Error ? err.name : 'unknown'}`);
    }
  }

  private async attempt(req: PreparedRequest, timeoutMs: number, outer: AbortSignal | undefined): Promise<Attempt> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
    try {
      // Loopback/link-local/… targets need an allow_hosts entry; DNS is checked per attempt;
      // redirects are not followed (a redirect could lead outside webhook.allow_hosts).
      const res = await outboundFetch(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal,
        allow: this.options.allow,
        allowKey: 'webhook.allow_hosts',
        what: 'webhook',
      });
      // The body is not used; cancelling it frees the connection instead of buffering it.
      await res.body?.cancel().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return { kind: 'ok', status: res.status };
      const retryable = res.status >= 500 || res.status === 429;
      return {
        kind: 'status',
        status: res.status,
        retryable,
        retryAfterMs: retryable ? parseRetryAfter(res.headers.get('retry-after')) : null,
      };
    } catch (err) {
      if (outer?.aborted) return { kind: 'cancelled' };
      if (timeout.aborted) return { kind: 'network', error: `timeout after ${timeoutMs / 1000} s` };
      if (err instanceof NetPulseError && err.code === 'NP_ERR_OUTBOUND_DENIED')
        return { kind: 'denied', error: err.message };
      return { kind: 'network', error: describeFetchError(err) };
    }
  }
}

/** A logger that throws must not turn a failed delivery into a thrown one. */
function safeLog(log: Logger | undefined, obj: Record<string, unknown>, msg: string): void {
  try {
    log?.warn(obj, msg);
  } catch {
    // Logging is best effort here by design.
  }
}
