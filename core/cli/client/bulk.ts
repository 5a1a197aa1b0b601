import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { NetPulseClient } from '../../client/client.ts';
import { isEnded } from '../../client/client.ts';
import type { Job } from '../../client/types.ts';
import {
  addConnectionOptions,
  addJobOptions,
  clientCommand,
  connectionArgs,
  intArg,
  jobFields,
  since,
} from './common.ts';
import { readDevices } from './devices.ts';
import { EXIT, UsageError } from './exit.ts';
import { jobRow, outputText, succeeded } from './jobs-view.ts';
import type { Output } from './output.ts';

const COLUMNS = ['host', 'status', 'duration', 'job_id', 'error', 'output'];
const PAGE = 10_000;

/** `netpulse bulk`: one job per device of a CSV/YAML/JSON file, followed live to a summary. */
export function registerBulkCommand(program: Command): void {
  clientCommand(
    program,
    'bulk',
    'Run the same commands or configuration on every device of a file, with live progress',
    (c) =>
      addJobOptions(addConnectionOptions(c, false))
        .requiredOption(
          '-d, --devices <file>',
          'devices: .csv (host,username,password,device_type,port,… or the reference sheet), .yaml or .json',
        )
        .option('--no-wait', 'queue and print the batch id without following it')
        .option(
          '--wait-timeout <seconds>',
          'stop following after this long (unfinished devices count as failed)',
          intArg,
        )
        .option('--export <dir>', 'write one file per device into this directory')
        .option('--export-format <format>', 'txt (output or error text) or json (the whole job)', 'txt')
        .addHelpText(
          'after',
          [
            '',
            'Columns of a devices CSV: host (required), username, password, device_type, port, and any other',
            'connection field as a per-device override (secret, timeout, …). Empty cells use the flags above.',
            '',
            'Example:',
            "  netpulse bulk --devices devices.csv --driver netmiko --command 'show version' --export results/",
          ].join('\n'),
        ),
    async ({ client, out }, opts) => {
      if (!['txt', 'json'].includes(opts.exportFormat)) throw new UsageError('--export-format must be txt or json');
      const devices = readDevices(opts.devices);
      const t0 = Date.now();
      const body = { driver: opts.driver, connection_args: connectionArgs(opts), devices, ...jobFields(opts) };
      const r = await client.bulk(body as never);
      const notQueued = r.failed.map((host) => ({ host, reason: r.reasons[host] ?? 'not queued' }));
      for (const n of notQueued) out.info(`${out.paint('red', '✗', true)} ${n.host}: not queued — ${n.reason}`);
      out.info(`batch ${r.batch_id}: ${r.succeeded.length} of ${devices.length} devices queued`);
      if (!opts.wait) {
        out.records(
          r.succeeded.map((j) => ({ ...jobRow(j), job_id: j.id })),
          ['host', 'status', 'job_id'],
          [r],
        );
        return notQueued.length ? EXIT.FAILED : EXIT.OK;
      }
      const jobs = r.succeeded.length
        ? await follow(client, out, r.batch_id, r.succeeded.length, opts.waitTimeout)
        : [];
      const byId = new Map(jobs.map((j) => [j.id, j]));
      const final = r.succeeded.map((q) => byId.get(q.id) ?? q);
      if (opts.export) exportResults(opts.export, opts.exportFormat, final);

      const ok = final.filter(succeeded).length;
      const failed = final.filter((j) => isEnded(j.status) && !succeeded(j)).length;
      const unfinished = final.length - ok - failed;
      const parts = [`${ok} ok`, `${failed} failed`];
      if (notQueued.length) parts.push(`${notQueued.length} not queued`);
      if (unfinished) parts.push(`${unfinished} unfinished`);
      out.info(
        `${devices.length} devices: ${parts.join(', ')} in ${since(t0)}` +
          (opts.export ? ` — results in ${resolve(opts.export)}` : ''),
      );
      const rows = [
        ...final.map((j) => ({ ...jobRow(j), job_id: j.id })),
        ...notQueued.map((n) => ({ host: n.host, status: 'not queued', error: n.reason })),
      ];
      const full = [...final, ...notQueued.map((n) => ({ host: n.host, status: 'not queued', error: n.reason }))];
      out.records(rows, COLUMNS, full);
      return ok === devices.length ? EXIT.OK : EXIT.FAILED;
    },
  );
}

