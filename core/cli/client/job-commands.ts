import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { isEnded } from '../../client/client.ts';
import type { JobEvent } from '../../client/types.ts';
import { clientCommand, intArg } from './common.ts';
import { printEnded } from './device-commands.ts';
import { EXIT, UsageError } from './exit.ts';
import { JOB_COLUMNS, jobRow, succeeded } from './jobs-view.ts';

const WORKER_COLUMNS = [
  'name',
  'status',
  'node',
  'hostname',
  'queues',
  'sessions',
  'successful_job_count',
  'failed_job_count',
  'last_heartbeat',
];

/** `netpulse job list|get|cancel|watch` and `netpulse worker list|stop`. */
export function registerJobCommands(program: Command): void {
  const job = program.command('job').description('List, inspect, cancel and follow jobs');
  clientCommand(
    job,
    'list',
    'List jobs, newest first',
    (c) =>
      c
        .option('--status <status>', 'queued, started, finished, failed or canceled')
        .option('--host <host>', 'jobs of this device')
        .option('--queue <queue>', 'jobs of this queue (FifoQ, HostQ_<host>)')
        .option('--node <node>', 'jobs of this worker node')
        .option('--batch <id>', 'jobs of this bulk request')
        .option('--limit <n>', 'at most this many', intArg, 100)
        .option('--offset <n>', 'skip this many', intArg),
    async ({ client, out }, o) => {
      const jobs = await client.jobs({
        status: o.status,
        host: o.host,
        queue: o.queue,
        node: o.node,
        batch: o.batch,
        limit: o.limit,
        offset: o.offset,
      });
      out.records(jobs.map(jobRow), JOB_COLUMNS, jobs);
      return EXIT.OK;
    },
  );

  clientCommand(
    job,
    'get <id...>',
    'Show jobs by id (with their results)',
    (c) => c,
    async ({ client, out }, _o, ids) => {
      const jobs = await client.jobs({ id: ids });
      if (out.format === 'table') {
        for (const j of jobs) out.records([jobRow(j)], JOB_COLUMNS);
        for (const j of jobs) if (isEnded(j.status)) printEnded(out, j);
      } else out.records(jobs.map(jobRow), JOB_COLUMNS, jobs);
      const missing = ids.filter((id) => !jobs.some((j) => j.id === id));
      for (const id of missing) out.info(`job ${id} not found`);
      return missing.length ? EXIT.FAILED : EXIT.OK;
    },
  );

  clientCommand(
    job,
    'cancel [id...]',
    'Cancel queued jobs by id, or every queued job of a host, queue or node',
    (c) =>
      c
        .option('--host <host>', 'queued jobs of this device')
        .option('--queue <queue>', 'queued jobs of this queue')
        .option('--node <node>', 'queued jobs of this node'),
    async ({ client, out }, o, ids) => {
      if (!ids.length && !o.host && !o.queue && !o.node)
        throw new UsageError('name job ids, or --host, --queue or --node');
      const canceled: string[] = [];
      for (const id of ids) canceled.push(...(await client.cancelJobs({ id })));
      if (o.host || o.queue || o.node)
        canceled.push(...(await client.cancelJobs({ host: o.host, queue: o.queue, node: o.node })));
      out.info(`${canceled.length} job(s) canceled`);
      out.records(
        canceled.map((id) => ({ id })),
        ['id'],
        canceled,
      );
      return EXIT.OK;
    },
  );

  clientCommand(
    job,
    'watch [id]',
    'Follow a job (or a whole batch) live until it ends',
    (c) =>
      c
        .option('--batch <id>', 'follow every job of this bulk request')
        .option('--timeout <seconds>', 'give up after this long', intArg),
    async ({ client, out }, o, ids) => {
      if (!!ids[0] === !!o.batch) throw new UsageError('give a job id or --batch <id>');
      const timeoutMs = o.timeout ? o.timeout * 1000 : undefined;
      const printEvent = (e: JobEvent) => {
        if (out.format === 'jsonl' || out.format === 'json') return out.text(JSON.stringify(e));
        const j = e.job;
        const where = j.node ? ` on ${j.node}` : '';
        out.info(
          `${new Date().toISOString().slice(11, 19)} ${out.status(e.type.slice(4), true)} ${j.host ?? ''} ${j.id}${where}`,
        );
      };
      if (ids[0]) {
        const done = await client.waitForJob(ids[0], { timeoutMs, onEvent: printEvent });
        if (out.format === 'table') printEnded(out, done);
        else if (out.format !== 'jsonl' && out.format !== 'json') out.records([jobRow(done)], JOB_COLUMNS, [done]);
        return succeeded(done) ? EXIT.OK : EXIT.FAILED;
      }
      const bar = out.interactive
        ? new cliProgress.SingleBar(
            { stream: out.stderr, format: ' {bar} {value}/{total} | ETA {remaining}' },
            cliProgress.Presets.shades_classic,
          )
        : null;
      let started = false;
      const b = await client.waitForBatch(o.batch, {
        timeoutMs,
        onEvent: bar ? undefined : printEvent,
        onProgress: (x) => {
          const ended = x.counts.finished + x.counts.failed + x.counts.canceled;
          if (bar && !started) {
            bar.start(x.total, ended, { remaining: etaText(x.eta_seconds) });
            started = true;
          } else bar?.update(ended, { remaining: etaText(x.eta_seconds) });
        },
      });
      bar?.stop();
      out.record(b as unknown as Record<string, unknown>);
      return b.counts.failed + b.counts.canceled === 0 ? EXIT.OK : EXIT.FAILED;
    },
  );

  // `netpulse worker` alone runs a worker node; `worker list|stop` manage the workers of a server.
  const worker = program.commands.find((c) => c.name() === 'worker') ?? program.command('worker');
  worker.description(`${worker.description() || 'Workers'}; \`worker list|stop\` manage the workers of a server`);
  clientCommand(
    worker,
    'list',
    'List the workers of every node',
    (c) =>
      c
        .option('--node <node>', 'workers of this node')
        .option('--host <host>', 'the worker pinned to this device')
        .option('--queue <queue>', 'workers of this queue'),
    async ({ client, out }, o) => {
      const ws = (await client.workers({ node: o.node, host: o.host, queue: o.queue })) as Record<string, unknown>[];
      out.records(ws, WORKER_COLUMNS, ws);
      return EXIT.OK;
    },
  );
  clientCommand(
    worker,
    'stop [name]',
    'Stop a worker by name, or every worker of a node, host or queue',
    (c) =>
      c
        .option('--node <node>', 'workers of this node')
        .option('--host <host>', 'the worker pinned to this device')
        .option('--queue <queue>', 'workers of this queue'),
    async ({ client, out }, o, names) => {
      if (!names[0] && !o.node && !o.host && !o.queue)
        throw new UsageError('name a worker, or --node, --host or --queue');
      const stopped = await client.stopWorkers({ name: names[0], node: o.node, host: o.host, queue: o.queue });
      out.info(`${stopped.length} worker(s) asked to stop`);
      out.records(
        stopped.map((name) => ({ name })),
        ['name'],
        stopped,
      );
      return EXIT.OK;
    },
  );
}

/** The server's ETA of a batch, for the progress bar. */
const etaText = (s: number | null): string => (s === null ? '?' : `${s} s`);
