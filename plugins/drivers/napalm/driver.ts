import type { ConnectionArgs, Logger, QueueStrategy } from '../../../core/contracts/common.ts';
import type {
  ConfigResult,
  Driver,
  DriverCapabilities,
  DriverContext,
  DriverRegistry,
  DriverRequest,
  DriverRequestBase,
  DriverSession,
  SendResult,
} from '../../../core/contracts/driver.ts';
import { NetPulseError } from '../../../core/errors.ts';
import { SessionCli } from './adapters/cli.ts';
import { SessionEapi } from './adapters/eapi.ts';
import { EapiOverCli } from './adapters/eapi-over-cli.ts';
import type { NapalmDevice } from './device.ts';
import { callGetter, getterArgs, gettersOf, implementedGetters, isGetter } from './getters/index.ts';
import { type NapalmPrepared, prepareNapalm, preparedOf } from './options.ts';
import { napalmSchemas } from './schemas.ts';
import {
  netmikoArgs,
  parserPlatformOf,
  pyeapiArgs,
  resolveSettings,
  sessionKeyOf,
  withHostAlias,
  type NapalmSettings,
} from './settings.ts';
import {
  closeTransactions,
  isTransactionMethod,
  runConfigTransaction,
  runTransactionMethod,
  type TransactionContext,
  type TransactionState,
} from './transactions/index.ts';

/**
 * NAPALM-style driver: NAPALM's getters and configuration transactions on our own transports.
 * SSH platforms run over a netmiko driver session, EOS over a pyeapi driver session (or netmiko
 * with `optional_args.transport: "ssh"`); both drivers are looked up in `DRIVER_REGISTRY` when a
 * session opens. A `command` names getters (allow-listed), transaction methods, or else plain
 * CLI commands (NAPALM's `cli()`); a `config` is one transaction.
 */

/** The job being run; adapters read it per call because a pinned session outlives jobs. */
export interface ContextRef {
  current: DriverContext;
}

export class NapalmSession implements DriverSession<NapalmPrepared> {
  private readonly txState: TransactionState = {};
  private closed = false;

  constructor(
    readonly settings: NapalmSettings,
    private readonly inner: DriverSession,
    readonly device: NapalmDevice,
    private readonly jobContext: ContextRef,
  ) {}

  private set ctx(ctx: DriverContext) {
    this.jobContext.current = ctx;
  }

  private get ctx(): DriverContext {
    return this.jobContext.current;
  }

  get alive(): boolean {
    return !this.closed && this.inner.alive;
  }

  /**
   * NAPALM's EOS `open()` reads `show version`; the version is kept in the transaction state
   * (`eos_version`). NAPALM refuses EOS before 4.23.0 at open because its config-session diff
   * needs it; here only the transactions refuse it, so getters keep working on older switches.
   */
  async readEosVersion(): Promise<void> {
    if (this.device.transport !== 'eapi') return;
    const [ver] = (await this.device.run(['show version'], 'json')) as Array<{ version?: unknown }>;
    if (typeof ver?.version === 'string') this.txState.eos_version = ver.version;
  }

  private txContext(ctx: DriverContext): TransactionContext {
    return { device: this.device, state: this.txState, log: ctx.log, signal: ctx.signal };
  }

  /** `{name: result}` per command, in order: getter, transaction method, or CLI output. */
  async send(commands: string[], req: DriverRequest, ctx: DriverContext): Promise<SendResult> {
    this.ctx = ctx;
    const opts = preparedOf(req);
    const out: Record<string, unknown> = {};
    for (const command of commands) {
      const name = command.trim();
      if (isGetter(name)) {
        const given = { ...(opts.getterArgs[name] ?? getterArgs(name, undefined)) };
        // EOS get_config shows the candidate of the transactions' open configuration session.
        if (name === 'get_config' && typeof this.txState.config_session === 'string')
          given.__config_session = this.txState.config_session;
        out[command] = await callGetter(this.device, name, given);
      } else if (isTransactionMethod(name)) {
        out[command] = await runTransactionMethod(this.txContext(ctx), name, opts.methodArgs[name] ?? {});
      } else {
        out[command] = await this.cli(command, opts.encoding);
      }
    }
    return out as SendResult;
  }

  /** NAPALM `cli([command])`: the raw output (EOS json encoding: the parsed object). */
  private async cli(command: string, encoding: 'json' | 'text'): Promise<unknown> {
    if (this.device.transport === 'ssh') return this.device.run(command);
    const [result] = await this.device.run([command], encoding);
    if (encoding === 'text' && result && typeof result === 'object' && 'output' in result)
      return (result as { output: unknown }).output;
    return result;
  }

