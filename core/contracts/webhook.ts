import type { Logger } from './common.ts';

/**
 * Webhook contract: delivers a job event. Must never throw; failures are logged (without secrets)
 * and retried by the implementation's own policy.
 *
 * Plugin kind: `webhook` (jobs reach it through the `WEBHOOK_DISPATCHER` service).
 */
export interface WebhookCaller {
  readonly name: string;
  deliver(hook: WebhookSpec, event: JobEvent, ctx: { log: Logger; signal?: AbortSignal }): Promise<WebhookDelivery>;
}

/** The `webhook` object of a request. */
export interface WebhookSpec {
  name: string;
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  headers?: Record<string, string> | null;
  cookies?: Record<string, string> | null;
  auth?: [string, string] | null;
  timeout: number;
  /**
   * Standard Webhooks secrets resolved by the core for this event (the request's own, else the
   * configured pair): a plugin signs the body with each. Empty or absent: unsigned.
   */
  signing_secrets?: string[];
  [key: string]: unknown;
}

/** The JSON payload of a job event (never contains connection credentials). */
export interface JobEvent {
  id: string;
  /** Event id, also sent as `webhook-id`: identical on every retry and replay of this event. */
  event_id?: string;
  event: 'job.finished' | 'job.failed';
  status: 'finished' | 'failed';
  queue: string;
  worker: string | null;
  host: string | null;
  driver: string;
  /** `retval` of the job on success. */
  result: unknown;
  /** `{type, message}` on failure. */
  error: { type: string; message: string } | null;
  started_at: string | null;
  ended_at: string | null;
}

export interface WebhookDelivery {
  ok: boolean;
  attempts: number;
  status?: number;
  error?: string;
}