/**
 * Follows the batch over the event stream (polling if unavailable): a progress bar with ETA on a
 * terminal, otherwise a progress line at most every 2 s; one line per device as it ends. Returns
 * every job of the batch as it finally is.
 */
async function follow(
  client: NetPulseClient,
  out: Output,
  batch: string,
  total: number,
  timeoutS?: number,
): Promise<Job[]> {
  // The ETA is the server's (GET /batch/{id}: pace of the batch so far), not the bar's own guess.
  const bar = out.interactive
    ? new cliProgress.SingleBar(
        {
          stream: out.stderr,
          hideCursor: true,
          clearOnComplete: false,
          format: ' {bar} {percentage}% | {value}/{total} devices | {failed} failed | ETA {remaining}',
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(total, 0, { failed: 0, remaining: '?' });
  /** A line above the bar: clear the bar's line, print, let the bar redraw below. */
  const above = (line: string) => {
    out.stderr.write(`\r\x1b[2K${line}\n`);
    bar?.render();
  };
  const reported = new Set<string>();
  const report = (j: Job) => {
    if (reported.has(j.id) || !isEnded(j.status)) return;
    reported.add(j.id);
    const mark = succeeded(j) ? out.paint('green', '✓', true) : out.paint('red', '✗', true);
    const what = succeeded(j) ? firstLine(outputText(j.result?.retval)) : (j.result?.error?.message ?? j.status);
    const took = typeof j.duration === 'number' ? ` ${j.duration.toFixed(2)} s` : '';
    const line = `${mark} ${j.host} ${out.status(j.status, true)}${took} — ${what}`;
    if (bar?.isActive) above(line);
    else out.info(line);
  };
  let lastLine = 0;
  try {
    await client.waitForBatch(batch, {
      timeoutMs: timeoutS ? timeoutS * 1000 : undefined,
      onEvent: (e) => report(e.job),
      onProgress: (b) => {
        const ended = b.counts.finished + b.counts.failed + b.counts.canceled;
        const failed = b.counts.failed + b.counts.canceled;
        if (bar) bar.update(ended, { failed, remaining: b.eta_seconds === null ? '?' : `${b.eta_seconds} s` });
        else if (!out.quiet && (Date.now() - lastLine > 2000 || b.done)) {
          lastLine = Date.now();
          const eta = b.eta_seconds === null ? '?' : `${b.eta_seconds} s`;
          out.info(`progress: ${ended}/${b.total} ended, ${failed} failed, ETA ${eta}`);
        }
      },
    });
  } catch (e) {
    const name = (e as Error)?.name;
    if (name !== 'TimeoutError' && name !== 'AbortError') throw e;
    out.info(`stopped following after ${timeoutS} s`);
  } finally {
    bar?.stop();
  }
  const jobs: Job[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await client.jobs({ batch, limit: PAGE, offset });
    jobs.push(...page);
    if (page.length < PAGE) break;
  }
  // Devices whose end arrived while polling (no stream) get their line now.
  for (const j of jobs.sort((a, b) => String(a.host).localeCompare(String(b.host)))) report(j);
  return jobs;
}

function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim()) ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

/** One file per device: `<host>.txt` (output, or the error) or `<host>.json` (the whole job). */
function exportResults(dir: string, format: 'txt' | 'json', jobs: Job[]): void {
  mkdirSync(dir, { recursive: true });
  for (const j of jobs) {
    const name = String(j.host ?? j.id)
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^\.+/, '_');
    const body =
      format === 'json'
        ? `${JSON.stringify(j, null, 2)}\n`
        : `${succeeded(j) ? outputText(j.result?.retval) : failureText(j)}\n`;
    writeFileSync(join(dir, `${name}.${format}`), body);
  }
}

function failureText(j: Job): string {
  const err = j.result?.error;
  return `${j.status}: ${err ? `${err.type}: ${err.message}` : 'no result'}`;
}
