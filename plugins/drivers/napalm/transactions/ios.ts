/**
 * Cisco IOS configuration transactions, NAPALM's way: the candidate is a file on flash
 * (`candidate_config.txt` for replace, `merge_config.txt` for merge) written with inline TCL;
 * the diff comes from the archive (`show archive config differences|incremental-diffs`); a
 * replace is `configure replace … force`, a merge is `copy <file> running-config`; commit-confirm
 * is the archive's revert timer (`configure confirm`, `configure revert now`).
 */
import type { NapalmCli, NapalmDevice } from '../device.ts';
import { STEP_TIMEOUT_MS, brief, candidateLines, failureLine, requireCli, wholeMinutes } from './cli.ts';
import { transactionState } from './state.ts';
import {
  loadError,
  noCandidate,
  notSupported,
  nothingToConfirm,
  pendingCommit,
  transactionError,
  type CommitOptions,
  type ConfigMode,
  type PlatformTransactions,
} from './types.ts';

const CANDIDATE = 'candidate_config.txt';
const MERGE = 'merge_config.txt';
const ROLLBACK = 'rollback_config.txt';
/** Reads end at an exec/config prompt or at a `[default]?` file question (answered with Enter). */
const PROMPT_OR_QUESTION = String.raw`(?:[>#]|\]\?)\s*$`;
const TCL_PROMPT = String.raw`\(tcl\)#\s*$`;
const TCL_ERRORS = [/couldn't open/, /can not find channel/, /invalid command name/, /^error /i, /extra characters/];
const REPLACE_FAILURES = [
  /original configuration has been successfully restored/i,
  /error/i,
  /failed/i,
  /not a valid config file/i,
  /%Please turn config archive on/,
];
const NO_PENDING = /No Rollback Confirmed Change pending/i;
/** Lines NAPALM drops from a replace diff. */
const DIFF_NOISE = ['Contextual Config Diffs', 'No changes were found', 'ntp clock-period'];

function cli(device: NapalmDevice): NapalmCli {
  return requireCli(device, 'ios');
}

/** Runs a command that may ask for a file name, answering the question with Enter. */
async function runAnswering(dev: NapalmCli, command: string): Promise<string> {
  let out = await dev.run(command, { expect: PROMPT_OR_QUESTION, timeoutMs: STEP_TIMEOUT_MS });
  for (let i = 0; i < 3 && /\]\?\s*$/.test(out); i++) {
    out += '\n' + (await dev.run('', { expect: PROMPT_OR_QUESTION, timeoutMs: STEP_TIMEOUT_MS }));
  }
  // Judge only what the device said: an echoed command line (`… revert trigger error`) is not output.
  return out
    .split('\n')
    .filter((l) => !l.includes(command))
    .join('\n');
}

/** The file system NAPALM keeps its files on: the one `dir` lists first (`flash:`, `bootflash:`). */
async function fileSystem(dev: NapalmCli): Promise<string> {
  const state = transactionState(dev);
  if (state.fileSystem) return state.fileSystem;
  const listing = await dev.run('dir', { timeoutMs: STEP_TIMEOUT_MS });
  const m = /Directory of (\S+?:)\/?/.exec(listing);
  if (!m) {
    throw transactionError('CommitError', `cannot find the file system for the candidate files: ${brief(listing)}`);
  }
  state.fileSystem = m[1];
  return m[1];
}

/** A TCL word that `puts` writes back exactly: braces when safe, else a quoted string with escapes. */
export function tclQuote(line: string): string {
  let depth = 0;
  let balanced = true;
  for (const ch of line) {
    if (ch === '{') depth++;
    else if (ch === '}' && --depth < 0) balanced = false;
  }
  if (balanced && depth === 0 && !line.includes('\\') && !line.endsWith('\\')) return `{${line}}`;
  return `"${line.replace(/[\\"$[\]{}]/g, (c) => `\\${c}`)}"`;
}

