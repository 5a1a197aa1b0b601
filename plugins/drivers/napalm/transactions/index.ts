/**
 * NAPALM configuration transactions for the napalm driver: the reference's `config` request
 * (load → compare → commit, or discard on dry_run; result `[diff]`) and the transaction methods
 * callable by name (`compare_config`, `commit_config`, `confirm_commit`, `discard_config`,
 * `rollback`, `has_pending_commit`, `load_merge_candidate`, `load_replace_candidate`).
 * Platform modules: ios (flash files + archive), eos (eAPI config sessions), junos and iosxr
 * (CLI candidates).
 */
import type { JsonSchema, Logger } from '../../../../core/contracts/common.ts';
import { NetPulseError } from '../../../../core/errors.ts';
import type { NapalmDevice } from '../device.ts';
import { MAX_CANDIDATE_BYTES, MAX_CANDIDATE_LINES } from './cli.ts';
import { eosTransactions } from './eos.ts';
import { iosTransactions } from './ios.ts';
import { iosxrTransactions } from './iosxr.ts';
import { junosTransactions } from './junos.ts';
import { transactionState } from './state.ts';
import { notSupported, type ConfigMode, type PlatformTransactions } from './types.ts';

export type { ConfigMode, PlatformTransactions } from './types.ts';

/** Method names a `command` request may call (the allow-list; nothing else is reachable by name). */
export const TRANSACTION_METHODS = [
  'load_merge_candidate',
  'load_replace_candidate',
  'compare_config',
  'commit_config',
  'confirm_commit',
  'discard_config',
  'rollback',
  'has_pending_commit',
] as const;
export type TransactionMethod = (typeof TRANSACTION_METHODS)[number];

/**
 * Arguments of each method, as `driver_args: {"<method>": {...}}` of a command request. Each entry
 * is the JSON Schema of one argument (defaults included); unknown keys are rejected.
 */
export const TRANSACTION_ARG_SCHEMAS: Readonly<Record<TransactionMethod, Record<string, JsonSchema>>> = {
  load_merge_candidate: {
    config: { type: 'string', maxLength: MAX_CANDIDATE_BYTES, description: 'Configuration text to merge.' },
  },
  load_replace_candidate: {
    config: {
      type: 'string',
      maxLength: MAX_CANDIDATE_BYTES,
      description: 'Full configuration text that replaces the running one.',
    },
  },
  compare_config: {},
  commit_config: {
    message: {
      type: ['string', 'null'],
      maxLength: 1024,
      default: null,
      description: 'Commit comment (junos, iosxr; ios and eos refuse one).',
    },
    revert_in: {
      type: ['integer', 'null'],
      minimum: 1,
      maximum: 86400,
      default: null,
      description: 'Commit-confirm: seconds before an unconfirmed commit reverts.',
    },
  },
  confirm_commit: {},
  discard_config: {},
  rollback: {},
  has_pending_commit: {},
};

/**
 * Per-session state the driver hands over (the transactions' own memory, keyed by the same
 * session, is in state.ts). It lives as long as the driver session: on the default `pinned`
 * queue that is across jobs to the same device. Keys the rest of the driver shares:
 * - `eos_version` (string): set by the driver at connect on EOS (`show version`, as NAPALM's
 *   `open()`); transactions refuse EOS before 4.23.0 (config-session diffs), getters do not.
 * - `config_session` (string): the open EOS configuration session, if any; EOS `get_config`
 *   shows its candidate (`show session-config named <name>`).
 */
export type TransactionState = Record<string, unknown>;

export interface TransactionContext {
  device: NapalmDevice;
  state: TransactionState;
  log: Logger;
  signal: AbortSignal;
}

/** A `config` request: the reference's CommitConfig `{message, revert_in}` plus `mode`, and `dry_run`. */
export interface ConfigTransactionRequest {
  lines: string[];
  mode: ConfigMode;
  message: string | null;
  revert_in: number | null;
  dry_run: boolean;
}

const PLATFORMS: Record<string, PlatformTransactions> = {
  ios: iosTransactions,
  eos: eosTransactions,
  junos: junosTransactions,
  iosxr: iosxrTransactions,
};

/** NAPALM platforms with configuration transactions here. */
export const TRANSACTION_PLATFORMS: readonly string[] = Object.freeze(Object.keys(PLATFORMS));

export function isTransactionMethod(name: string): name is TransactionMethod {
  return (TRANSACTION_METHODS as readonly string[]).includes(name);
}

export function transactionsFor(platform: string): PlatformTransactions {
  const tx = PLATFORMS[platform];
  if (!tx) {
    throw notSupported(
      `configuration transactions are not available for napalm platform '${platform}' ` +
        `(available: ${TRANSACTION_PLATFORMS.join(', ')})`,
    );
  }
  return tx;
}

/** `config` as the reference takes it: one string or a list of lines, joined with newlines. */
export function candidateText(config: string | readonly string[]): string {
  const text = typeof config === 'string' ? config : config.join('\n');
  if (Buffer.byteLength(text) > MAX_CANDIDATE_BYTES || text.split('\n').length > MAX_CANDIDATE_LINES) {
    const why =
      `the candidate configuration is larger than ${MAX_CANDIDATE_BYTES} bytes ` + `or ${MAX_CANDIDATE_LINES} lines`;
    throw new NetPulseError('NP_ERR_DEVICE_COMMAND', why, { type: 'MergeConfigException' });
  }
  return text;
}

