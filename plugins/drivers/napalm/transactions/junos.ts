/**
 * Juniper Junos configuration transactions over the CLI. NAPALM drives the same steps over
 * NETCONF; here the shared candidate of `configure` is edited line by line with `set`-style
 * statements (a replace first deletes everything), compared with `show | compare`, committed
 * with `commit [confirmed <min>] [comment "<msg>"]`, discarded with `rollback 0` and rolled
 * back with `rollback 1` + `commit`. A pending commit confirmed shows in `show system commit`.
 */
import type { NapalmCli, NapalmDevice } from '../device.ts';
import { STEP_TIMEOUT_MS, brief, candidateLines, failureLine, requireCli, wholeMinutes } from './cli.ts';
import { transactionState } from './state.ts';
import {
  loadError,
  nothingToConfirm,
  pendingCommit,
  transactionError,
  type CommitOptions,
  type ConfigMode,
  type PlatformTransactions,
} from './types.ts';

const ERRORS = [
  /syntax error/,
  /unknown command/,
  /is ambiguous/,
  /missing mandatory argument/,
  /invalid numeric value/,
  /No valid completions/,
  /^error:/,
  /^\s*\^\s*$/,
];
const STATEMENT = /^(set|delete|deactivate|activate|rename|insert|annotate|protect|unprotect|copy|replace)\s/;
const OPERATIONAL_OR_QUESTION = String.raw`(?:>|\(yes\)|\(no\))\s*$`;
const CONFIG_OR_QUESTION = String.raw`(?:#|\(yes\)|\(no\))\s*$`;
const PENDING = /commit confirmed, rollback in (\d+)\s*mins?/;
/** Junos keeps commit confirmed up to 65535 minutes. */
const MAX_CONFIRM_S = 65535 * 60;

function cli(device: NapalmDevice): NapalmCli {
  return requireCli(device, 'junos');
}

async function enterConfig(dev: NapalmCli): Promise<void> {
  const out = await dev.run('configure', { timeoutMs: STEP_TIMEOUT_MS });
  if (!/Entering configuration mode|\[edit/.test(out) && /error|unknown/i.test(out)) {
    throw transactionError('CommitError', `cannot enter configuration mode: ${brief(out)}`);
  }
}

/** Leaves configuration mode keeping the shared candidate (Junos asks when it has changes). */
async function leaveConfig(dev: NapalmCli): Promise<void> {
  const out = await dev.run('exit configuration-mode', { expect: OPERATIONAL_OR_QUESTION, timeoutMs: STEP_TIMEOUT_MS });
  if (/uncommitted changes\?/i.test(out)) {
    await dev.run('yes', { expect: String.raw`>\s*$`, timeoutMs: STEP_TIMEOUT_MS });
  }
}

async function inConfig<T>(dev: NapalmCli, work: () => Promise<T>): Promise<T> {
  await enterConfig(dev);
  try {
    return await work();
  } finally {
    await leaveConfig(dev);
  }
}

async function pendingMinutes(dev: NapalmCli): Promise<number | null> {
  const out = await dev.run('show system commit', { timeoutMs: STEP_TIMEOUT_MS });
  const m = PENDING.exec(out);
  return m ? Number(m[1]) : null;
}

/** Candidate statements: `set`/`delete`/… lines; `#` comments and blanks dropped. */
function statements(config: string, mode: ConfigMode): string[] {
  const lines = candidateLines(config)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const other = lines.find((l) => !STATEMENT.test(l));
  if (other !== undefined) {
    const got = JSON.stringify(other.slice(0, 80));
    const rule = 'junos candidates are sent line by line and must be set-style statements (set/delete/…)';
    throw loadError(mode, `${rule}; got ${got}`);
  }
  if (lines.some((l) => /[\r\n]/.test(l))) throw loadError(mode, 'a statement spans lines');
  return lines;
}

async function commitCommand(dev: NapalmCli, command: string, confirmed: boolean): Promise<void> {
  const out = await dev.run(command, { timeoutMs: 120_000 });
  const bad = failureLine(out, ERRORS);
  if (bad || !/commit complete/.test(out) || (confirmed && !/automatically rolled back/.test(out))) {
    throw transactionError('CommitError', `commit failed: ${bad ?? out.trim().slice(0, 200)}`);
  }
}

export const junosTransactions: PlatformTransactions = {
  async load(device, config, mode) {
    const dev = cli(device);
    const lines = statements(config, mode);
    await inConfig(dev, async () => {
      try {
        if (mode === 'replace') {
          const asked = await dev.run('delete', { expect: CONFIG_OR_QUESTION, timeoutMs: STEP_TIMEOUT_MS });
          if (/Delete everything/i.test(asked)) await dev.run('yes', { timeoutMs: STEP_TIMEOUT_MS });
        }
        for (const line of lines) {
          const out = await dev.run(line, { timeoutMs: STEP_TIMEOUT_MS });
          const bad = failureLine(out, ERRORS);
          if (bad) {
            const why = failureLine(out, ERRORS.slice(0, -1)) ?? bad;
            throw loadError(mode, `${JSON.stringify(line)} was refused: ${why}`);
          }
        }
      } catch (e) {
        await dev.run('rollback 0', { timeoutMs: STEP_TIMEOUT_MS }).catch(() => undefined);
        throw e;
      }
    });
    transactionState(dev).mode = mode;
  },

  async compare(device) {
    const dev = cli(device);
    const out = await inConfig(dev, () => dev.run('show | compare', { timeoutMs: STEP_TIMEOUT_MS, raw: true }));
    // The `[edit]` banner above the next prompt is not part of the difference.
    return out
      .trimEnd()
      .replace(/\n?\[edit\]$/, '')
      .trim();
  },

  async commit(device, options: CommitOptions) {
    const dev = cli(device);
    if (options.message !== null && /["\r\n]/.test(options.message)) {
      throw transactionError('CommitError', 'a junos commit comment cannot contain double quotes or line breaks');
    }
    if ((await pendingMinutes(dev)) !== null) throw pendingCommit();
    const minutes = options.revertIn === null ? null : wholeMinutes(options.revertIn, 60, MAX_CONFIRM_S, 'junos');
    let command = minutes === null ? 'commit' : `commit confirmed ${minutes}`;
    if (options.message) command += ` comment "${options.message}"`;
    await inConfig(dev, () => commitCommand(dev, command, minutes !== null));
    transactionState(dev).mode = null;
  },

  async confirm(device) {
    const dev = cli(device);
    if ((await pendingMinutes(dev)) === null) throw nothingToConfirm();
    await inConfig(dev, () => commitCommand(dev, 'commit', false));
  },

  async discard(device) {
    const dev = cli(device);
    await inConfig(dev, () => dev.run('rollback 0', { timeoutMs: STEP_TIMEOUT_MS }));
    transactionState(dev).mode = null;
  },

  async rollback(device) {
    const dev = cli(device);
    await inConfig(dev, async () => {
      const out = await dev.run('rollback 1', { timeoutMs: STEP_TIMEOUT_MS });
      if (!/load complete/.test(out)) {
        throw transactionError('CommitError', `rollback 1 failed: ${brief(out)}`);
      }
      await commitCommand(dev, 'commit', false);
    });
  },

  async hasPendingCommit(device) {
    return (await pendingMinutes(cli(device))) !== null;
  },
};
