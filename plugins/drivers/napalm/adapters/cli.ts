import type { ConnectionArgs } from '../../../../core/contracts/common.ts';
import type { DriverContext, DriverSession } from '../../../../core/contracts/driver.ts';
import type { NapalmCli } from '../device.ts';

/** Seconds netmiko's send_command waits by default; NAPALM's IOS driver reads long outputs with more. */
const DEFAULT_READ_TIMEOUT_S = 60;

/**
 * {@link NapalmCli} over a netmiko driver session (obtained from `DRIVER_REGISTRY`, never
 * imported). Requests carry no `prepared` options: the netmiko session resolves its own. Every
 * call goes through the session's public `send`/`config`, so prompts, paging,
 * enable and output caps behave exactly as for a netmiko job. `enable_mode` is set on every call
 * because NAPALM's SSH drivers work in privileged mode (their `open()` runs `enable`).
 */
export class SessionCli implements NapalmCli {
  readonly transport = 'ssh' as const;

  constructor(
    readonly platform: string,
    private readonly session: DriverSession,
    private readonly connectionArgs: ConnectionArgs,
    /** The context of the job being run (the session outlives jobs on pinned queues). */
    private readonly context: () => DriverContext,
  ) {}

  /**
   * NAPALM's SSH drivers run `enable` once at open() and stay privileged. A netmiko job leaves
   * enable mode after every call, which would type `disable` into IOS's TCL shell between the
   * steps of a transaction; so escalate once on the underlying connection and keep it. The shape
   * read here is the netmiko session's `connection` (its `CliConnection` layer: `mode`, `dirty`,
   * `enable`), typed structurally because plugins never import each other; without it (another
   * netmiko implementation) every call escalates on its own through `enable_mode`.
   */
  private async stayPrivileged(): Promise<void> {
    type Escalating = { mode?: string; dirty?: boolean; enable?(signal?: AbortSignal): Promise<boolean> };
    const conn = (this.session as { connection?: Escalating }).connection;
    if (conn?.mode === 'exec' && conn.dirty !== true && typeof conn.enable === 'function') {
      await conn.enable(this.context().signal);
    }
  }

  async run(command: string, opts: { expect?: string; timeoutMs?: number; raw?: boolean } = {}): Promise<string> {
    await this.stayPrivileged();
    const driverArgs: Record<string, unknown> = {
      read_timeout: opts.timeoutMs !== undefined ? opts.timeoutMs / 1000 : DEFAULT_READ_TIMEOUT_S,
    };
    if (opts.expect) driverArgs.expect_string = opts.expect;
    if (opts.raw) driverArgs.strip_prompt = false;
    const out = (await this.session.send(
      [command],
      {
        connection_args: this.connectionArgs,
        driver_args: driverArgs,
        operation: 'command',
        options: { enable_mode: true },
      },
      this.context(),
    )) as Record<string, string>;
    const text = out[command] ?? '';
    // Unstripped output ends with the prompt line; drop just that line.
    return opts.raw ? text.replace(/\n?[^\n]*[>#$%]\s*$/, '') : text;
  }

  async configure(lines: string[]): Promise<string> {
    await this.stayPrivileged();
    const out = (await this.session.config(
      lines,
      { connection_args: this.connectionArgs, driver_args: {}, operation: 'config', options: { enable_mode: true } },
      this.context(),
    )) as string[];
    return out.join('\n');
  }
}
