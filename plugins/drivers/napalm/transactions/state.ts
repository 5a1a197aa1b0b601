/**
 * What a transaction remembers between steps of one device session (NAPALM keeps the same on
 * its driver object): the candidate's mode, EOS's session name, IOS-XR's candidate text and
 * pending commit-confirm deadline. Keyed by the session's device object (one per driver
 * session), so a pinned session keeps it across jobs and it goes away with the session.
 */
import type { NapalmDevice } from '../device.ts';
import type { ConfigMode } from './types.ts';

export interface TransactionState {
  mode: ConfigMode | null;
  /** Candidate text held by NetPulse (IOS-XR: the target config is replayed for compare and commit). */
  candidate: string | null;
  /** EOS configuration session holding the candidate. */
  eosSession: string | null;
  /** IOS file system holding the candidate files (`flash:`), found once with `dir`. */
  fileSystem: string | null;
  /** Epoch ms when an IOS-XR commit confirmed reverts (XR shows no pending state to exec mode). */
  pendingUntil: number | null;
  /** IOS-XR commit id of that commit confirmed: once another commit (the auto-revert) tops the list, it is over. */
  pendingCommitId: string | null;
}

const states = new WeakMap<object, TransactionState>();

export function transactionState(device: NapalmDevice): TransactionState {
  const key = device;
  let state = states.get(key);
  if (!state) {
    state = {
      mode: null,
      candidate: null,
      eosSession: null,
      fileSystem: null,
      pendingUntil: null,
      pendingCommitId: null,
    };
    states.set(key, state);
  }
  return state;
}
