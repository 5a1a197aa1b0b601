import type { NapalmCli, NapalmEapi } from '../device.ts';

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

  async run(
    commands: Array<string | { cmd: string; input: string }>,
    format: 'json' | 'text' = 'json',
  ): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const c of commands) {
      if (typeof c !== 'string') {
        // Multi-line input (banners) is configuration; it goes through configure().
        out.push({ output: await this.cli.configure([c.cmd, ...c.input.split('\n'), 'EOF']) });
        continue;
      }
      // As NAPALM's EOS driver over SSH: text drops `% Invalid input`, unparsable JSON is `{}`.
      if (format === 'text') {
        out.push({ output: (await this.cli.run(c)).replace('% Invalid input', '') });
        continue;
      }
      const text = await this.cli.run(`${c} | json`);
      try {
        out.push(JSON.parse(text));
      } catch {
        out.push({});
      }
    }
    return out;
  }
}
