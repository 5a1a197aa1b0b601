/**
 * Cisco IOS-XR configuration transactions over the CLI. XR keeps a target configuration per
 * configuration session and drops it when the session leaves config mode, so NetPulse holds
 * the candidate text and replays it inside `configure` for compare and commit (NAPALM's XR
 * driver holds it in the on-box XML agent session instead). Merge commits with `commit`,
 * replace with `commit replace`; commit-confirm is `commit confirmed <seconds>`, confirmed by
 * a plain `commit`; rollback is `rollback configuration last 1`.
 */
import type { NapalmCli, NapalmDevice } from '../device.ts';
import { contextualDiff } from './block-diff.ts';
import { STEP_TIMEOUT_MS, brief, candidateLines, failureLine, requireCli } from './cli.ts';
import { transactionState } from './state.ts';
import {
  loadError,
  noCandidate,
  nothingToConfirm,
  pendingCommit,
  transactionError,
  type CommitOptions,
  type ConfigMode,
  type PlatformTransactions,
} from './types.ts';

const ERRORS = [/% ?Invalid input/, /% ?Incomplete command/, /% ?Ambiguous command/, /% ?Failed/, /Failed to commit/];
const COMMIT_FAILURES = [/Failed to/, /% ?Failed/, /One or more commits have occurred/, /% ?Invalid input/];
/** Commit answers: the replace warning and the large-config confirmation. */
const CONFIG_OR_QUESTION = String.raw`(?:#|\[no\]:|\[confirm\])\s*$`;
/** XR accepts commit confirmed between 30 and 65535 seconds. */
const MIN_CONFIRM_S = 30;
const MAX_CONFIRM_S = 65535;

function cli(device: NapalmDevice): NapalmCli {
  return requireCli(device, 'iosxr');
}

/** The timestamp line XR prints above show output (`Sat Mar  3 17:49:03.596 UTC`). */
const TIMESTAMP = /^\w{3} \w{3} +\d+ [\d:.]+ \w+$/;

/** Candidate lines as typed: comments, `end` and show-run headers dropped, indentation kept out. */
function candidateCommands(config: string): string[] {
  return candidateLines(config)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('!') && l !== 'end')
    .filter((l) => !/^Building configuration/.test(l) && !TIMESTAMP.test(l));
}

/** Enters `configure`, types the candidate and runs `work`; always leaves with `abort` unless `work` committed. */
async function withTarget<T>(dev: NapalmCli, config: string, mode: ConfigMode, work: () => Promise<T>): Promise<T> {
  await dev.run('configure terminal', { timeoutMs: STEP_TIMEOUT_MS });
  let done = false;
  try {
    for (const line of candidateCommands(config)) {
      const out = await dev.run(line, { timeoutMs: STEP_TIMEOUT_MS });
      const bad = failureLine(out, ERRORS);
      if (bad) throw loadError(mode, `${JSON.stringify(line)} was refused: ${bad}`);
    }
    const result = await work();
    done = true;
    return result;
  } finally {
    // `abort` drops whatever is left and leaves config mode without the uncommitted-changes question.
    await dev.run('abort', { timeoutMs: STEP_TIMEOUT_MS }).catch((e: unknown) => {
      if (done) throw e;
    });
  }
}

function loaded(dev: NapalmCli): { config: string; mode: ConfigMode } | null {
  const state = transactionState(dev);
  return state.candidate !== null && state.mode !== null ? { config: state.candidate, mode: state.mode } : null;
}

/** Label/ID of the newest commit in `show configuration commit list`, or null if it cannot be read. */
async function lastCommitId(dev: NapalmCli): Promise<string | null> {
  const out = await dev.run('show configuration commit list', { timeoutMs: STEP_TIMEOUT_MS });
  return /^\s*1\s+(\S+)/m.exec(out)?.[1] ?? null;
}

