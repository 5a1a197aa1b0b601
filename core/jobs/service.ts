import { randomUUID } from 'node:crypto';
import type { Broker, JobFilter } from '../contracts/broker.ts';
import type { Logger } from '../contracts/common.ts';
import type { NodeSelector } from '../contracts/scheduler.ts';
import type { NetPulseConfig } from '../config/types.ts';
import type { PluginRegistry } from '../plugin/registry.ts';
import { NetPulseError, npError, validationError } from '../errors.ts';
import { acceptExec, expandBulk, toNewJob, validateForDriver } from './accept.ts';
import { connectionArgsFor, type JobRequest, serializeJobRequests } from './request.ts';
import type { WarningList } from './warnings.ts';
import { Dispatcher } from './dispatch.ts';
import { batchView, jobView, queuedView, workerViews } from './view.ts';
import { FIFO_QUEUE, hostQueue, nodeQueue, hostOfQueue } from './names.ts';
import { isoTime } from '../time.ts';
import { scrubText } from '../log/redact.ts';
import { FORGET_HOST, forgetHost } from '../state/forget.ts';
import type { Keyring } from '../security/sealed.ts';
import { traced } from '../observability/tracing.ts';

/** What a submission knows of the HTTP request it came in: its id (kept on each job) and its warning list. */
export interface RequestScope {
  requestId?: string | null;
  warnings?: WarningList;
}

/** What the HTTP routes call. One instance per application (controller or all-in-one). */
export class JobService {
  private readonly dispatcher: Dispatcher;

  constructor(
    private readonly broker: Broker,
    private readonly registry: PluginRegistry,
    selector: NodeSelector,
    private readonly config: NetPulseConfig,
    private readonly log: Logger,
    /** Seals each stored request (credentials) under server.secret_key; absent = stored in the clear. */
    private readonly keyring?: Keyring,
  ) {
    this.dispatcher = new Dispatcher(broker, selector, log);
  }

  async exec(body: Record<string, unknown>, scope: RequestScope = {}): Promise<Record<string, unknown>> {
    const req = acceptExec(body, this.registry, this.config, scope.warnings);
    const { jobs, failed } = await this.submit([req], null, scope.requestId);
    if (failed.length) throw new NetPulseError('NP_ERR_NO_CAPACITY', failed[0].reason);
    return queuedView(jobs[0], Date.now());
  }

  async bulk(body: Record<string, unknown>, scope: RequestScope = {}): Promise<Record<string, unknown> | null> {
    if (!Array.isArray(body.devices) || body.devices.length === 0) return null;
    const { requests, failed: invalid } = expandBulk(body, this.registry, this.config, scope.warnings);
    // One id names the whole request: GET /job?batch=…, GET /batch/{id} and the event stream follow it.
    const batchId = randomUUID();
    const { jobs, failed } = await this.submit(requests, batchId, scope.requestId);
    // Nothing queued because capacity is full: a 503 that says so, as for exec.
    if (!jobs.length && !invalid.length && failed.length)
      throw new NetPulseError('NP_ERR_NO_CAPACITY', failed[0].reason);
    const now = Date.now();
    const succeeded = jobs.map((j) => queuedView(j, now));
    const allFailed = [...invalid.map((f) => ({ host: f.host ?? '', reason: f.reason })), ...failed];
    return {
      batch_id: batchId,
      succeeded,
      failed: allFailed.map((f) => f.host),
      reasons: Object.fromEntries(allFailed.map((f) => [f.host, f.reason])),
    };
  }

  /** GET /batch/{id}: counts by status, done when nothing is queued or running, ETA from the pace so far. */
  async batch(id: string): Promise<Record<string, unknown>> {
    const b = await this.broker.getBatch(id);
    if (!b) throw npError('NP_ERR_UNKNOWN_BATCH', id.slice(0, 64));
    return batchView(b, Date.now());
  }

