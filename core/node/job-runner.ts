import type { Broker, ClaimedJob, JobOutcome } from '../contracts/broker.ts';
import type { Logger } from '../contracts/common.ts';
import type { JobEvent } from '../contracts/webhook.ts';
import type { PluginRegistry } from '../plugin/registry.ts';
import type { TemplateService } from '../templates/service.ts';
import type { ExecRequest } from '../jobs/accept.ts';
import { errorOf, executeJob, withDeadline, type SessionProvider } from '../jobs/pipeline.ts';
import { isoTime } from '../time.ts';
import { scrubText } from '../log/redact.ts';
import { open as openSealed, type Keyring } from '../security/sealed.ts';

export interface RunnerDeps {
  broker: Broker;
  registry: PluginRegistry;
  templates: TemplateService;
  log: Logger;
  /** Opens requests the API sealed (server.secret_key); absent = requests are stored in the clear. */
  keyring?: Keyring;
}

/**
 * Runs one claimed job to its end: execute under `execution_timeout`, store the outcome, fire the
 * webhook (without blocking the next job). Never throws.
 */
export async function runClaimedJob(claimed: ClaimedJob, sessions: SessionProvider, deps: RunnerDeps, stopSignal?: AbortSignal): Promise<boolean> {
  const { record } = claimed;
  const log = deps.log.child({ job: record.id, host: record.host });
  let outcome: JobOutcome;
  let req: ExecRequest | null = null;
  try {
    const opened = (deps.keyring ? openSealed(claimed.request, deps.keyring) : claimed.request) as unknown as ExecRequest;
    req = opened;
    const driver = deps.registry.get('driver', opened.driver);
    const retval = await withDeadline(opened.execution_timeout, (signal) => executeJob(opened, { driver, templates: deps.templates, sessions, log }, signal), stopSignal);
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
  if (req?.webhook) void fireWebhook(req, record.id, record.queue, record.worker, record.started_at, outcome, deps, log);
  return outcome.ok;
}

async function fireWebhook(req: ExecRequest, id: string, queue: string, worker: string | null, startedAt: number | null, outcome: JobOutcome, deps: RunnerDeps, log: Logger): Promise<void> {
  const hook = req.webhook!;
  try {
    const caller = deps.registry.get('webhook', String(hook.name ?? 'basic'));
    const event: JobEvent = {
      id,
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
    await caller.deliver(hook as never, event, { log });
  } catch (e) {
    // A webhook problem never changes the job's outcome (fixing SPEC 11.17).
    log.warn({ err: e }, 'webhook delivery failed');
  }
}