/** A commit confirmed is pending until its deadline, unless a newer commit (the revert) has replaced it. */
async function pending(dev: NapalmCli): Promise<boolean> {
  const state = transactionState(dev);
  if (state.pendingUntil === null || state.pendingUntil <= Date.now()) return false;
  if (state.pendingCommitId === null) return true;
  const last = await lastCommitId(dev);
  return last === null || last === state.pendingCommitId;
}

function clearPending(dev: NapalmCli): void {
  const state = transactionState(dev);
  state.pendingUntil = null;
  state.pendingCommitId = null;
}

export const iosxrTransactions: PlatformTransactions = {
  async load(device, config, mode) {
    const dev = cli(device);
    // Typing the candidate once checks every line; the device forgets it again with `abort`.
    await withTarget(dev, config, mode, async () => undefined);
    const state = transactionState(dev);
    state.candidate = config;
    state.mode = mode;
  },

  async compare(device) {
    const dev = cli(device);
    const candidate = loaded(dev);
    if (candidate === null) return '';
    const running = await dev.run('show running-config', { timeoutMs: STEP_TIMEOUT_MS });
    if (candidate.mode === 'replace') return contextualDiff(running, candidate.config);
    const merged = await withTarget(dev, candidate.config, 'merge', () =>
      dev.run('show configuration merge', { timeoutMs: STEP_TIMEOUT_MS }),
    );
    return contextualDiff(running, merged);
  },

  async commit(device, options: CommitOptions) {
    const dev = cli(device);
    const candidate = loaded(dev);
    if (candidate === null) throw noCandidate();
    if (await pending(dev)) throw pendingCommit();
    const revert = options.revertIn;
    if (revert !== null && (!Number.isInteger(revert) || revert < MIN_CONFIRM_S || revert > MAX_CONFIRM_S)) {
      const why = `revert_in must be between ${MIN_CONFIRM_S} and ${MAX_CONFIRM_S} s on iosxr`;
      throw transactionError('CommitError', why);
    }
    if (options.message !== null && /[\r\n]/.test(options.message)) {
      throw transactionError('CommitError', 'a commit comment is one line');
    }
    let command = candidate.mode === 'replace' ? 'commit replace' : 'commit';
    if (revert !== null) command += ` confirmed ${revert}`;
    if (options.message) command += ` comment ${options.message}`;
    await withTarget(dev, candidate.config, candidate.mode, async () => {
      let out = await dev.run(command, { expect: CONFIG_OR_QUESTION, timeoutMs: 120_000 });
      if (/\[no\]:\s*$/.test(out)) out += await dev.run('yes', { expect: CONFIG_OR_QUESTION, timeoutMs: 120_000 });
      if (/\[confirm\]\s*$/.test(out)) out += await dev.run('y', { expect: CONFIG_OR_QUESTION, timeoutMs: 120_000 });
      const bad = failureLine(out, COMMIT_FAILURES);
      if (bad) throw transactionError('CommitError', `commit failed: ${bad}`);
    });
    const state = transactionState(dev);
    state.candidate = null;
    state.mode = null;
    state.pendingUntil = revert === null ? null : Date.now() + revert * 1000;
    state.pendingCommitId = revert === null ? null : await lastCommitId(dev);
  },

  async confirm(device) {
    const dev = cli(device);
    if (!(await pending(dev))) throw nothingToConfirm();
    await withTarget(dev, '', 'merge', async () => {
      const out = await dev.run('commit', { timeoutMs: 120_000 });
      const bad = failureLine(out, COMMIT_FAILURES);
      if (bad) throw transactionError('CommitConfirmException', `confirming failed: ${bad}`);
    });
    clearPending(dev);
  },

  async discard(device) {
    const state = transactionState(cli(device));
    state.candidate = null;
    state.mode = null;
  },

  async rollback(device) {
    const dev = cli(device);
    const out = await dev.run('rollback configuration last 1', { timeoutMs: 120_000 });
    if (!/successfully rolled back/i.test(out)) {
      throw transactionError('CommitError', `rollback failed: ${brief(out)}`);
    }
    clearPending(dev);
  },

  async hasPendingCommit(device) {
    return pending(cli(device));
  },
};