  async config(lines: string[], req: DriverRequest, ctx: DriverContext): Promise<ConfigResult> {
    this.ctx = ctx;
    const tx = preparedOf(req).transaction;
    if (!tx) throw new NetPulseError('NP_ERR_VALIDATION', 'config needs a config request');
    return runConfigTransaction(this.txContext(ctx), { lines, ...tx });
  }

  probe(ctx: DriverContext): Promise<boolean> {
    return this.inner.probe(ctx);
  }

  async reset(ctx: DriverContext): Promise<void> {
    await this.inner.reset?.(ctx);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.inner.alive) await closeTransactions(this.txContext(this.ctx)).catch(() => undefined);
    await this.inner.close();
  }
}

export class NapalmDriver implements Driver<NapalmPrepared> {
  readonly name = 'napalm';
  /** Decision 6: pinned for the NAPALM-style driver (the reference's default is fifo). */
  readonly defaultQueueStrategy: QueueStrategy = 'pinned';
  readonly schemas = napalmSchemas;
  /**
   * Getters: every name implemented on at least one platform (a getter a platform lacks fails
   * the job with NP_ERR_NOT_IMPLEMENTED, docs/drivers/napalm.md lists them per platform).
   * Transactions on ios, eos, junos, iosxr (a config request elsewhere is a 501 at accept time).
   * No file transfer.
   */
  readonly capabilities: DriverCapabilities = {
    getters: implementedGetters(),
    transactions: true,
    fileTransfer: false,
  };

  constructor(
    private readonly log: Logger,
    /** Looked up at connect time, so the order plugins are created in does not matter. */
    private readonly drivers: DriverRegistry,
  ) {}

  normalizeConnectionArgs(args: ConnectionArgs): ConnectionArgs {
    return withHostAlias(args);
  }

  prepare(req: DriverRequestBase): NapalmPrepared {
    return prepareNapalm(req);
  }

  /** ntc-templates platform of the device under the napalm platform (`ios` → `cisco_ios`). */
  parserPlatform(deviceType: string): string | null {
    return parserPlatformOf(deviceType);
  }

  sessionKey(args: ConnectionArgs): string {
    return sessionKeyOf(args);
  }

  async connect(args: ConnectionArgs, ctx: DriverContext): Promise<NapalmSession> {
    const settings = resolveSettings(args);
    const ref: ContextRef = { current: ctx };
    const context = (): DriverContext => ref.current;
    let inner: DriverSession;
    let device: NapalmDevice;
    const log = (ctx.log ?? this.log).child({ driver: this.name, host: settings.host });
    const innerCtx: DriverContext = { log, signal: ctx.signal };
    if (settings.platform === 'eos' && settings.transport !== 'ssh') {
      const eapiArgs = pyeapiArgs(settings);
      inner = await this.drivers.get('pyeapi').connect(eapiArgs, innerCtx);
      device = new SessionEapi(settings.platform, inner, eapiArgs, context);
    } else {
      const netmiko = this.drivers.get('netmiko');
      const keys = new Set(Object.keys((netmiko.schemas.connectionArgs.properties ?? {}) as Record<string, unknown>));
      const cliArgs = netmikoArgs(settings, keys);
      inner = await netmiko.connect(cliArgs, innerCtx);
      const cli = new SessionCli(settings.platform, inner, cliArgs, context);
      device = settings.platform === 'eos' ? new EapiOverCli(cli) : cli;
    }
    const session = new NapalmSession(settings, inner, device, ref);
    if (device.transport === 'eapi') {
      try {
        await session.readEosVersion();
      } catch (e) {
        await session.close();
        throw e;
      }
    }
    return session;
  }

  /** Opens the device and reports facts-level identity (get_facts where the platform has it). */
  async test(args: ConnectionArgs, ctx: DriverContext): Promise<Record<string, unknown>> {
    const session = await this.connect(args, ctx);
    try {
      const s = session.settings;
      const out: Record<string, unknown> = { driver: this.name, host: s.host, device_type: s.platform };
      if (gettersOf(s.platform).includes('get_facts')) {
        const facts = (await callGetter(session.device, 'get_facts', {})) as Record<string, unknown>;
        for (const k of ['hostname', 'vendor', 'model', 'os_version', 'serial_number']) out[k] = facts[k];
      }
      for (const k of Object.keys(out)) if (out[k] === null || out[k] === undefined || out[k] === '') delete out[k];
      return out;
    } finally {
      await session.close();
    }
  }
}
