import type { ConnectionArgs } from '../../../../core/contracts/common.ts';
import type { DriverContext, DriverSession } from '../../../../core/contracts/driver.ts';
import type { NapalmEapi } from '../device.ts';

/** What the pyeapi driver's `send` returns per command. */
interface EnableResult {
  command: string;
  result: Record<string, unknown>;
  encoding: 'json' | 'text';
}

/**
 * {@link NapalmEapi} over a pyeapi driver session (obtained from `DRIVER_REGISTRY`). One `run`
 * is one `runCmds` request (with `enable` first, as NAPALM's EOS driver sends it). A command with
 * an input (`{cmd, input}`) travels in pyeapi's `MULTILINE:` form, which the pyeapi driver turns
 * back into eAPI's `{cmd, input}`.
 */
export class SessionEapi implements NapalmEapi {
  readonly transport = 'eapi' as const;

  constructor(
    readonly platform: string,
    private readonly session: DriverSession,
    private readonly connectionArgs: ConnectionArgs,
    private readonly context: () => DriverContext,
  ) {}

  async run(
    commands: Array<string | { cmd: string; input: string }>,
    format: 'json' | 'text' = 'json',
  ): Promise<unknown[]> {
    const lines = commands.map((c) => (typeof c === 'string' ? c : `${c.cmd} MULTILINE: ${c.input}`));
    const out = (await this.session.send(
      lines,
      {
        connection_args: this.connectionArgs,
        driver_args: { encoding: format },
        operation: 'command',
        options: { enable_mode: true },
      },
      this.context(),
    )) as EnableResult[];
    return out.map((r) => r.result);
  }
}
