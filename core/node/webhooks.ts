import type { JobOutcome } from '../contracts/broker.ts';
import type { Logger } from '../contracts/common.ts';
import type { DeliveryRecord, DeliveryStatus, OpsStore } from '../contracts/ops-store.ts';
import type { JobEvent, WebhookDelivery, WebhookSpec } from '../contracts/webhook.ts';
import { NetPulseError } from '../errors.ts';
import type { JobRequest } from '../jobs/request.ts';
import { scrubText } from '../log/redact.ts';
import { isSealed, type Keyring, open, seal } from '../security/sealed.ts';
import type { NetPulseMetrics } from '../observability/metrics.ts';
import type { PluginRegistry } from '../plugin/registry.ts';
import { isoTime } from '../time.ts';
import { DEFAULT_DELIVERY_SETTINGS, type DeliverySettings, deliveryView, eventId } from '../webhooks/deliveries.ts';
import { signingSecrets } from '../webhooks/signing.ts';

/** Where the job ran, for the event. */
export interface JobPlacement {
  id: string;
  queue: string;
  worker: string | null;
  startedAt: number | null;
}

/** The delivery log's parts; without a store nothing is recorded (and list/retry answer 501). */
export interface DeliveryLogOptions {
  ops?: OpsStore;
  settings?: DeliverySettings;
  metrics?: NetPulseMetrics;
  /**
   * Seals each logged hook (URL, headers, auth, per-request signing secret) at rest, like stored job
   * requests; without it hooks are stored as given.
   */
  keyring?: Keyring;
}

/**
 * Delivers a finished job's webhook through the webhook plugin the request names (DI token
 * `WEBHOOK_DISPATCHER`), signed following Standard Webhooks, and keeps the delivery log in the
 * broker: every event's last outcome, and a dead-letter list (`failed`) of events whose retries
 * were exhausted, which an operator lists and replays. The event id (`webhook-id`) never changes,
 * so a receiver can drop an event it already processed. The event never carries the credentials;
 * a webhook failure never changes the job's outcome and `dispatch` never throws.
 */
export class WebhookDispatcher {
  private readonly ops: OpsStore | undefined;
  private readonly settings: DeliverySettings;
  private readonly metrics: NetPulseMetrics | undefined;
  private readonly keyring: Keyring | undefined;

  constructor(
    private readonly registry: PluginRegistry,
    log: DeliveryLogOptions = {},
  ) {
    this.ops = log.ops;
    this.settings = log.settings ?? DEFAULT_DELIVERY_SETTINGS;
    this.metrics = log.metrics;
    this.keyring = log.keyring;
  }

  async dispatch(req: JobRequest, at: JobPlacement, outcome: JobOutcome, log: Logger): Promise<void> {
    const hook = req.webhook;
    if (!hook) return;
    try {
      const event: JobEvent = {
        id: at.id,
        event_id: eventId(at.id),
        event: outcome.ok ? 'job.finished' : 'job.failed',
        status: outcome.ok ? 'finished' : 'failed',
        queue: at.queue,
        worker: at.worker,
        host: req.host,
        driver: req.driver,
        result: outcome.ok ? outcome.retval : null,
        error: outcome.ok ? null : outcome.error,
        started_at: isoTime(at.startedAt),
        ended_at: isoTime(Date.now()),
      };
      await this.deliver(hook, event, log);
    } catch (e) {
      log.warn({ err: e }, 'webhook delivery failed');
    }
  }

  /** First delivery of an event (on the node, after the job ended). */
  private async deliver(hook: Record<string, unknown>, event: JobEvent, log: Logger): Promise<void> {
    const now = Date.now();
    const rec: DeliveryRecord = {
      id: event.event_id ?? eventId(event.id),
      job_id: event.id,
      status: 'failed',
      attempts: 0,
      http_status: null,
      error: null,
      created_at: now,
      updated_at: now,
      replays: 0,
      event,
      hook,
    };
    const result = await this.send(rec, log);
    this.metrics?.webhook(result.ok ? 'delivered' : 'failed');
    if (!result.ok) {
      log.warn(
        { delivery: rec.id, attempts: result.attempts },
        'webhook event dead-lettered (GET /webhook/deliveries?status=failed)',
      );
    }
  }

  /** Replays a logged event (same event id, new timestamp and signature). */
  async retry(id: string, log: Logger): Promise<Record<string, unknown>> {
    const stored = await this.store().getDelivery(id);
    const rec = stored && this.opened(stored);
    if (!rec) throw new NetPulseError('NP_ERR_NOT_FOUND', `Webhook delivery ${id.slice(0, 100)} not found`);
    rec.replays++;
    const result = await this.send(rec, log);
    this.metrics?.webhook(result.ok ? 'replayed_delivered' : 'replayed_failed');
    log.info({ delivery: rec.id, job_id: rec.job_id, ok: result.ok }, 'webhook event replayed');
    return deliveryView(rec);
  }

  async list(status: DeliveryStatus | undefined, limit: number): Promise<Record<string, unknown>[]> {
    return (await this.store().listDeliveries({ status, limit })).map((d) => deliveryView(this.viewable(d)));
  }

  /** The record as stored: the hook sealed when a keyring is configured. */
  private sealed(rec: DeliveryRecord): DeliveryRecord {
    return this.keyring ? { ...rec, hook: seal(rec.hook, this.keyring) } : rec;
  }

  /** A stored record with its hook opened (throws when no configured key opens it). */
  private opened(rec: DeliveryRecord): DeliveryRecord {
    if (!isSealed(rec.hook)) return rec;
    if (!this.keyring)
      throw new NetPulseError('NP_ERR_CONFIG', 'Webhook delivery log is sealed; server.secret_key is not set');
    return { ...rec, hook: open(rec.hook, this.keyring) };
  }

  /** For listings: a hook no configured key opens still lists, without its target. */
  private viewable(rec: DeliveryRecord): DeliveryRecord {
    try {
      return this.opened(rec);
    } catch {
      return { ...rec, hook: { name: '(sealed with another key)' } };
    }
  }

  private store(): OpsStore {
    if (!this.ops)
      throw new NetPulseError('NP_ERR_NOT_IMPLEMENTED', 'The configured broker keeps no webhook delivery log');
    return this.ops;
  }

  private async send(rec: DeliveryRecord, log: Logger): Promise<WebhookDelivery> {
    let result: WebhookDelivery;
    try {
      const caller = this.registry.get('webhook', String(rec.hook.name ?? 'basic'));
      const secrets = signingSecrets(rec.hook, [this.settings.signing_secret, this.settings.signing_secret_previous]);
      const spec = { ...rec.hook, signing_secrets: secrets } as WebhookSpec;
      result = await caller.deliver(spec, { ...rec.event, event_id: rec.id }, { log });
    } catch (e) {
      result = { ok: false, attempts: 0, error: scrubText((e as Error)?.message ?? String(e)) };
    }
    rec.attempts += result.attempts;
    rec.status = result.ok ? 'delivered' : 'failed';
    rec.http_status = result.status ?? null;
    rec.error = result.ok ? null : (result.error ?? 'delivery failed');
    rec.updated_at = Date.now();
    if (this.ops) {
      const limits = { max: this.settings.log_max, maxAgeMs: this.settings.log_max_age * 1000 };
      await this.ops
        .saveDelivery(this.sealed(rec), limits)
        .catch((e) => log.warn({ err: e }, 'could not record the webhook delivery'));
    }
    return result;
  }
}
