import { outputCaps, type DriverOutputCaps } from '../../../core/drivers/output-caps.ts';
import { readFile } from 'node:fs/promises';
import type { ConnectionArgs, Logger, QueueStrategy } from '../../../core/contracts/common.ts';
import type {
  Driver,
  DriverContext,
  DriverRequest,
  DriverRequestBase,
  DriverSession,
} from '../../../core/contracts/driver.ts';
import { NetPulseError, validationError, type ValidationItem } from '../../../core/errors.ts';
import { EapiClient, EapiCommandError, type EapiCommand, type EapiFormat } from './client.ts';
import { pyeapiSchemas } from './schemas.ts';
import { resolveSettings, sessionKeyOf, settingsProblems, type PyeapiSettings } from './settings.ts';

/**
 * Arista eAPI driver with pyeapi's observable behaviour; unlike the reference: `test()`
 * contacts the device, driver_args never collide with connection_args, `save` does not touch the
 * caller's payload. A session is an HTTP keep-alive agent; eAPI itself is stateless per request,
 * so every request re-sends `enable` (and `configure`) as pyeapi does.
 */

/** eAPI "unconverted command": the command has no JSON model; pyeapi reruns it as text. */
const UNCONVERTED = 1003;
const PROBE_TIMEOUT_MS = 10_000;

/** One entry of a `send` result, as pyeapi's `Node.enable` returns it. */
export interface EnableResult {
  command: string;
  result: Record<string, unknown>;
  encoding: EapiFormat;
}

interface Flags {
  autoComplete?: boolean;
  expandAliases?: boolean;
}

function flagsOf(args: Record<string, unknown>): Flags {
  const f: Flags = {};
  if (typeof args.autoComplete === 'boolean') f.autoComplete = args.autoComplete;
  if (typeof args.expandAliases === 'boolean') f.expandAliases = args.expandAliases;
  return f;
}

/** pyeapi's multiline form: `banner login MULTILINE: text` → `{cmd:'banner login', input:'text\n'}`. */
export function toEapiCommand(line: string): EapiCommand {
  const i = line.indexOf('MULTILINE:');
  if (i < 0) return line;
  return { cmd: line.slice(0, i).trim(), input: `${line.slice(i + 'MULTILINE:'.length).trim()}\n` };
}

const CONFIGURE = /^\s*configure(\s+terminal)?\s*$/i;

export class PyeapiSession implements DriverSession {
  constructor(
    readonly client: EapiClient,
    private readonly settings: PyeapiSettings,
  ) {}

  get alive(): boolean {
    return !this.client.isClosed;
  }

  private enableCommand(): EapiCommand {
    return this.settings.secret ? { cmd: 'enable', input: this.settings.secret } : 'enable';
  }

