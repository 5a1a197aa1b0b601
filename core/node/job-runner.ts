import type { Broker, ClaimedJob, JobOutcome } from '../contracts/broker.ts';
import type { Logger } from '../contracts/common.ts';
import type { PluginRegistry } from '../plugin/registry.ts';
import type { TemplateService } from '../templates/service.ts';
import { type JobRequest, parseJobRequest } from '../jobs/request.ts';
import { errorOf, executeJob, withDeadline, type SessionProvider } from '../jobs/pipeline.ts';
import { scrubText } from '../log/redact.ts';
import type { WebhookDispatcher } from './webhooks.ts';

export interface RunnerDeps {
  broker: Broker;
  registry: PluginRegistry;
  templates: TemplateService;
  webhooks: WebhookDispatcher;
  log: Logger;
}

/**
 * Runs one claimed job to its end: execute under `execution_timeout`, store the outcome, fire the
 * webhook (without blocking the next job). Never throws.
 */
export async function runClaimedJob(claimed: ClaimedJob, sessions: SessionProvider, deps: RunnerDeps, stopSignal?: AbortSignal): Promise<boolean> {
  const { record } = claimed;
  const log = deps.log.child({ job: record.id, host: record.host });
  let outcome: JobOutcome;
  let req: JobRequest | null = null;
  try {
    const parsed = parseJobRequest(claimed.request);
    req = parsed;
    const driver = deps.registry.get('driver', parsed.driver);
    const retval = await withDeadline(parsed.execution_timeout, (signal) => executeJob(parsed, { driver, templates: deps.templates, sessions, log }, signal), stopSignal);
    outcome = { ok: true, retval };
  } catch (e) {
    const err = errorOf(e);
    outcome = { ok: false, error: { type: err.type, message: scrubText(err.message) } };
    log.info({ error: outcome.error }, 'job failed');
  }
  try {
    await deps.broker.finishJob(record.id, outcome);
  } catch (e) {
    log.error({ err: e }, 'could not store the job result');
  }
  // Not awaited: a slow webhook must not hold up the next job.
  if (req?.webhook) void deps.webhooks.dispatch(req, { id: record.id, queue: record.queue, worker: record.worker, startedAt: record.started_at }, outcome, log);
  return outcome.ok;
}
