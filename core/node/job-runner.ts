import type { Broker, ClaimedJob, JobOutcome } from '../contracts/broker.ts';
import type { Logger } from '../contracts/common.ts';
import type { JobEvent } from '../contracts/webhook.ts';
import type { PluginRegistry } from '../plugin/registry.ts';
import type { TemplateService } from '../templates/service.ts';
import type { ExecRequest } from '../jobs/accept.ts';
import { errorOf, executeJob, withDeadline, type SessionProvider } from '../jobs/pipeline.ts';
import { isoTime } from '../time.ts';
import { scrubText } from '../log/redact.ts';
import type { NetPulseMetrics } from '../observability/metrics.ts';
import { jobLogFields } from '../observability/job-fields.ts';
import { contextFromTraceparent, recordSpan, traced } from '../observability/tracing.ts';
import { WebhookDeliveries } from '../webhooks/deliveries.ts';

export interface RunnerDeps {
  broker: Broker;
  registry: PluginRegistry;
  templates: TemplateService;
  log: Logger;
  /** Prometheus metrics of this process (absent in unit tests that build deps by hand). */
  metrics?: NetPulseMetrics;
  /** Signed delivery with the dead-letter log; a default (unsigned, default limits) is used when absent. */
  webhooks?: WebhookDeliveries;
}

/**
 * Runs one claimed job to its end: execute under `execution_timeout`, store the outcome, fire the
 * webhook (without blocking the next job). Never throws. Every log line carries the job's
 * correlation fields; the spans continue the trace the job was submitted under.
 */
export async function runClaimedJob(claimed: ClaimedJob, sessions: SessionProvider, deps: RunnerDeps, stopSignal?: AbortSignal): Promise<boolean> {
  const { record } = claimed;
  const req = claimed.request as unknown as ExecRequest;
  const log = deps.log.child(jobLogFields(record));
  const node = record.node ?? 'unknown';
  const parent = contextFromTraceparent(record.meta?.trace);
  const startedAt = record.started_at ?? Date.now();
  // Labels come from the record, not the request: the request may be sealed until it is opened.
  const strategy = String(record.meta?.strategy ?? 'unknown');
  const attrs = { 'netpulse.job_id': record.id, 'netpulse.driver': record.driver, 'netpulse.strategy': strategy, 'netpulse.node': node };
  recordSpan('job.queue_wait', parent, record.enqueued_at, startedAt, attrs);
  deps.metrics?.jobStarted(node, strategy, (startedAt - record.enqueued_at) / 1000);
  log.info({ queue: record.queue, worker: record.worker, driver: record.driver }, 'job started');
  const t0 = performance.now();
  let outcome: JobOutcome;
  try {
    const driver = deps.registry.get('driver', req.driver);
    const retval = await traced('job.execute', attrs, () =>
      withDeadline(req.execution_timeout, (signal) => executeJob(req, { driver, templates: deps.templates, sessions, log }, signal), stopSignal), parent);
    outcome = { ok: true, retval };
  } catch (e) {
    const err = errorOf(e);
    outcome = { ok: false, error: { type: err.type, message: scrubText(err.message) } };
  }
  const seconds = (performance.now() - t0) / 1000;
  deps.metrics?.jobEnded(node, record.driver, strategy, outcome.ok ? null : outcome.error.type, seconds);
  if (outcome.ok) log.info({ duration: seconds }, 'job finished');
  else log.info({ duration: seconds, error: outcome.error }, 'job failed');
  try {
    await deps.broker.finishJob(record.id, outcome);
  } catch (e) {
    log.error({ err: e }, 'could not store the job result');
  }
  if (req.webhook) void traced('webhook.deliver', attrs, () => fireWebhook(req, record.id, record.queue, record.worker, record.started_at, outcome, deps, log), parent).catch(() => undefined);
  return outcome.ok;
}

async function fireWebhook(req: ExecRequest, id: string, queue: string, worker: string | null, startedAt: number | null, outcome: JobOutcome, deps: RunnerDeps, log: Logger): Promise<void> {
  const hook = req.webhook!;
  try {
    const event: JobEvent = {
      id,
      event_id: WebhookDeliveries.eventId(id),
      event: outcome.ok ? 'job.finished' : 'job.failed',
      status: outcome.ok ? 'finished' : 'failed',
      queue,
      worker,
      host: (req.connection_args.host as string) ?? null,
      driver: req.driver,
      result: outcome.ok ? outcome.retval : null,
      error: outcome.ok ? null : outcome.error,
      started_at: isoTime(startedAt),
      ended_at: isoTime(Date.now()),
    };
    const webhooks = deps.webhooks ?? new WebhookDeliveries(deps.registry, deps.broker.ops, DEFAULT_DELIVERY, deps.metrics);
    await webhooks.deliver(hook, event, log);
  } catch (e) {
    // A webhook problem never changes the job's outcome (fixing SPEC 11.17).
    log.warn({ err: e }, 'webhook delivery failed');
  }
}

const DEFAULT_DELIVERY = { signing_secret: null, signing_secret_previous: null, log_max: 1000, log_max_age: 604800 };
