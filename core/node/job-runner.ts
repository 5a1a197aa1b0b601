import type { Broker, ClaimedJob, JobOutcome } from '../contracts/broker.ts';
import type { Logger } from '../contracts/common.ts';
import type { PluginRegistry } from '../plugin/registry.ts';
import type { TemplateService } from '../templates/service.ts';
import { type JobRequest, parseJobRequest } from '../jobs/request.ts';
import { errorOf, executeJob, withDeadline, type SessionProvider } from '../jobs/pipeline.ts';
import { scrubText } from '../log/redact.ts';
import { lazyChild } from '../log/lazy-child.ts';
import { partialOutputOf } from '../drivers/output-caps.ts';
import type { Keyring } from '../security/sealed.ts';
import type { NetPulseMetrics } from '../observability/metrics.ts';
import { jobLogFields } from '../observability/job-fields.ts';
import { contextFromTraceparent, recordSpan, traced } from '../observability/tracing.ts';
import type { WebhookDispatcher } from './webhooks.ts';

export interface RunnerDeps {
  broker: Broker;
  registry: PluginRegistry;
  templates: TemplateService;
  webhooks: WebhookDispatcher;
  log: Logger;
  /** Opens requests the API sealed (server.secret_key); absent = requests are stored in the clear. */
  keyring?: Keyring;
  /** Prometheus metrics of this process (absent in unit tests that build deps by hand). */
  metrics?: NetPulseMetrics;
}

/**
 * Runs one claimed job to its end: execute under `execution_timeout`, store the outcome, fire the
 * webhook (without blocking the next job). Never throws. Every log line carries the job's
 * correlation fields; the spans continue the trace the job was submitted under.
 */
export async function runClaimedJob(
  claimed: ClaimedJob,
  sessions: SessionProvider,
  deps: RunnerDeps,
  stopSignal?: AbortSignal,
): Promise<boolean> {
  const { record } = claimed;
  const log = lazyChild(deps.log, jobLogFields(record));
  const node = record.node ?? 'unknown';
  const parent = contextFromTraceparent(record.meta?.trace);
  const startedAt = record.started_at ?? Date.now();
  // Labels come from the record, not the request: the request may be sealed until it is opened.
  const strategy = String(record.meta?.strategy ?? 'unknown');
  const attrs = {
    'netpulse.job_id': record.id,
    'netpulse.driver': record.driver,
    'netpulse.strategy': strategy,
    'netpulse.node': node,
  };
  recordSpan('job.queue_wait', parent, record.enqueued_at, startedAt, attrs);
  deps.metrics?.jobStarted(node, strategy, (startedAt - record.enqueued_at) / 1000);
  log.info({ queue: record.queue, worker: record.worker, driver: record.driver }, 'job started');
  const t0 = performance.now();
  let outcome: JobOutcome;
  let req: JobRequest | null = null;
  try {
    const parsed = parseJobRequest(claimed.request, deps.keyring);
    req = parsed;
    const driver = deps.registry.get('driver', parsed.driver);
    const retval = await traced(
      'job.execute',
      attrs,
      () =>
        withDeadline(
          parsed.execution_timeout,
          (signal) => executeJob(parsed, { driver, templates: deps.templates, sessions, log }, signal),
          stopSignal,
        ),
      parent,
    );
    outcome = { ok: true, retval };
  } catch (e) {
    const err = errorOf(e);
    const partial = partialOutputOf(e);
    outcome = {
      ok: false,
      error: {
        type: err.type,
        message: scrubText(err.message),
        ...(partial === undefined ? {} : { partial_output: partial }),
      },
    };
  }
  const seconds = (performance.now() - t0) / 1000;
  deps.metrics?.jobEnded(node, record.driver, strategy, outcome.ok ? null : outcome.error.type, seconds);
  if (outcome.ok) log.info({ duration: seconds }, 'job finished');
  // Type and message only: partial output can be megabytes of device text.
  else
    log.info({ duration: seconds, error: { type: outcome.error.type, message: outcome.error.message } }, 'job failed');
  try {
    await deps.broker.finishJob(record.id, outcome);
  } catch (e) {
    log.error({ err: e }, 'could not store the job result');
  }
  // Not awaited: a slow webhook must not hold up the next job. The dispatcher never throws.
  const hooked = req;
  if (hooked?.webhook) {
    const at = { id: record.id, queue: record.queue, worker: record.worker, startedAt: record.started_at };
    const deliver = () => deps.webhooks.dispatch(hooked, at, outcome, log);
    void traced('webhook.deliver', attrs, deliver, parent).catch(() => undefined);
  }
  return outcome.ok;
}
