import type { DeliveryRecord } from '../contracts/ops-store.ts';
import { isoTime } from '../time.ts';

/** The `webhook` configuration section the delivery log and the signer read. */
export interface DeliverySettings {
  signing_secret: string | null;
  signing_secret_previous: string | null;
  log_max: number;
  log_max_age: number;
}

/** Unsigned, with the configuration's default bounds (a dispatcher built without configuration). */
export const DEFAULT_DELIVERY_SETTINGS: DeliverySettings = {
  signing_secret: null,
  signing_secret_previous: null,
  log_max: 1000,
  log_max_age: 604800,
};

/** The event id of a job's webhook event (`webhook-id`): one per job, so retries and replays keep it. */
export function eventId(jobId: string): string {
  return `evt_${jobId}`;
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
    id: d.id,
    job_id: d.job_id,
    event: d.event.event,
    status: d.status,
    attempts: d.attempts,
    replays: d.replays,
    http_status: d.http_status,
    error: d.error,
    target,
    webhook: String(d.hook.name ?? 'basic'),
    created_at: isoTime(d.created_at),
    updated_at: isoTime(d.updated_at),
  };
}
