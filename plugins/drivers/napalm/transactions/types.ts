/**
 * What every platform's configuration transactions provide (NAPALM's load/compare/commit/
 * confirm/discard/rollback contract) and the errors they raise, named as NAPALM names them so
 * a job's error type reads the same as with the reference server.
 */
import { NetPulseError } from '../../../../core/errors.ts';
import type { NapalmDevice } from '../device.ts';

export type ConfigMode = 'merge' | 'replace';

export interface CommitOptions {
  /** Commit comment (Junos, IOS-XR); IOS and EOS have none and refuse one, as NAPALM does. */
  message: string | null;
  /** Seconds until an unconfirmed commit rolls itself back; null commits for good. */
  revertIn: number | null;
}

export interface PlatformTransactions {
  /** Puts the candidate on the device (or beside it) without changing the running config. */
  load(device: NapalmDevice, config: string, mode: ConfigMode): Promise<void>;
  /** The difference the loaded candidate would make, as the platform prints it ("" = none). */
  compare(device: NapalmDevice): Promise<string>;
  commit(device: NapalmDevice, options: CommitOptions): Promise<void>;
  /** Makes a pending commit-confirm permanent. */
  confirm(device: NapalmDevice): Promise<void>;
  discard(device: NapalmDevice): Promise<void>;
  /** Reverts the last commit (or the pending commit-confirm at once). */
  rollback(device: NapalmDevice): Promise<void>;
  hasPendingCommit(device: NapalmDevice): Promise<boolean>;
}

export type TransactionErrorType =
  | 'MergeConfigException'
  | 'ReplaceConfigException'
  | 'CommitError'
  | 'CommitConfirmException'
  | 'SessionLockedException';

/** A device-side failure of a transaction step; the job's error type is NAPALM's exception name. */
export function transactionError(type: TransactionErrorType, message: string): NetPulseError {
  return new NetPulseError('NP_ERR_DEVICE_COMMAND', message, { type });
}

export function loadError(mode: ConfigMode, message: string): NetPulseError {
  return transactionError(mode === 'replace' ? 'ReplaceConfigException' : 'MergeConfigException', message);
}

/** Commit or compare without a loaded candidate. */
export function noCandidate(): NetPulseError {
  return transactionError('CommitError', 'no candidate loaded: load a merge or replace candidate first');
}

/** A new commit while a commit-confirm waits: NAPALM's wording. */
export function pendingCommit(): NetPulseError {
  return transactionError('CommitError', 'Pending commit confirm already in process!');
}

export function nothingToConfirm(): NetPulseError {
  return transactionError('CommitConfirmException', 'No pending commit-confirm to confirm');
}

/** An operation or argument the platform does not have (NAPALM raises NotImplementedError). */
export function notSupported(message: string): NetPulseError {
  return new NetPulseError('NP_ERR_NOT_IMPLEMENTED', message, { type: 'NotImplementedError' });
}
