import type { Logger } from '../contracts/common.ts';
import type { DeliveryRecord, DeliveryStatus, OpsStore } from '../contracts/ops-store.ts';
import type { JobEvent, WebhookDelivery, WebhookSpec } from '../contracts/webhook.ts';
import type { PluginRegistry } from '../plugin/registry.ts';
import type { NetPulseMetrics } from '../observability/metrics.ts';
import { NetPulseError } from '../errors.ts';
import { isoTime } from '../time.ts';
import { scrubText } from '../log/redact.ts';
import { signingSecrets } from './signing.ts';

export interface DeliverySettings {
  signing_secret: string | null;
  signing_secret_previous: string | null;
  log_max: number;
  log_max_age: number;
}

/**
 * Delivers job events through the webhook plugins with Standard Webhooks signatures, and keeps
 * the delivery log in the broker: every event's last outcome, and a dead-letter list (`failed`)
 * of events whose retries were exhausted, which an operator can list and replay. The event id
 * (`webhook-id`) never changes, so a receiver can drop an event it already processed.
 */
export class WebhookDeliveries {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly ops: OpsStore | undefined,
    private readonly settings: DeliverySettings,
    private readonly metrics: NetPulseMetrics | undefined,
  ) {}

  static eventId(jobId: string): string {
    return `evt_${jobId}`;
  }

  /** First delivery of an event (on the node, after the job ended). Never throws. */
  async deliver(hook: Record<string, unknown>, event: JobEvent, log: Logger): Promise<WebhookDelivery> {
    const now = Date.now();
    const rec: DeliveryRecord = {
      id: event.event_id ?? WebhookDeliveries.eventId(event.id), job_id: event.id, status: 'failed', attempts: 0,
      http_status: null, error: null, created_at: now, updated_at: now, replays: 0, event, hook,
    };
    const result = await this.send(rec, log);
    this.metrics?.webhook(result.ok ? 'delivered' : 'failed');
    if (!result.ok) log.warn({ delivery: rec.id, attempts: result.attempts }, 'webhook event dead-lettered (GET /webhook/deliveries?status=failed)');
    return result;
  }

  /** Replays a logged event (same event id, new timestamp and signature). */
  async retry(id: string, log: Logger): Promise<Record<string, unknown>> {
    const ops = this.store();
    const rec = await ops.getDelivery(id);
    if (!rec) throw new NetPulseError('NP_ERR_NOT_FOUND', `Webhook delivery ${id.slice(0, 100)} not found`);
    rec.replays++;
    const result = await this.send(rec, log);
    this.metrics?.webhook(result.ok ? 'replayed_delivered' : 'replayed_failed');
    log.info({ delivery: rec.id, job_id: rec.job_id, ok: result.ok }, 'webhook event replayed');
    return deliveryView(rec);
  }

  async list(status: DeliveryStatus | undefined, limit: number): Promise<Record<string, unknown>[]> {
    return (await this.store().listDeliveries({ status, limit })).map(deliveryView);
  }

  private store(): OpsStore {
    if (!this.ops) throw new NetPulseError('NP_ERR_NOT_IMPLEMENTED', 'The configured broker keeps no webhook delivery log');
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
      await this.ops.saveDelivery(rec, limits).catch((e) => log.warn({ err: e }, 'could not record the webhook delivery'));
    }
    return result;
  }
}

/** What the API shows of a delivery: never the hook's headers, credentials, secret or URL path. */
export function deliveryView(d: DeliveryRecord): Record<string, unknown> {
  let target = '(invalid url)';
  try {
    target = new URL(String(d.hook.url)).origin;
  } catch {
    // shown as invalid
  }
  return {
    id: d.id, job_id: d.job_id, event: d.event.event, status: d.status, attempts: d.attempts, replays: d.replays,
    http_status: d.http_status, error: d.error, target, webhook: String(d.hook.name ?? 'basic'),
    created_at: isoTime(d.created_at), updated_at: isoTime(d.updated_at),
  };
}
