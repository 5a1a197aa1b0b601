import { existsSync, readFileSync, statSync } from 'node:fs';
import { type Command, Option, type OptionValues } from 'commander';
import { NetPulseClient } from '../../client/client.ts';
import { describeFailure, UsageError } from './exit.ts';
import { FORMATS, Output } from './output.ts';
import { resolveTarget, type ServerTarget } from './profile.ts';

export interface Ctx {
  client: NetPulseClient;
  out: Output;
  target: ServerTarget;
}

/** Options every client command takes; the environment variable each reads is in its help. */
function addClientOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--url <url>', 'NetPulse server URL').env('NETPULSE_URL'))
    .addOption(new Option('--api-key <key>', 'API key (sent as X-API-KEY)').env('NETPULSE_API_KEY'))
    .addOption(new Option('--profile <name>', 'profile of ~/.config/netpulse/config.yaml').env('NETPULSE_PROFILE'))
    .addOption(new Option('-o, --output <format>', 'output format').choices([...FORMATS]).default('table'))
    .option('-q, --quiet', 'no progress or summary lines on stderr')
    .option('--no-color', 'no colours even on a terminal (NO_COLOR is honoured too)');
}

/**
 * A client sub-command: common options, then `run` with a client and an output; whatever it
 * returns (or the error it throws, as one line on stderr) decides the exit code.
 */
export function clientCommand(
  parent: Command,
  nameAndArgs: string,
  description: string,
  build: (cmd: Command) => Command,
  run: (ctx: Ctx, opts: OptionValues, args: string[]) => Promise<number>,
): Command {
  const cmd = addClientOptions(build(parent.command(nameAndArgs).description(description)));
  cmd.action(async (...a: unknown[]) => {
    const command = a[a.length - 1] as Command;
    const opts = command.opts();
    const args = (a.slice(0, -2) as (string | string[] | undefined)[]).flatMap((x) =>
      x === undefined ? [] : Array.isArray(x) ? x : [x],
    );
    let code: number;
    let out: Output | null = null;
    try {
      out = new Output({ output: opts.output, quiet: opts.quiet, color: opts.color });
      const target = resolveTarget({ url: opts.url, apiKey: opts.apiKey, profile: opts.profile });
      const client = new NetPulseClient({ url: target.url, apiKey: target.apiKey, apiKeyHeader: target.apiKeyHeader });
      code = await run({ client, out, target }, opts, args);
    } catch (e) {
      const f = describeFailure(e);
      const path: string[] = [];
      for (let c: Command | null = command; c?.parent; c = c.parent) path.unshift(c.name());
      process.stderr.write(`netpulse ${path.join(' ')}: ${f.line}\n`);
      code = f.code;
    }
    process.exitCode = code;
  });
  return cmd;
}

/** A JSON option value: inline JSON, or `@path` to read it from a file. */
export function jsonOption(value: string | undefined, what: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (e) {
      throw new UsageError(
        `${what}: cannot read ${value.slice(1)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('expected a JSON object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`${what} is not a JSON object: ${(e as Error).message}`);
  }
}

/**
 * A template argument: a local file is inlined (as the reference client does); anything else —
 * inline text, `file://` or `http(s)://` sources the server resolves — is passed through.
 */
export function templateArg(value: string): string {
  if (
    !/^(file|https?):\/\//.test(value) &&
    !value.includes('\n') &&
    value.length < 4096 &&
    existsSync(value) &&
    statSync(value).isFile()
  ) {
    return readFileSync(value, 'utf8');
  }
  return value;
}

/** Repeatable option collector. */
export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** Integer option parser with a usage error. */
export function intArg(v: string): number {
  if (!/^\d+$/.test(v)) throw new UsageError(`expected a whole number, got "${v}"`);
  return Number(v);
}

/** The connection flags shared by exec, test and bulk (bulk uses them as defaults for every device). */
export function addConnectionOptions(cmd: Command, hostRequired: boolean): Command {
  if (hostRequired) cmd.requiredOption('--host <host>', 'device address');
  return cmd
    .option('--driver <name>', 'driver: netmiko, napalm, pyeapi, paramiko or a plugin', 'netmiko')
    .option('--device-type <type>', 'platform, e.g. cisco_ios, arista_eos, linux')
    .option('--username <name>', 'device user name')
    .addOption(new Option('--password <password>', 'device password').env('NETPULSE_DEVICE_PASSWORD'))
    .option('--port <port>', 'device port', intArg)
    .option('--connection-args <json>', 'more connection_args as JSON (or @file)');
}

export function connectionArgs(opts: OptionValues, host?: string): Record<string, unknown> {
  const c: Record<string, unknown> = { ...(jsonOption(opts.connectionArgs, '--connection-args') ?? {}) };
  if (host) c.host = host;
  if (opts.deviceType) c.device_type = opts.deviceType;
  if (opts.username) c.username = opts.username;
  if (opts.password) c.password = opts.password;
  if (opts.port !== undefined) c.port = opts.port;
  return c;
}

/** Job request fields shared by exec and bulk. */
export function addJobOptions(cmd: Command): Command {
  return cmd
    .option('-c, --command <line>', 'command to run (repeatable)', collect)
    .option('--config <line>', 'configuration line to apply (repeatable)', collect)
    .option('--driver-args <json>', 'driver_args as JSON (or @file)')
    .option('--parse <engine>', 'parse the output: textfsm, ttp, …')
    .option('--parse-template <template>', 'parser template: a local file, inline text or a file:// source')
    .option('--queue-strategy <strategy>', 'fifo or pinned')
    .option('--ttl <seconds>', 'seconds the job may wait in the queue', intArg)
    .option('--execution-timeout <seconds>', 'seconds the job may run', intArg)
    .option('--save', 'save the configuration after a config change')
    .option('--dry-run', 'show what a config change would do without applying it');
}

export function jobFields(opts: OptionValues): Record<string, unknown> {
  const cmds = opts.command as string[] | undefined;
  const cfg = opts.config as string[] | undefined;
  if (!!cmds === !!cfg) throw new UsageError('give exactly one of --command or --config (each may repeat)');
  const body: Record<string, unknown> = cmds ? { command: cmds.length === 1 ? cmds[0] : cmds } : { config: cfg };
  const da = jsonOption(opts.driverArgs, '--driver-args');
  if (da) body.driver_args = da;
  if (opts.parse)
    body.parsing = { name: opts.parse, template: opts.parseTemplate ? templateArg(opts.parseTemplate) : '' };
  else if (opts.parseTemplate) throw new UsageError('--parse-template needs --parse <engine>');
  if (opts.queueStrategy) {
    if (!['fifo', 'pinned'].includes(opts.queueStrategy))
      throw new UsageError('--queue-strategy must be fifo or pinned');
    body.queue_strategy = opts.queueStrategy;
  }
  if (opts.ttl !== undefined) body.ttl = opts.ttl;
  if (opts.executionTimeout !== undefined) body.execution_timeout = opts.executionTimeout;
  if (opts.save) body.save = true;
  if (opts.dryRun) body.dry_run = true;
  return body;
}

/** Seconds elapsed since `t0`, one decimal. */
export const since = (t0: number): string => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
