import { NetPulseError } from '../../../core/errors.ts';
import type { DriverContext, DriverRequest, DriverRequestBase, DriverSession } from '../../../core/contracts/driver.ts';
import { commandSpan } from '../../../core/observability/tracing.ts';
import { isOutputLimit, withPartialOutput } from '../../../core/drivers/output-caps.ts';
import { abortError } from './channel.ts';
import type { NetmikoConnection } from './operations.ts';
import {
  globalCmdVerifyOf,
  resolveCommandOptions,
  resolveConfigOptions,
  type CommandOptions,
  type ConfigOptions,
  type ConnectionSettings,
} from './options.ts';

const PROBE_TIMEOUT_MS = 5_000;

/** `driver_args` resolved once per request into the options of its operation (see `prepare`). */
export type NetmikoPrepared =
  | { operation: 'command'; options: CommandOptions }
  | { operation: 'config'; options: ConfigOptions };

/** Resolves a request's driver_args for its operation; throws a 400 validation error on bad values. */
export function prepareOptions(req: DriverRequestBase): NetmikoPrepared {
  const globalCmdVerify = globalCmdVerifyOf(req.connection_args ?? {});
  const da = req.driver_args ?? {};
  return req.operation === 'command'
    ? { operation: 'command', options: resolveCommandOptions(da, globalCmdVerify) }
    : { operation: 'config', options: resolveConfigOptions(da, globalCmdVerify) };
}

function isPrepared(p: unknown, operation: 'command' | 'config'): p is NetmikoPrepared {
  return (
    typeof p === 'object' &&
    p !== null &&
    (p as NetmikoPrepared).operation === operation &&
    typeof (p as NetmikoPrepared).options === 'object'
  );
}

/** The prepared options of `req`, or (for callers that drive a session directly) resolved now. */
function preparedOf(req: DriverRequest): NetmikoPrepared {
  return isPrepared(req.prepared, req.operation) ? req.prepared : prepareOptions(req);
}

/** A pinned-capable session: operations are serialised, aborts close it, dirty state is resynced. */
export class NetmikoSession implements DriverSession<NetmikoPrepared> {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    readonly connection: NetmikoConnection,
    private readonly settings: ConnectionSettings,
  ) {}

  get alive(): boolean {
    return !this.closed && this.connection.alive;
  }

  /** The prompt as netmiko's find_prompt returns it (trimmed, terminator included). */
  get prompt(): string {
    return this.connection.prompt;
  }

  async send(commands: string[], req: DriverRequest, ctx: DriverContext): Promise<Record<string, string>> {
    const prepared = preparedOf(req);
    if (prepared.operation !== 'command') throw new NetPulseError('NP_ERR_VALIDATION', 'send needs a command request');
    const o = prepared.options;
    return this.run(ctx, async (conn, signal) => {
      conn.channel.beginJob();
      const result: Record<string, string> = {};
      const escalated = req.options?.enable_mode === true ? await conn.enable(signal) : false;
      try {
        for (const cmd of commands) {
          try {
            result[cmd] = await commandSpan(cmd, () => conn.sendCommand(cmd, o, signal));
          } catch (e) {
            // An output cap keeps what fit: the commands before and this one's text so far.
            if (isOutputLimit(e)) result[cmd] = conn.channel.peek();
            throw withPartialOutput(e, result);
          }
        }
      } finally {
        if (escalated && !conn.dirty && conn.alive) await conn.exitEnable(signal);
        conn.channel.endJob();
      }
      return result;
    });
  }

  async config(lines: string[], req: DriverRequest, ctx: DriverContext): Promise<string[]> {
    const prepared = preparedOf(req);
    if (prepared.operation !== 'config') throw new NetPulseError('NP_ERR_VALIDATION', 'config needs a config request');
    const o = prepared.options;
    const save = req.options?.save === true;
    const platform = this.settings.platform;
    return this.run(ctx, async (conn, signal) => {
      conn.channel.beginJob();
      const escalated = req.options?.enable_mode === true ? await conn.enable(signal) : false;
      try {
        const commits = platform.commit !== null;
        const result = [await conn.sendConfigSet(lines, o, signal, commits)];
        if (commits) result.push(await conn.commit(signal, o.exitConfigMode));
        if (save) result.push(await conn.save(signal));
        return result;
      } finally {
        if (escalated && !conn.dirty && conn.alive) await conn.exitEnable(signal);
        conn.channel.endJob();
      }
    });
  }

  async probe(ctx: DriverContext): Promise<boolean> {
    if (!this.alive) return false;
    try {
      return await this.serialise(async () => {
        if (this.connection.dirty) await this.connection.resync(ctx.signal);
        await this.connection.findPrompt(PROBE_TIMEOUT_MS, ctx.signal);
        return true;
      });
    } catch {
      return false;
    }
  }

  async reset(ctx: DriverContext): Promise<void> {
    if (!this.alive) return;
    await this.serialise(async () => {
      this.connection.channel.drain();
      if (this.connection.dirty) {
        try {
          await this.connection.resync(ctx.signal);
        } catch {
          // The device is still busy or gone: this session cannot be trusted any more.
          this.closeNow();
        }
      }
    });
  }

  async close(): Promise<void> {
    this.closeNow();
  }

  private closeNow(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.close();
  }

  private serialise<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs one job step: resync if dirty, abort closes the session, a closed stream closes it too. */
  private run<T>(ctx: DriverContext, fn: (conn: NetmikoConnection, signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.serialise(async () => {
      if (!this.alive)
        throw new NetPulseError('NP_ERR_DEVICE_CLOSED', `The session to ${this.settings.host} is closed`);
      const signal = ctx.signal;
      if (signal.aborted) {
        this.closeNow();
        throw abortError(signal, 'the start of the operation');
      }
      const onAbort = (): void => this.closeNow();
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        if (this.connection.dirty) {
          try {
            await this.connection.resync(signal);
          } catch (e) {
            this.closeNow();
            throw new NetPulseError(
              'NP_ERR_DEVICE_CLOSED',
              `The session to ${this.settings.host} did not recover from an earlier failure and was closed: ${(e as Error).message}`,
            );
          }
        }
        return await fn(this.connection, signal);
      } catch (e) {
        if (signal.aborted) this.closeNow();
        if (e instanceof NetPulseError && e.code === 'NP_ERR_DEVICE_CLOSED') this.closeNow();
        throw e;
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    });
  }
}
