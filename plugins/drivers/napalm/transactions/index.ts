import type { JsonSchema, Logger } from '../../../../core/contracts/common.ts';
import { NetPulseError } from '../../../../core/errors.ts';
import type { NapalmDevice } from '../device.ts';

/**
 * Configuration transactions (load merge/replace, compare, commit with commit-confirm, discard,
 * rollback). The driver routes to this module only; everything here is written against
 * {@link NapalmDevice}.
 */

/** NAPALM method names a `command` request may name (the allow-list; nothing else is callable). */
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

export function isTransactionMethod(name: string): name is TransactionMethod {
  return (TRANSACTION_METHODS as readonly string[]).includes(name);
}

/**
 * Arguments of each method, as `driver_args: {"<method>": {...}}` of a command request. Each entry
 * is the JSON Schema of one argument (defaults included); unknown keys are rejected.
 */
export const TRANSACTION_ARG_SCHEMAS: Readonly<Record<TransactionMethod, Record<string, JsonSchema>>> = {
  load_merge_candidate: {
    config: { type: 'string', maxLength: 4 * 1024 * 1024, description: 'Configuration text to merge.' },
  },
  load_replace_candidate: {
    config: {
      type: 'string',
      maxLength: 4 * 1024 * 1024,
      description: 'Full configuration text that replaces the running one.',
    },
  },
  compare_config: {},
  commit_config: {
    message: {
      type: ['string', 'null'],
      maxLength: 1024,
      default: null,
      description: 'Commit comment (where the platform keeps one).',
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
 * Per-session state a transaction keeps between jobs (loaded candidate, EOS session name,
 * pending commit). It lives as long as the driver session: on the default `pinned` queue that is
 * across jobs to the same device. Keys the rest of the driver shares:
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
  mode: 'merge' | 'replace';
  message: string | null;
  revert_in: number | null;
  dry_run: boolean;
}

/**
 * Runs a whole `config` request: load (merge or replace), compare, then discard (dry_run) or
 * commit. Returns the job result (the reference returns `[diff]`).
 */
export async function runConfigTransaction(ctx: TransactionContext, req: ConfigTransactionRequest): Promise<unknown> {
  void ctx;
  void req;
  throw new NetPulseError(
    'NP_ERR_NOT_IMPLEMENTED',
    `napalm configuration transactions are not supported on ${ctx.device.platform} yet`,
  );
}

/** Runs one named transaction method of a `command` request; returns its NAPALM result. */
export async function runTransactionMethod(
  ctx: TransactionContext,
  method: TransactionMethod,
  args: Record<string, unknown>,
): Promise<unknown> {
  void args;
  throw new NetPulseError('NP_ERR_NOT_IMPLEMENTED', `napalm ${method} is not supported on ${ctx.device.platform} yet`);
}

/** Called when the driver session closes (e.g. to abort an open EOS config session). Never throws. */
export async function closeTransactions(ctx: TransactionContext): Promise<void> {
  void ctx;
}