/** Writes `text` to `<fs><name>` through IOS's TCL shell, one `puts` per line. */
async function writeFile(dev: NapalmCli, path: string, text: string, mode: ConfigMode): Promise<void> {
  const check = (out: string, step: string) => {
    const bad = failureLine(out, TCL_ERRORS);
    if (bad) throw loadError(mode, `writing ${path} failed at ${step}: ${bad}`);
  };
  const entered = await dev.run('tclsh', { expect: String.raw`(?:\(tcl\)#|[>#])\s*$`, timeoutMs: STEP_TIMEOUT_MS });
  if (/% ?(Invalid|Unknown|Incomplete)|Translating "tclsh"/.test(entered)) {
    throw loadError(mode, `this device has no TCL shell to write ${path}: ${brief(entered)}`);
  }
  try {
    check(await dev.run(`set npfile [open "${path}" w+]`, { expect: TCL_PROMPT }), 'open');
    for (const line of candidateLines(text)) {
      check(await dev.run(`puts $npfile ${tclQuote(line)}`, { expect: TCL_PROMPT }), JSON.stringify(line));
    }
    check(await dev.run('close $npfile', { expect: TCL_PROMPT }), 'close');
  } finally {
    await dev.run('tclquit', { timeoutMs: STEP_TIMEOUT_MS });
  }
}

async function saveConfig(dev: NapalmCli): Promise<void> {
  const out = await runAnswering(dev, 'write memory');
  if (!/\[OK\]|Copy complete|bytes copied/i.test(out)) {
    throw transactionError('CommitError', `write memory failed: ${brief(out)}`);
  }
}

async function pending(dev: NapalmCli): Promise<boolean> {
  const out = await dev.run('show archive config rollback timer', { timeoutMs: STEP_TIMEOUT_MS });
  if (/% ?Invalid input/.test(out)) return false;
  return !NO_PENDING.test(out);
}

/** NAPALM's `_normalize_merge_diff_incr`: `no …` lines become `-`, the rest `+`. */
function mergeDiff(output: string): string {
  if (/No changes were found/.test(output)) return '';
  return output
    .split('\n')
    .filter((l) => l.trim() !== '' && l.trim() !== 'end' && !/List of Commands/.test(l))
    .map((l) => (/^no\s+/.test(l.trim()) ? `-${l}` : `+${l}`))
    .join('\n');
}

/** A merge file's contents shown as a diff when the archive cannot compute one (NAPALM's fallback). */
function fileAsDiff(text: string): string {
  return candidateLines(text)
    .filter((l) => l.trim() !== '' && l.trim() !== 'end' && !l.trim().startsWith('!'))
    .map((l) => (/^no\s+/.test(l.trim()) ? `-${l}` : `+${l}`))
    .join('\n');
}

function replaceDiff(output: string): string {
  return output
    .split('\n')
    .filter((l) => !DIFF_NOISE.some((noise) => l.includes(noise)))
    .join('\n')
    .trim();
}

async function loadedMode(dev: NapalmCli, fs: string): Promise<ConfigMode | null> {
  const state = transactionState(dev);
  if (state.mode) return state.mode;
  // A new session (or a restarted worker): the files on flash still tell what was loaded.
  const merge = await dev.run(`more ${fs}${MERGE}`, { timeoutMs: STEP_TIMEOUT_MS });
  if (!/%Error/.test(merge) && merge.trim() !== '') return 'merge';
  return null;
}

