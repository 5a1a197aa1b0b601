/**
 * Arista EOS configuration transactions over eAPI, NAPALM's way: the candidate lives in a
 * configuration session `napalm_<µs>` (a replace starts it with `rollback clean-config`), the
 * diff is `show session-config named <s> diffs`, commit-confirm is `commit timer HH:MM:SS`
 * (confirmed by committing the session again), and rollback is `configure replace
 * flash:rollback-0`, the startup config saved just before the last commit.
 */
import { EapiOverCli } from '../adapters/eapi-over-cli.ts';
import type { NapalmDevice, NapalmEapi } from '../device.ts';
import { candidateLines } from './cli.ts';
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

type EapiCommand = string | { cmd: string; input: string };

/** Commands whose following lines up to `EOF` are one multi-line input over eAPI. */
const HEREDOC = /^(banner\s+(login|motd)|comment|protocol\s+https\s+certificate)$/i;
const MAX_COMMIT_TIMER_S = 24 * 3600 - 1;
/** Top-level lines that open a configuration mode even when no indented line follows. */
const SECTION = new RegExp(
  '^(interface|router|vlan|management|ip(v6)? access-list|route-map|vrf instance|daemon|' +
    String.raw`policy-map|class-map|event-handler)\s`,
  'i',
);

function eapi(device: NapalmDevice): NapalmEapi {
  // Over SSH, EapiOverCli (like NAPALM's SSH mode) swallows CLI errors: a failed line would pass unseen.
  if (device.transport !== 'eapi' || device instanceof EapiOverCli) {
    throw notSupported(
      'eos configuration transactions need the eAPI transport (optional_args.transport "http" or "https")',
    );
  }
  return device;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Candidate text as eAPI commands. NAPALM drops `!` comments and sends heredocs as `input`;
 * EOS over eAPI does not fall back from a section to its parent mode, so indentation that
 * closes a section becomes `exit`, as a human would type it.
 */
export function eosCommands(config: string): EapiCommand[] {
  const lines = candidateLines(config);
  const out: EapiCommand[] = [];
  const open: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const line = raw.trim();
    if (line === '' || (line.startsWith('!') && !line.startsWith('!!')) || line === 'end') continue;
    const indent = raw.length - raw.trimStart().length;
    while (open.length > 0 && open[open.length - 1] >= indent) {
      out.push('exit');
      open.pop();
    }
    if (HEREDOC.test(line)) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i].trim() !== 'EOF'; i++) body.push(lines[i]);
      out.push({ cmd: line, input: body.join('\n') });
      continue;
    }
    out.push(line);
    const next = lines.slice(i + 1).find((l) => l.trim() !== '' && !/^\s*!(?!!)/.test(l));
    const opensBlock = next !== undefined && next.length - next.trimStart().length > indent;
    if (opensBlock || (indent === 0 && SECTION.test(line))) open.push(indent);
  }
  return out;
}

function hms(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
}

interface SessionInfo {
  state?: string;
}

async function sessions(dev: NapalmEapi): Promise<Record<string, SessionInfo>> {
  const [out] = (await dev.run(['show configuration sessions detail'], 'json')) as Array<{
    sessions?: Record<string, SessionInfo>;
  }>;
  return out?.sessions ?? {};
}

async function pendingSessions(dev: NapalmEapi): Promise<string[]> {
  return Object.entries(await sessions(dev))
    .filter(([, s]) => s.state === 'pendingCommitTimer')
    .map(([name]) => name);
}

/**
 * The configuration session holding our candidate: the one this session opened, or (after a
 * reconnect lost that memory) the newest pending `napalm_…` session on the switch.
 */
async function ownSession(dev: NapalmEapi): Promise<string | null> {
  const state = transactionState(dev);
  if (state.eosSession !== null) return state.eosSession;
  const pending = Object.entries(await sessions(dev))
    .filter(([name, s]) => /^napalm_\d+$/.test(name) && s.state === 'pending')
    .map(([name]) => name)
    .sort((a, b) => Number(b.slice(7)) - Number(a.slice(7)));
  state.eosSession = pending[0] ?? null;
  return state.eosSession;
}