  private async submit(reqs: JobRequest[], batchId: string | null, requestId: string | null = null) {
    const now = Date.now();
    const stored = serializeJobRequests(reqs, this.keyring);
    const all = reqs.map((r, i) => toNewJob(r, stored[i]!, now, batchId, requestId));
    const fifo = all.filter((j) => j.queue === FIFO_QUEUE);
    const pinned = all.filter((j) => j.queue !== FIFO_QUEUE);
    const jobs = [];
    const failed: { host: string; reason: string }[] = [];
    if (fifo.length) {
      try {
        jobs.push(
          ...(
            await traced('job.place', { 'netpulse.strategy': 'fifo', 'netpulse.jobs': fifo.length }, () =>
              this.dispatcher.fifo(fifo),
            )
          ).jobs,
        );
      } catch (e) {
        if (!(e instanceof NetPulseError) || reqs.length === 1) throw e;
        failed.push(...fifo.map((j) => ({ host: j.host!, reason: e.message })));
      }
    }
    if (pinned.length) {
      const r = await traced('job.place', { 'netpulse.strategy': 'pinned', 'netpulse.jobs': pinned.length }, () =>
        this.dispatcher.pinned(pinned),
      );
      jobs.push(...r.jobs);
      failed.push(...r.failed);
    }
    return { jobs, failed };
  }

  /**
   * GET /job: `id` (one, or a comma list) and `batch` name the candidates; `queue`, `status`, `node`,
   * `host` combine; newest first; limit/offset.
   */
  async list(q: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const jobs = await this.broker.listJobs(toFilter(q));
    return jobs.map(jobView);
  }

  /** DELETE /job: cancels queued jobs matching `id` | `queue` | `node` | `host`; returns their ids. */
  async cancel(q: Record<string, unknown>): Promise<string[]> {
    const f = toFilter(q);
    if (!f.id && !f.queue && !f.host && !f.node) return [];
    const ids = await this.broker.cancelJobs({ ...f, limit: undefined, offset: undefined });
    if (f.node && !f.id) {
      // A queued pinned job names no node until it starts: the hosts the node pins name its jobs.
      const node = (await this.broker.listNodes()).find((n) => n.hostname === f.node);
      const hosts = new Set(
        (node?.record.workers ?? []).flatMap((w) => w.queues.map(hostOfQueue)).filter((h): h is string => h !== null),
      );
      for (const host of hosts) {
        if ((f.host && f.host !== host) || (f.queue && f.queue !== hostQueue(host))) continue;
        ids.push(...(await this.broker.cancelJobs({ queue: hostQueue(host), host })));
      }
    }
    return [...new Set(ids)];
  }

  async workers(q: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const views = workerViews(await this.broker.listNodes());
    return views.filter((w) => workerMatches(w, q));
  }

  /**
   * DELETE /worker: `name` stops that worker (a node stops gracefully; a pinned worker releases its
   * host; `<node>_FifoQ` stops its node); unknown names → 404. Otherwise every worker matching the
   * filter is stopped.
   */
  async stopWorkers(q: Record<string, unknown>): Promise<string[]> {
    const nodes = await this.broker.listNodes();
    const views = workerViews(nodes);
    let targets: Record<string, unknown>[];
    if (q.name) {
      targets = views.filter((w) => w.name === q.name);
      if (!targets.length)
        throw new NetPulseError('NP_ERR_UNKNOWN_WORKER', `Worker ${String(q.name).slice(0, 300)} not found`);
    } else if (q.queue || q.node || q.host) targets = views.filter((w) => workerMatches(w, q));
    else return [];
    for (const w of targets) {
      const node = String(w.node);
      const name = String(w.name);
      const host = (w.queues as string[]).map(hostOfQueue).find((h) => h !== null);
      await this.broker.sendControl(node, host ? `evict:${host}` : 'stop');
      this.log.info({ worker: name }, 'worker stop requested');
    }
    return targets.map((w) => String(w.name));
  }

  /**
   * DELETE /known-host: forgets the SSH host keys and pinned TLS certificates of a host in this
   * process's state directory and asks every live node to do the same in its own.
   */
  async forgetKnownHost(host: string, port?: number): Promise<Record<string, unknown>> {
    const removed = await forgetHost(host, port);
    const nodes = (await this.broker.listNodes()).filter((n) => n.alive).map((n) => n.hostname);
    for (const node of nodes) await this.broker.sendControl(node, `${FORGET_HOST}${JSON.stringify({ host, port })}`);
    this.log.info({ host, port, removed }, 'known host forgotten');
    return { host, port: port ?? null, removed, nodes };
  }