export const iosTransactions: PlatformTransactions = {
  async load(device, config, mode) {
    const dev = cli(device);
    const fs = await fileSystem(dev);
    // incremental-diffs needs a final `end` (error code 5 otherwise); a replace file ends the same way.
    const text = /^end\s*$/m.test(config) ? config : `${config.replace(/\n+$/, '')}\nend`;
    await writeFile(dev, `${fs}${mode === 'replace' ? CANDIDATE : MERGE}`, text, mode);
    const state = transactionState(dev);
    state.mode = mode;
  },

  async compare(device) {
    const dev = cli(device);
    const fs = await fileSystem(dev);
    const mode = await loadedMode(dev, fs);
    if (mode === null) return '';
    if (mode === 'replace') {
      const command = `show archive config differences system:running-config ${fs}${CANDIDATE}`;
      const out = await dev.run(command, { timeoutMs: STEP_TIMEOUT_MS });
      if (/%Error/.test(out)) throw loadError('replace', `cannot compare the candidate: ${brief(out)}`);
      return replaceDiff(out);
    }
    const command = `show archive config incremental-diffs ${fs}${MERGE} ignorecase`;
    const out = await dev.run(command, { timeoutMs: STEP_TIMEOUT_MS });
    if (/error code 5|returned error 5/.test(out)) throw loadError('merge', 'the merge candidate must end with "end"');
    if (!/% ?Invalid/.test(out)) return mergeDiff(out);
    return fileAsDiff(await dev.run(`more ${fs}${MERGE}`, { timeoutMs: STEP_TIMEOUT_MS }));
  },

  async commit(device, options: CommitOptions) {
    const dev = cli(device);
    if (options.message) throw notSupported('Commit message not implemented for this platform (ios)');
    const fs = await fileSystem(dev);
    const mode = await loadedMode(dev, fs);
    if (mode === null) throw noCandidate();
    if (await pending(dev)) throw pendingCommit();
    const minutes = options.revertIn === null ? null : wholeMinutes(options.revertIn, 60, 7200, 'ios');
    const saved = await runAnswering(dev, `copy running-config ${fs}${ROLLBACK}`);
    if (/%Error|% ?Invalid/.test(saved)) {
      throw transactionError('CommitError', `cannot save the rollback point: ${brief(saved)}`);
    }
    if (mode === 'replace') {
      let command = `configure replace ${fs}${CANDIDATE} force revert trigger error`;
      if (minutes !== null) command += ` timer ${minutes}`;
      const out = await runAnswering(dev, command);
      const bad = failureLine(out, REPLACE_FAILURES);
      if (bad) throw transactionError('ReplaceConfigException', `configure replace failed: ${bad}`);
    } else {
      if (minutes !== null) {
        const timer = await dev.run(`configure terminal revert timer ${minutes}`, { expect: PROMPT_OR_QUESTION });
        if (/%Please turn config archive on|% ?Invalid/.test(timer)) {
          await dev.run('end').catch(() => undefined);
          const why = `revert_in needs the archive feature (archive / path …): ${brief(timer)}`;
          throw transactionError('CommitError', why);
        }
        await dev.run('end');
      }
      const out = await runAnswering(dev, `copy ${fs}${MERGE} running-config`);
      if (/Invalid input detected/.test(out)) {
        await iosTransactions.rollback(dev).catch(() => undefined);
        const refused = failureLine(out, [/Invalid input/]) ?? '';
        throw transactionError('MergeConfigException', `the merge was refused and rolled back: ${refused}`);
      }
    }
    if (minutes === null) await saveConfig(dev);
    transactionState(dev).mode = null;
    // The loaded files stay as NAPALM leaves them; discard empties them.
  },

  async confirm(device) {
    const dev = cli(device);
    if (!(await pending(dev))) throw nothingToConfirm();
    const out = await dev.run('configure confirm', { timeoutMs: STEP_TIMEOUT_MS });
    if (NO_PENDING.test(out)) throw nothingToConfirm();
    await saveConfig(dev);
  },

  async discard(device) {
    const dev = cli(device);
    const fs = await fileSystem(dev);
    await runAnswering(dev, `copy running-config ${fs}${CANDIDATE}`);
    await runAnswering(dev, `copy null: ${fs}${MERGE}`);
    transactionState(dev).mode = null;
  },

  async rollback(device) {
    const dev = cli(device);
    if (await pending(dev)) {
      const out = await dev.run('configure revert now', { timeoutMs: STEP_TIMEOUT_MS });
      if (NO_PENDING.test(out)) {
        throw transactionError('CommitError', 'the pending commit-confirm ended before it could be reverted');
      }
    } else {
      const fs = await fileSystem(dev);
      const out = await runAnswering(dev, `configure replace ${fs}${ROLLBACK} force`);
      const bad = failureLine(out, REPLACE_FAILURES);
      if (bad) throw transactionError('CommitError', `rollback failed: ${bad}`);
    }
    await saveConfig(dev);
  },

  hasPendingCommit(device) {
    return pending(cli(device));
  },
};