async function abort(dev: NapalmEapi, session: string): Promise<void> {
  await dev.run([`configure session ${session} abort`], 'text');
}

export const eosTransactions: PlatformTransactions = {
  async load(device, config, mode: ConfigMode) {
    const dev = eapi(device);
    const state = transactionState(dev);
    await ownSession(dev);
    const all = await sessions(dev);
    const locked = Object.entries(all).find(([name, s]) => s.state === 'pending' && name !== state.eosSession);
    if (locked) {
      const why = `Session ${locked[0]} is already pending: another configuration session holds the lock`;
      throw transactionError('SessionLockedException', why);
    }
    if (state.eosSession === null || all[state.eosSession]?.state !== 'pending') {
      state.eosSession = `napalm_${Date.now()}${String(Math.floor(performance.now() * 1000) % 1000).padStart(3, '0')}`;
    }
    const session = state.eosSession;
    const commands: EapiCommand[] = [`configure session ${session}`];
    if (mode === 'replace') commands.push('rollback clean-config');
    commands.push(...eosCommands(config), 'end');
    try {
      await dev.run(commands, 'json');
    } catch (e) {
      await eosTransactions.discard(dev).catch(() => undefined);
      throw loadError(mode, errorText(e));
    }
    state.mode = mode;
  },

  async compare(device) {
    const dev = eapi(device);
    const session = await ownSession(dev);
    if (session === null) return '';
    const [out] = (await dev.run([`show session-config named ${session} diffs`], 'text')) as Array<{ output?: string }>;
    return (out?.output ?? '').split('\n').slice(2).join('\n').trim();
  },

  async commit(device, options: CommitOptions) {
    const dev = eapi(device);
    if (options.message) throw notSupported('Commit message not implemented for this platform (eos)');
    const state = transactionState(dev);
    if ((await ownSession(dev)) === null) throw noCandidate();
    if ((await pendingSessions(dev)).length > 0) throw pendingCommit();
    const revert = options.revertIn;
    if (revert !== null && (!Number.isInteger(revert) || revert < 1 || revert > MAX_COMMIT_TIMER_S)) {
      throw transactionError('CommitError', `revert_in must be between 1 and ${MAX_COMMIT_TIMER_S} s on eos`);
    }
    const commit = `configure session ${state.eosSession} commit${revert === null ? '' : ` timer ${hms(revert)}`}`;
    try {
      const save = revert === null ? ['write memory'] : [];
      await dev.run(['copy startup-config flash:rollback-0', commit, ...save], 'text');
    } catch (e) {
      throw transactionError('CommitError', errorText(e));
    }
    state.mode = null;
    // A timed session stays pending on the device until confirmed; forget it either way.
    state.eosSession = null;
  },

  async confirm(device) {
    const dev = eapi(device);
    const [session] = await pendingSessions(dev);
    if (session === undefined) throw nothingToConfirm();
    await dev.run([`configure session ${session} commit`, 'write memory'], 'text');
  },

  async discard(device) {
    const dev = eapi(device);
    const state = transactionState(dev);
    const session = await ownSession(dev);
    state.eosSession = null;
    state.mode = null;
    if (session === null) return;
    const known = await sessions(dev);
    if (known[session]?.state === 'pending') await abort(dev, session);
  },

  async rollback(device) {
    const dev = eapi(device);
    const [session] = await pendingSessions(dev);
    try {
      if (session !== undefined) await dev.run([`configure session ${session} abort`, 'write memory'], 'text');
      else await dev.run(['configure replace flash:rollback-0', 'write memory'], 'text');
    } catch (e) {
      throw transactionError('CommitError', `rollback failed: ${errorText(e)}`);
    }
  },

  async hasPendingCommit(device) {
    return (await pendingSessions(eapi(device))).length > 0;
  },
};
