import type { ConnectionArgs } from '../../../../core/contracts/common.ts';
import type { DriverContext, DriverSession } from '../../../../core/contracts/driver.ts';
import type { NapalmCli } from '../device.ts';

/** Seconds netmiko's send_command waits by default; NAPALM's IOS driver reads long outputs with more. */
const DEFAULT_READ_TIMEOUT_S = 60;

/**
 * {@link NapalmCli} over a netmiko driver session (obtained from the plugin registry, never
 * imported). Every call goes through the session's public `send`/`config`, so prompts, paging,
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

  async run(command: string, opts: { expect?: string; timeoutMs?: number } = {}): Promise<string> {
    const driverArgs: Record<string, unknown> = {
      read_timeout: opts.timeoutMs !== undefined ? opts.timeoutMs / 1000 : DEFAULT_READ_TIMEOUT_S,
    };
    if (opts.expect) driverArgs.expect_string = opts.expect;
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
    return out[command] ?? '';
  }

  async configure(lines: string[]): Promise<string> {
    const out = (await this.session.config(
      lines,
      { connection_args: this.connectionArgs, driver_args: {}, operation: 'config', options: { enable_mode: true } },
      this.context(),
    )) as string[];
    return out.join('\n');
  }
}