/** NAPALM's EOS driver needs config sessions with diffs: EOS 4.23.0 or later. */
const EOS_MIN_VERSION = [4, 23, 0];

function checkEosVersion(ctx: TransactionContext): void {
  const version = ctx.state.eos_version;
  if (ctx.device.platform !== 'eos' || typeof version !== 'string') return;
  const parts = /^(\d+)\.(\d+)\.(\d+)/.exec(version)?.slice(1).map(Number);
  if (!parts) return;
  const older = parts.findIndex((n, i) => n !== EOS_MIN_VERSION[i]);
  if (older >= 0 && parts[older] < EOS_MIN_VERSION[older]) {
    throw notSupported(`eos configuration transactions need EOS 4.23.0 or later (this device runs ${version})`);
  }
}

/** Runs one transaction step and tells the rest of the driver which EOS session is open (get_config). */
async function step<T>(ctx: TransactionContext, work: (tx: PlatformTransactions) => Promise<T>): Promise<T> {
  const tx = transactionsFor(ctx.device.platform);
  checkEosVersion(ctx);
  try {
    return await work(tx);
  } finally {
    if (ctx.device.platform === 'eos') {
      const session = transactionState(ctx.device).eosSession;
      if (session === null) delete ctx.state.config_session;
      else ctx.state.config_session = session;
    }
  }
}

/**
 * The `config` operation: load the candidate, take the diff, then commit it (with message and
 * revert_in) or, on dry_run, discard it. Returns `[diff]` as the reference does. A failure after
 * the load discards the candidate so the next job starts clean.
 */
export async function runConfigTransaction(ctx: TransactionContext, req: ConfigTransactionRequest): Promise<string[]> {
  const { device } = ctx;
  const text = candidateText(req.lines);
  return step(ctx, async (tx) => {
    await tx.load(device, text, req.mode);
    try {
      const diff = await tx.compare(device);
      if (req.dry_run) await tx.discard(device);
      else await tx.commit(device, { message: req.message, revertIn: req.revert_in });
      const summary = { platform: device.platform, mode: req.mode, dry_run: req.dry_run, revert_in: req.revert_in };
      ctx.log.info({ ...summary, changed: diff !== '' }, 'napalm config transaction');
      return [diff];
    } catch (e) {
      await tx.discard(device).catch(() => undefined);
      throw e;
    }
  });
}

function stringArg(args: Record<string, unknown>, name: string): string | null {
  const value = args[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new NetPulseError('NP_ERR_VALIDATION', `${name} must be a string`);
  return value;
}

function configArg(args: Record<string, unknown>): string {
  const config = args.config;
  if (typeof config === 'string') return candidateText(config);
  if (Array.isArray(config) && config.every((l) => typeof l === 'string')) return candidateText(config as string[]);
  throw new NetPulseError('NP_ERR_VALIDATION', 'config (a string or a list of lines) is required to load a candidate');
}

/**
 * One transaction method called by name with its arguments (`config` for the loads, `message`
 * and `revert_in` for commit_config). Results follow NAPALM: the diff for compare_config, a
 * boolean for has_pending_commit, null for the others.
 */
export async function runTransactionMethod(
  ctx: TransactionContext,
  method: TransactionMethod,
  args: Record<string, unknown> = {},
): Promise<string | boolean | null> {
  const { device } = ctx;
  return step(ctx, (tx) => callMethod(tx, device, method, args));
}

async function callMethod(
  tx: PlatformTransactions,
  device: NapalmDevice,
  method: TransactionMethod,
  args: Record<string, unknown>,
): Promise<string | boolean | null> {
  switch (method) {
    case 'load_merge_candidate':
      await tx.load(device, configArg(args), 'merge');
      return null;
    case 'load_replace_candidate':
      await tx.load(device, configArg(args), 'replace');
      return null;
    case 'compare_config':
      return tx.compare(device);
    case 'commit_config': {
      const revert = args.revert_in;
      if (revert !== undefined && revert !== null && (typeof revert !== 'number' || !Number.isInteger(revert))) {
        throw new NetPulseError('NP_ERR_VALIDATION', 'revert_in must be an integer number of seconds');
      }
      const revertIn = (revert as number | null | undefined) ?? null;
      await tx.commit(device, { message: stringArg(args, 'message'), revertIn });
      return null;
    }
    case 'confirm_commit':
      await tx.confirm(device);
      return null;
    case 'discard_config':
      await tx.discard(device);
      return null;
    case 'rollback':
      await tx.rollback(device);
      return null;
    case 'has_pending_commit':
      return tx.hasPendingCommit(device);
  }
}

/**
 * Called when the driver session closes: an EOS configuration session left open is aborted
 * (NAPALM's close() discards too) and the session's remembered candidate is forgotten. Never throws.
 */
export async function closeTransactions(ctx: TransactionContext): Promise<void> {
  const { device } = ctx;
  const state = transactionState(device);
  if (device.platform === 'eos' && state.eosSession !== null) {
    await eosTransactions.discard(device).catch(() => undefined);
    delete ctx.state.config_session;
  }
  state.candidate = null;
  state.mode = null;
}
