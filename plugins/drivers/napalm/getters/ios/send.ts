import type { NapalmCli } from '../../device.ts';

/**
 * NAPALM's IOS `_send_command`: the output without the `Load for five secs` and `Time source is`
 * lines IOS adds when `terminal exec prompt timestamp` is on, trimmed. With a list of alternative
 * commands, the first output without `% Invalid` wins.
 */
export async function send(cli: NapalmCli, command: string | string[]): Promise<string> {
  let output = '';
  for (const cmd of Array.isArray(command) ? command : [command]) {
    output = await cli.run(cmd);
    if (!output.includes('% Invalid')) break;
  }
  return output
    .replace(/^Load for five secs.*$/gm, '')
    .replace(/^Time source is .*$/gm, '')
    .trim();
}
