import type { JobOutcome } from '../contracts/broker.ts';
import type { Logger } from '../contracts/common.ts';
import type { JobEvent } from '../contracts/webhook.ts';
import type { JobRequest } from '../jobs/request.ts';
import type { PluginRegistry } from '../plugin/registry.ts';
import { isoTime } from '../time.ts';

/** Where the job ran, for the event. */
export interface JobPlacement {
  id: string;
  queue: string;
  worker: string | null;
  startedAt: number | null;
}

/**
 * Delivers a finished job's webhook through the webhook plugin the request names (DI token
 * `WEBHOOK_DISPATCHER`). The event never carries the credentials; a webhook failure never changes
 * the job's outcome and never throws.
 */
export class WebhookDispatcher {
  constructor(private readonly registry: PluginRegistry) {}

  async dispatch(req: JobRequest, at: JobPlacement, outcome: JobOutcome, log: Logger): Promise<void> {
    const hook = req.webhook;
    if (!hook) return;
    try {
      const caller = this.registry.get('webhook', hook.name);
      const event: JobEvent = {
        id: at.id,
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
      await caller.deliver(hook as never, event, { log });
    } catch (e) {
      log.warn({ err: e }, 'webhook delivery failed');
    }
  }
}
