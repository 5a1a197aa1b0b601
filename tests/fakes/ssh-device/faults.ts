/**
 * Fault injection shared by the server (connection-level faults) and the
 * session engine (command-level faults).
 */
export interface SimFaults {
  /** Output is written `chunkSize` characters at a time, `delayMs` apart. */
  slow?: { delayMs: number; chunkSize: number };
  /** A command matching this never gets an answer or a prompt; the session stops reading. */
  hangOn?: string | RegExp;
  /** A command matching this gets half its output, then the TCP connection is destroyed. */
  disconnectOn?: string | RegExp;
  /** Every password (and keyboard-interactive answer) is rejected. */
  authFail?: boolean;
  /** VTY limit: connections beyond this many authenticated ones are closed right after auth. */
  maxSessions?: number;
  /** Fixed delay before each command is answered. */
  commandLatencyMs?: number;
}

/** A string trigger matches the trimmed command exactly (case-insensitive); a RegExp is tested as is. */
export function matchesTrigger(trigger: string | RegExp | undefined, command: string): boolean {
  if (trigger === undefined) return false;
  if (typeof trigger === 'string') return trigger.trim().toLowerCase() === command.trim().toLowerCase();
  trigger.lastIndex = 0;
  return trigger.test(command);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Upper bound on one injected delay, so a mistyped option cannot hold a test run for hours. */
const MAX_FAULT_DELAY_MS = 60_000;

export function boundedDelay(ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return 0;
  return Math.min(ms, MAX_FAULT_DELAY_MS);
}

/**
 * Writes text through `sink`, in chunks with pauses when `slow` is set.
 * `isOpen` is checked between chunks so a closed channel stops the dribble.
 */
export async function writePaced(
  text: string,
  sink: (chunk: string) => void,
  isOpen: () => boolean,
  slow: SimFaults['slow'],
): Promise<void> {
  if (text === '' || !isOpen()) return;
  if (!slow || slow.chunkSize <= 0) {
    sink(text);
    return;
  }
  const size = Math.max(1, Math.floor(slow.chunkSize));
  const delay = boundedDelay(slow.delayMs);
  for (let offset = 0; offset < text.length; offset += size) {
    if (!isOpen()) return;
    sink(text.slice(offset, offset + size));
    if (offset + size < text.length && delay > 0) await sleep(delay);
  }
}
