import { NetPulseError } from '../../../../core/errors.ts';
import type { NapalmCli, NapalmEapi } from '../device.ts';

/** EOS CLI error lines (`% Invalid input`, `% Incomplete command`, ...). */
const EOS_ERROR = /^% /m;

/**
 * EOS over SSH (`optional_args.transport: "ssh"`), the way NAPALM's EOS driver does it: each
 * command runs on the CLI, `| json` appended for the json format and the answer parsed, so the
 * EOS getters see the same results as over eAPI.
 */
export class EapiOverCli implements NapalmEapi {
  readonly transport = 'eapi' as const;

  constructor(private readonly cli: NapalmCli) {}

  get platform(): string {
    return this.cli.platform;
  }

  async run(commands: Array<string | { cmd: string; input: string }>, format: 'json' | 'text' = 'json'): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const c of commands) {
      if (typeof c !== 'string') {
        // Multi-line input (banners) is configuration; it goes through configure().
        out.push({ output: await this.cli.configure([c.cmd, ...c.input.split('\n'), 'EOF']) });
        continue;
      }
      const text = await this.cli.run(format === 'json' ? `${c} | json` : c);
      if (EOS_ERROR.test(text)) throw new NetPulseError('NP_ERR_DEVICE_COMMAND', `${c}: ${text.trim().slice(0, 300)}`);
      if (format === 'text') {
        out.push({ output: text });
        continue;
      }
      try {
        out.push(text.trim() ? JSON.parse(text) : {});
      } catch {
        throw new NetPulseError('NP_ERR_DEVICE_COMMAND', `${c}: the device did not answer JSON (${text.trim().slice(0, 120)})`);
      }
    }
    return out;
  }
}
