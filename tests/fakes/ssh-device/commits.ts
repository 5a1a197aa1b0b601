/**
 * Commit history and commit-confirm timers of one simulated device (Junos `commit confirmed`,
 * IOS-XR `commit confirmed`, IOS `configure replace … timer` / `configure terminal revert timer`).
 * An unconfirmed change really reverts when its timer fires; `timeScale` shrinks the wait for
 * tests (0.01 turns a 60 s revert into 0.6 s) while the device still prints the real minutes.
 */
import type { ConfigStore } from './config-store.ts';

export interface CommitRecord {
  config: ConfigStore;
  hostname: string;
  user: string;
  comment: string;
  at: Date;
  /** Minutes the commit waited for confirmation, when it was a commit confirmed. */
  confirmMinutes: number | null;
  /** Commit label/id shown by XR (`1000000001`) and counted by Junos (`rollback N`). */
  id: number;
}

export interface PendingConfirm {
  /** Configuration and hostname the device returns to when the timer fires. */
  restore: ConfigStore;
  hostname: string;
  seconds: number;
  expiresAt: number;
  timer: NodeJS.Timeout;
}

/** The state a commit-capable device keeps (lives in DeviceState). */
export interface CommitState {
  /** Newest first; index N is what Junos `rollback N` loads. */
  history: CommitRecord[];
  confirm: PendingConfirm | null;
  /** Multiplier for every confirm timer (1 = real time). */
  timeScale: number;
  nextId: number;
}

const MAX_HISTORY = 50;

export function createCommitState(
  initial: ConfigStore,
  hostname: string,
  user: string,
  timeScale: number,
): CommitState {
  const first = {
    config: initial.clone(),
    hostname,
    user,
    comment: '',
    at: new Date(),
    confirmMinutes: null,
    id: 1000000001,
  };
  return {
    history: [first],
    confirm: null,
    timeScale: timeScale > 0 ? timeScale : 1,
    nextId: 1000000002,
  };
}

export function recordCommit(
  state: CommitState,
  config: ConfigStore,
  hostname: string,
  user: string,
  comment: string,
  confirmMinutes: number | null,
): void {
  const record = {
    config: config.clone(),
    hostname,
    user,
    comment,
    at: new Date(),
    confirmMinutes,
    id: state.nextId++,
  };
  state.history.unshift(record);
  if (state.history.length > MAX_HISTORY) state.history.length = MAX_HISTORY;
}

/**
 * Starts (or restarts) the revert timer. `onExpire` puts `restore` back; the timer never keeps
 * the process alive and is cleared by {@link clearConfirm} or when the device closes.
 */
export function armConfirm(
  state: CommitState,
  restore: ConfigStore,
  hostname: string,
  seconds: number,
  onExpire: (pending: PendingConfirm) => void,
): void {
  clearConfirm(state);
  const waitMs = Math.max(1, Math.round(seconds * 1000 * state.timeScale));
  const pending: PendingConfirm = {
    restore: restore.clone(),
    hostname,
    seconds,
    expiresAt: Date.now() + waitMs,
    timer: setTimeout(() => {
      if (state.confirm !== pending) return;
      state.confirm = null;
      onExpire(pending);
    }, waitMs),
  };
  pending.timer.unref();
  state.confirm = pending;
}

/** Confirms (or abandons) the pending change: the timer stops, nothing is restored. */
export function clearConfirm(state: CommitState): boolean {
  const pending = state.confirm;
  if (!pending) return false;
  clearTimeout(pending.timer);
  state.confirm = null;
  return true;
}

/** Seconds left on the pending timer, in device time (scaled back up). */
export function remainingSeconds(state: CommitState): number {
  if (!state.confirm) return 0;
  return Math.max(0, Math.ceil((state.confirm.expiresAt - Date.now()) / state.timeScale / 1000));
}

export interface CommitArgs {
  confirmed: number | null;
  comment: string;
  replace: boolean;
  label: string;
  andQuit: boolean;
  check: boolean;
}

/**
 * Parses the words after `commit`: `confirmed [n]`, `comment <text>` (Junos quotes it),
 * `replace`, `label <l>`, `and-quit`, `check`. Unknown words give null (a syntax error).
 */
export function parseCommitArgs(words: readonly string[], defaultConfirm: number): CommitArgs | null {
  const out: CommitArgs = { confirmed: null, comment: '', replace: false, label: '', andQuit: false, check: false };
  for (let i = 0; i < words.length; i++) {
    const word = words[i].toLowerCase();
    if (word === 'confirmed') {
      const n = words[i + 1];
      if (n !== undefined && /^\d+$/.test(n)) {
        out.confirmed = Number(n);
        i++;
      } else out.confirmed = defaultConfirm;
    } else if (word === 'comment' || word === 'description') {
      const text = words.slice(i + 1).join(' ');
      out.comment = text.replace(/^"(.*)"$/, '$1');
      break;
    } else if (word === 'replace') out.replace = true;
    else if (word === 'label' && words[i + 1] !== undefined) out.label = words[++i];
    else if (word === 'and-quit') out.andQuit = true;
    else if (word === 'check') out.check = true;
    else return null;
  }
  return out;
}