  /**
   * Runs `cmds` (with `enable` first when asked) and returns their results without enable's.
   * A failing prepended `enable` is an authentication problem (wrong or missing secret).
   */
  private async run(
    cmds: EapiCommand[],
    format: EapiFormat,
    enable: boolean,
    flags: Flags,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>[]> {
    const sent = enable ? [this.enableCommand(), ...cmds] : cmds;
    try {
      const results = await this.client.runCmds(sent, { format, ...flags }, signal);
      return enable ? results.slice(1) : results;
    } catch (e) {
      if (e instanceof EapiCommandError && enable && e.results?.length === 1) {
        throw new NetPulseError(
          'NP_ERR_DEVICE_AUTH',
          `enable failed on eAPI at ${this.client.url}${this.settings.secret ? '' : ' (no secret set)'}: ${e.message}`,
          { cause: e },
        );
      }
      throw e;
    }
  }

  /**
   * pyeapi `Node.enable(commands, encoding)`: a list of `{command, result, encoding}`. Commands go
   * in one request; with json, a command without a JSON model (1003) is rerun alone as text and
   * the rest continues in json, so each command runs once as pyeapi's per-command loop does.
   */
  async send(commands: string[], req: DriverRequest, ctx: DriverContext): Promise<EnableResult[]> {
    const bad = commands.findIndex((c) => CONFIGURE.test(c));
    if (bad >= 0)
      throw validationError([
        {
          loc: ['command', bad],
          msg: 'configuration mode is not available in a command request; send the lines as `config`',
        },
      ]);
    const encoding: EapiFormat = req.driver_args.encoding === 'text' ? 'text' : 'json';
    const flags = flagsOf(req.driver_args);
    const enable = req.options.enable_mode !== false;
    const out: EnableResult[] = [];
    let i = 0;
    while (i < commands.length) {
      const rest = commands.slice(i);
      try {
        const results = await this.run(rest.map(toEapiCommand), encoding, enable, flags, ctx.signal);
        for (const [k, result] of results.entries()) out.push({ command: rest[k], result, encoding });
        break;
      } catch (e) {
        if (!(e instanceof EapiCommandError) || e.eapiCode !== UNCONVERTED || encoding !== 'json' || !e.results?.length)
          throw e;
        const done = e.results.slice(enable ? 1 : 0, -1);
        for (const [k, result] of done.entries()) out.push({ command: rest[k], result, encoding });
        const failed = i + done.length;
        const [text] = await this.run([toEapiCommand(commands[failed])], 'text', enable, flags, ctx.signal);
        out.push({ command: commands[failed], result: text, encoding: 'text' });
        i = failed + 1;
      }
    }
    return out;
  }

  /**
   * pyeapi `Node.config(lines)`: `configure`, the lines, `end` and, with `save`, `write memory`,
   * in one request. Returns one result per line, plus `write memory`'s when saving (the
   * reference appends it to the lines). The caller's list is never modified.
   */
  async config(lines: string[], req: DriverRequest, ctx: DriverContext): Promise<Record<string, unknown>[]> {
    const save = req.options.save === true;
    const enable = req.options.enable_mode !== false;
    const cmds: EapiCommand[] = ['configure', ...lines.map(toEapiCommand), 'end', ...(save ? ['write memory'] : [])];
    const results = await this.run(cmds, 'json', enable, flagsOf(req.driver_args), ctx.signal);
    const perLine = results.slice(1, 1 + lines.length);
    return save ? [...perLine, results[results.length - 1]] : perLine;
  }

  /** `show hostname` without enable; false on any failure. */
  async probe(ctx: DriverContext): Promise<boolean> {
    if (this.client.isClosed) return false;
    try {
      await this.client.runCmds(
        ['show hostname'],
        { format: 'json', timeoutMs: Math.min(this.settings.timeoutMs, PROBE_TIMEOUT_MS) },
        ctx.signal,
      );
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

async function readTlsFile(key: string, path: string | null): Promise<Buffer | undefined> {
  if (!path) return undefined;
  try {
    return await readFile(path);
  } catch {
    // No errno: the message must not tell a client which paths exist on the worker.
    throw new NetPulseError(
      'NP_ERR_DEVICE_CONNECT',
      `Cannot use ${key} '${path}' on the worker: missing or unreadable`,
    );
  }
}

export class PyeapiDriver implements Driver {
  readonly name = 'pyeapi';
  readonly defaultQueueStrategy: QueueStrategy = 'fifo';
  readonly schemas = pyeapiSchemas;

  constructor(
    private readonly log: Logger,
    private readonly caps: DriverOutputCaps = outputCaps(undefined),
  ) {}

  prepare(req: DriverRequestBase): void {
    const items: ValidationItem[] = settingsProblems(req.connection_args ?? {});
    if (req.operation === 'command' && req.options?.save === true) {
      items.push({ loc: ['save'], msg: '`save` applies to config requests only' });
    }
    if (items.length) throw validationError(items);
  }

  sessionKey(args: ConnectionArgs): string {
    return sessionKeyOf(args);
  }

  /** Cheap: no network I/O (eAPI has no login); reads the TLS files and builds the agent. */
  async connect(args: ConnectionArgs, ctx: DriverContext): Promise<PyeapiSession> {
    const settings = resolveSettings(args);
    if (ctx.signal.aborted) throw abortReason(ctx.signal);
    const [ca, cert, key] = await Promise.all([
      readTlsFile('ca_file', settings.caFile),
      readTlsFile('cert_file', settings.certFile),
      readTlsFile('key_file', settings.keyFile),
    ]);
    if (ctx.signal.aborted) throw abortReason(ctx.signal);
    const client = new EapiClient(
      {
        transport: settings.transport,
        host: settings.host,
        port: settings.port,
        username: settings.username,
        password: settings.password,
        timeoutMs: settings.timeoutMs,
        tls: {
          rejectUnauthorized: settings.verify === 'ca',
          ca,
          cert,
          key,
          ...(settings.verify === 'pin' ? { pin: { policy: settings.hostKeyPolicy } } : {}),
        },
        secrets: [settings.password, settings.secret],
        maxAnswerBytes: this.caps.job,
      },
      (ctx.log ?? this.log).child({ driver: this.name, host: settings.host }),
    );
    return new PyeapiSession(client, settings);
  }

  /** Contacts the device (the reference never contacted it): `show version` → model and EOS version. */
  async test(args: ConnectionArgs, ctx: DriverContext): Promise<Record<string, unknown>> {
    const session = await this.connect(args, ctx);
    try {
      const [ver] = await session.client.runCmds(['show version'], { format: 'json' }, ctx.signal);
      const out: Record<string, unknown> = {
        driver: this.name,
        host: session.client.endpoint.host,
        transport: session.client.endpoint.transport,
        port: session.client.endpoint.port,
        model: ver?.modelName,
        version: ver?.version,
      };
      for (const k of Object.keys(out)) if (out[k] === null || out[k] === undefined) delete out[k];
      return out;
    } finally {
      await session.close();
    }
  }
}

function abortReason(signal: AbortSignal): NetPulseError {
  const reason: unknown = signal.reason;
  if (reason instanceof NetPulseError) return reason;
  return new NetPulseError(
    'NP_ERR_DEVICE_TIMEOUT',
    `Aborted before connecting: ${reason instanceof Error ? reason.message : String(reason ?? 'aborted')}`,
  );
}
