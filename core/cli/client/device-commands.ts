import type { Command } from 'commander';
import type { Job } from '../../client/types.ts';
import {
  addConnectionOptions,
  addJobOptions,
  clientCommand,
  connectionArgs,
  intArg,
  jobFields,
  jsonOption,
  templateArg,
} from './common.ts';
import { EXIT, UsageError } from './exit.ts';
import { JOB_COLUMNS, jobRow, outputText, succeeded } from './jobs-view.ts';
import { readFileSync } from 'node:fs';

/** `netpulse exec`, `test`, `render`, `parse`. */
export function registerDeviceCommands(program: Command): void {
  clientCommand(
    program,
    'exec',
    'Run commands or a configuration change on one device',
    (c) =>
      addJobOptions(addConnectionOptions(c, true))
        .option('-w, --wait', 'wait for the job to end and print its output')
        .option('--wait-timeout <seconds>', 'give up waiting after this long', intArg)
        .addHelpText(
          'after',
          '\nExample:\n  netpulse exec --host 192.0.2.10 --device-type cisco_ios --username admin ' +
            "--password '…' \\\n    --command 'show version' --wait",
        ),
    async ({ client, out }, opts) => {
      const job = await client.exec({
        driver: opts.driver,
        connection_args: connectionArgs(opts, opts.host),
        ...jobFields(opts),
      } as never);
      if (!opts.wait) {
        out.info(`queued job ${job.id} on ${job.queue}`);
        out.records([jobRow(job)], JOB_COLUMNS, [job]);
        return EXIT.OK;
      }
      const done = await client.waitForJob(job.id, {
        timeoutMs: opts.waitTimeout ? opts.waitTimeout * 1000 : undefined,
      });
      printEnded(out, done);
      return succeeded(done) ? EXIT.OK : EXIT.FAILED;
    },
  );

  clientCommand(
    program,
    'test',
    'Connect to a device, identify it and disconnect (synchronous)',
    (c) => addConnectionOptions(c, true),
    async ({ client, out }, opts) => {
      const r = (await client.test({
        driver: opts.driver,
        connection_args: connectionArgs(opts, opts.host),
      } as never)) as Record<string, unknown>;
      if (out.format === 'table') {
        out.info(
          `${opts.host}: ${out.status(r.success ? 'ok' : 'failed', true)} in ${Number(r.latency).toFixed(2)} s` +
            (r.error ? ` — ${String(r.error)}` : ''),
        );
        if (r.result) out.record(r.result as Record<string, unknown>);
      } else out.record(r);
      return r.success ? EXIT.OK : EXIT.FAILED;
    },
  );

  clientCommand(
    program,
    'render',
    'Render a template on the server (jinja2 unless --engine)',
    (c) =>
      c
        .requiredOption('-t, --template <template>', 'template: a local file, inline text or a file:// source')
        .option('--engine <name>', 'renderer', 'jinja2')
        .option('--context <json>', 'variables as JSON (or @file)'),
    async ({ client, out }, opts) => {
      const r = await client.render({
        name: opts.engine,
        template: templateArg(opts.template),
        context: jsonOption(opts.context, '--context') ?? {},
      });
      if (typeof r === 'string' && out.format === 'table') out.text(r);
      else out.records([], [], [r]);
      return EXIT.OK;
    },
  );

  clientCommand(
    program,
    'parse',
    'Parse device output on the server (textfsm, ttp, …)',
    (c) =>
      c
        .requiredOption('--engine <name>', 'parser: textfsm, ttp, …')
        .option('-t, --template <template>', 'parser template: a local file, inline text or a file:// source')
        .option('-i, --input <file>', "text to parse ('-' for stdin)", '-')
        .option('--ntc-platform <platform>', 'use the ntc-templates index (textfsm) for this platform…')
        .option('--ntc-command <command>', '…and this command'),
    async ({ client, out }, opts) => {
      const input = opts.input === '-' ? readFileSync(0, 'utf8') : readText(opts.input);
      const body: Record<string, unknown> = {
        name: opts.engine,
        context: input,
        template: opts.template ? templateArg(opts.template) : '',
      };
      if (opts.ntcPlatform || opts.ntcCommand) {
        body.use_ntc_template = true;
        body.ntc_template_args = { platform: opts.ntcPlatform, command: opts.ntcCommand };
      } else if (!opts.template) throw new UsageError('give --template, or --ntc-platform and --ntc-command');
      const r = await client.parse(body as never);
      const rows = Array.isArray(r) ? (r as Record<string, unknown>[]) : [r as Record<string, unknown>];
      const columns = [...new Set(rows.flatMap((x) => (x && typeof x === 'object' ? Object.keys(x) : [])))];
      out.records(rows, columns, Array.isArray(r) ? r : [r]);
      return EXIT.OK;
    },
  );
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** An ended job for people (its output, or its error), or the whole job for scripts. */
export function printEnded(out: import('./output.ts').Output, j: Job): void {
  if (out.format !== 'table') {
    out.records([jobRow(j)], JOB_COLUMNS, [j]);
    return;
  }
  out.info(
    `${j.host ?? ''}: ${out.status(j.status, true)}` +
      (typeof j.duration === 'number' ? ` in ${j.duration.toFixed(2)} s` : '') +
      ` (job ${j.id})`,
  );
  if (j.result?.type === 1) out.text(outputText(j.result.retval));
  else if (j.result?.error) out.text(`${j.result.error.type}: ${j.result.error.message}`);
}
