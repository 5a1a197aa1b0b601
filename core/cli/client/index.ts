import type { Command } from 'commander';
import { registerBulkCommand } from './bulk.ts';
import { registerCompletion } from './completion.ts';
import { registerDeviceCommands } from './device-commands.ts';
import { EXIT } from './exit.ts';
import { registerJobCommands } from './job-commands.ts';

/**
 * The client half of the `netpulse` binary: commands that talk to a running server over its API
 * (through the SDK). Usage errors exit 2 (see exit.ts for every code).
 */
export function registerClientCommands(program: Command): void {
  program.exitOverride((err) => {
    const clean =
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version' ||
      err.code === 'commander.help' ||
      err.exitCode === 0;
    process.exit(clean ? EXIT.OK : EXIT.USAGE);
  });
  registerDeviceCommands(program);
  registerBulkCommand(program);
  registerJobCommands(program);
  registerCompletion(program);
}