  async health(): Promise<Record<string, unknown>> {
    const ok = await this.broker.ping().catch(() => false);
    if (!ok)
      throw new NetPulseError('NP_ERR_BROKER_UNAVAILABLE', `Broker unavailable: ${this.broker.name} does not answer`);
    const nodes = await this.broker.listNodes();
    const live = nodes.filter((n) => n.alive);
    return {
      status: live.length ? 'ok' : 'degraded',
      broker: { name: this.broker.name, reachable: true },
      nodes: {
        live: live.length,
        dead: nodes.length - live.length,
        pinned: live.reduce((s, n) => s + n.count, 0),
        capacity: live.reduce((s, n) => s + n.capacity, 0),
      },
    };
  }

  /**
   * POST /device/test: synchronous, in the API process; any failure is `success:false` with the
   * error. Answers the reference code's names (`latency`, `error`, `result`) and its documented
   * names (`connection_time`, `error_message`, `device_info`) with the same values.
   */
  async test(body: Record<string, unknown>, scope: RequestScope = {}): Promise<DeviceTestData> {
    return withDocumentedNames(await this.runTest(body, scope.warnings));
  }

  private async runTest(
    body: Record<string, unknown>,
    warnings: WarningList | undefined,
  ): Promise<Omit<DeviceTestData, 'connection_time' | 'error_message' | 'device_info'>> {
    const started = performance.now();
    const ts = isoTime(Date.now())!;
    try {
      const driver = this.registry.get('driver', String(body.driver));
      const conn = connectionArgsFor(driver, body.connection_args);
      if (conn.host === null || conn.host === undefined) {
        throw validationError([
          { loc: ['body', 'connection_args', 'host'], msg: "'host' in connection_args is required" },
        ]);
      }
      const args = structuredClone(conn);
      validateForDriver(driver, { connection_args: args }, ['body'], warnings);
      const timeout = Number(args.timeout ?? 30) + 5;
      const result = await driver.test(args, { log: this.log, signal: AbortSignal.timeout(timeout * 1000) });
      return { success: true, latency: (performance.now() - started) / 1000, error: null, result, timestamp: ts };
    } catch (e) {
      if (e instanceof NetPulseError && (e.code === 'NP_ERR_VALIDATION' || e.code === 'NP_ERR_UNKNOWN_DRIVER')) throw e;
      const msg = e instanceof Error ? e.message : String(e);
      return {
        success: false,
        latency: (performance.now() - started) / 1000,
        error: scrubText(msg),
        result: null,
        timestamp: ts,
      };
    }
  }
}

export interface DeviceTestData {
  success: boolean;
  latency: number;
  error: string | null;
  result: Record<string, unknown> | null;
  timestamp: string;
  connection_time: number;
  error_message: string | null;
  device_info: Record<string, unknown> | null;
}

function withDocumentedNames(
  d: Omit<DeviceTestData, 'connection_time' | 'error_message' | 'device_info'>,
): DeviceTestData {
  return { ...d, connection_time: d.latency, error_message: d.error, device_info: d.result };
}

function toFilter(q: Record<string, unknown>): JobFilter {
  const s = (k: string) => (typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string) : undefined);
  const ids = s('id')
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  return {
    ...(ids && ids.length > 1 ? { ids: [...new Set(ids)] } : { id: ids?.[0] }),
    batch: s('batch'),
    queue: s('queue'),
    status: s('status') as JobFilter['status'],
    node: s('node'),
    host: s('host'),
    limit: q.limit as number | undefined,
    offset: q.offset as number | undefined,
  };
}

function workerMatches(w: Record<string, unknown>, q: Record<string, unknown>): boolean {
  const queues = w.queues as string[];
  if (q.name && w.name !== q.name) return false;
  if (q.queue && !queues.includes(String(q.queue))) return false;
  if (q.node && w.node !== q.node && !queues.includes(nodeQueue(String(q.node)))) return false;
  if (q.host && !queues.includes(hostQueue(String(q.host)))) return false;
  return true;
}
