/**
 * Replay store for the device simulators: command outputs recorded as files, named the way
 * NAPALM's test-suite names its mocked data — every character that is not an ASCII letter or
 * digit becomes `_`, cut to 150 characters, plus an extension (`.txt` CLI text, `.json` / `.text`
 * eAPI json / text). Directories are searched in order; the first that has the file wins.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Largest replay file served (a recorded `show running-config all` is far below this). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** NAPALM's `re.sub("[^a-zA-Z0-9]", "_", command)[0:150]`. */
export function replayFileName(command: string): string {
  return command.replace(/[^a-zA-Z0-9]/g, '_').slice(0, 150);
}

export class ReplayStore {
  readonly dirs: readonly string[];

  constructor(dirs: readonly string[]) {
    if (dirs.length === 0) throw new Error('replay: at least one directory is needed');
    for (const d of dirs) {
      if (!statSync(d, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`replay: ${d} is not a directory`);
    }
    this.dirs = [...dirs];
  }

  /** The recorded text for a command (universal newlines), or null when no directory has it. */
  lookup(command: string, extension: 'txt' | 'json' | 'text'): string | null {
    const name = `${replayFileName(command.trim())}.${extension}`;
    for (const dir of this.dirs) {
      const text = readBounded(join(dir, name));
      if (text !== null) return text.replace(/\r\n?/g, '\n');
    }
    return null;
  }
}

function readBounded(path: string): string | null {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st?.isFile()) return null;
  if (st.size > MAX_FILE_BYTES) throw new Error(`replay: ${path} is larger than ${MAX_FILE_BYTES} bytes`);
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
