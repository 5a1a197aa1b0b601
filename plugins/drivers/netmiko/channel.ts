import { StringDecoder } from 'node:string_decoder';
import { NetPulseError } from '../../../core/errors.ts';
import type { PromptAnswer } from './platforms/types.ts';
import { abortError } from '../../../core/ssh/abort.ts';

/**
 * Channel layer: turns the interactive shell's byte stream into clean text and reads it
 * prompt-driven. It knows terminals (escapes, backspaces, line endings, paging), not modes.
 */

/** The byte stream under a channel: an ssh2 shell channel, or any duplex in tests. */
export interface ShellStream {
  write(data: string | Buffer): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'close' | 'end', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeAllListeners?(event?: string): unknown;
  pause?(): unknown;
}

/** Where a read stopped: `text` is everything consumed up to and including `match`. */
export interface ReadResult {
  text: string;
  match: string;
}

/** Finds the end of what a read waits for in the buffer, or null while it is not there yet. */
export type Matcher = ((buffer: string, searchFrom: number) => { index: number; end: number } | null) & {
  /** Milliseconds to wait before evaluating again (a costly matcher yields the event loop). */
  deferMs?: () => number;
};

export interface ReadOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Human description for errors, e.g. "the prompt" or "the echo of 'show version'". */
  what: string;
}

/** Output caps in characters (config `drivers.output.*`). */
export interface OutputCaps {
  command: number;
  job: number;
}

export interface ChannelOptions {
  pagingPrompts?: readonly PromptAnswer[];
  /** Output caps; exceeding one fails the pending read with NP_ERR_OUTPUT_LIMIT. */
  caps?: OutputCaps;
  /** Strings never shown in error messages (secrets typed into the channel). */
  secrets?: readonly string[];
  /** How much trailing output an error message quotes. */
  errorTailChars?: number;
}

// CSI, OSC, DCS/PM/APC strings, charset selection, and the short two-byte escapes.
const ESCAPE_SEQUENCE =
  /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[P^_][^\x1b]*\x1b\\|[()*+][A-Za-z0-9]|[@-Z\\-_=>78c])/g;
// An escape cut by a chunk boundary: held back until the rest arrives.
const INCOMPLETE_ESCAPE_AT_END = /\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|\][^\x07\x1b]*\x1b|[P^_][^\x1b]*|[()*+])?$/;
// Control characters other than \b \t \n \r (ESC leftovers included).
const OTHER_CONTROLS = /[\x00-\x07\x0b\x0c\x0e-\x1f\x7f]/g;
// What devices print to erase a paging prompt after it is answered: spaces and backspaces, CRs,
// or cursor-left / erase-line escapes, always ending with a cursor move.
const PAGING_ERASE_PREFIX = /^(?:[ \b\r]|\x1b\[\d*[DK])*(?:[\b\r]|\x1b\[\d*[DK])/;

/**
 * Stateful terminal-output normaliser: removes ANSI/VT100 escapes (including bash's
 * bracketed-paste `ESC[?2004h/l`), Huawei's space+`ESC[1D` repaint pairs, stray control
 * characters, and normalises `\r\n`, `\r\r\n`, `\n\r` and lone `\r` to `\n`. Sequences split
 * across chunks are held back so a prompt never appears half-cleaned. Backspaces are kept:
 * they may erase text of an earlier chunk, which only the buffer owner can do.
 */
export class TerminalCleaner {
  private pending = '';
  private lastChar = '';
  private erasePagingNext = false;

  /** The next chunk starts with the device erasing an answered paging prompt. */
  expectPagingErase(): void {
    this.erasePagingNext = true;
  }

  push(raw: string): string {
    let s = this.pending + raw;
    this.pending = '';
    if (this.erasePagingNext && s.length > 0) {
      this.erasePagingNext = false;
      s = s.replace(PAGING_ERASE_PREFIX, '');
    }
    const cut = INCOMPLETE_ESCAPE_AT_END.exec(s);
    if (cut && cut[0].length > 0 && cut[0].length <= 256) {
      this.pending = cut[0];
      s = s.slice(0, cut.index);
    }
    if (s.endsWith('\r')) {
      // Could be the first half of \r\n.
      this.pending = '\r' + this.pending;
      s = s.slice(0, -1);
    }
    return this.clean(s);
  }

  /** Whatever is held back, cleaned (used when the stream ends). */
  flush(): string {
    const s = this.pending;
    this.pending = '';
    return this.clean(s);
  }

  private clean(s: string): string {
    if (s.length === 0) return s;
    if (s.includes('\x1b')) {
      s = s.replace(/ \x1b\[1D/g, '');
      s = s.replace(ESCAPE_SEQUENCE, (seq) => {
        if (seq === '\x1bE') return '\n';
        const insertLines = /^\x1b\[(\d*)L$/.exec(seq);
        if (insertLines) return '\n'.repeat(Math.min(Number(insertLines[1] || '1'), 100));
        return '';
      });
    }
    s = s.replace(OTHER_CONTROLS, '');
    if (s.includes('\r')) {
      if (this.lastChar === '\n') s = s.replace(/^\r+(?!\n)/, '');
      s = s
        .replace(/\r+\n/g, '\n')
        .replace(/\n\r+(?!\n)/g, '\n')
        .replace(/\r+/g, '\n');
    }
    if (s.length > 0) this.lastChar = s[s.length - 1]!;
    return s;
  }
}

/** Applies backspaces (`\b` erases the previous character of the same line). */
export function applyBackspaces(text: string): string {
  return appendWithBackspaces('', text);
}

/**
 * Appends `chunk` to `buffer`, applying the chunk's backspaces (a backspace erases the previous
 * character of the same line, possibly one the buffer already holds).
 */
export function appendWithBackspaces(buffer: string, chunk: string): string {
  const e = backspaceEdit(buffer, chunk);
  return (e.erase > 0 ? buffer.slice(0, buffer.length - e.erase) : buffer) + e.text;
}

/**
 * What appending `chunk` after `tail` does once backspaces are applied: erase `erase` characters
 * at the end of what came before, then append `text`. Linear in the chunk plus the characters
 * erased, so a device sending one backspace per packet costs O(output), not O(output²).
 */
export function backspaceEdit(tail: string, chunk: string): { erase: number; text: string } {
  if (!chunk.includes('\b')) return { erase: 0, text: chunk };
  const out: string[] = [];
  let eraseBefore = 0;
  let from = 0;
  for (let i = chunk.indexOf('\b'); i !== -1; i = chunk.indexOf('\b', from)) {
    if (i > from) out.push(chunk.slice(from, i));
    from = i + 1;
    while (out.length > 0 && out[out.length - 1]!.length === 0) out.pop();
    if (out.length > 0) {
      // Erase the last character produced so far, unless it ends a line.
      const last = out[out.length - 1]!;
      if (!last.endsWith('\n')) out[out.length - 1] = last.slice(0, -1);
    } else eraseBefore++;
  }
  if (from < chunk.length) out.push(chunk.slice(from));
  let erase = 0;
  if (eraseBefore > 0 && tail.length > 0) {
    const end = tail.slice(-eraseBefore);
    const nl = end.lastIndexOf('\n');
    erase = nl === -1 ? end.length : end.length - nl - 1;
  }
  return { erase, text: out.join('') };
}

/** Escapes a literal for use inside a RegExp. */
export function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** The last `n` lines of a buffer and the index where they start. */
export function lastLines(buffer: string, n: 1 | 2): { text: string; index: number } {
  // Only the window at the end is looked at: a prompt is short, and scanning a multi-megabyte
  // last line on every packet would make reads quadratic.
  const from = Math.max(0, buffer.length - PROMPT_WINDOW);
  const win = from > 0 ? buffer.slice(from) : buffer;
  let index = win.lastIndexOf('\n') + 1;
  if (index === 0 && from > 0) return { text: '', index: buffer.length };
  if (n === 2 && index > 0) {
    const prev = win.lastIndexOf('\n', index - 2);
    index = prev >= 0 ? prev + 1 : from > 0 ? index : 0;
  }
  return { text: win.slice(index), index: from + index };
}

/** Characters at the end of the buffer searched for a prompt line. */
const PROMPT_WINDOW = 4096;

/** A matcher over the last line(s) only: what "a prompt at the end of the buffer" means. */
export function endOfBufferMatcher(test: (tail: string, twoLines: string) => boolean): Matcher {
  return (buffer) => {
    const one = lastLines(buffer, 1);
    const two = lastLines(buffer, 2);
    if (one.text.length === 0 && two.text.length === 0) return null;
    return test(one.text, two.text) ? { index: one.index, end: buffer.length } : null;
  };
}

/** Characters at the end of the output one regex evaluation searches (expect_string & co.). */
export const REGEX_WINDOW = 8192;

/** Target time of one regex evaluation; a slower pattern gets a shorter window (down to REGEX_MIN_WINDOW). */
const REGEX_STEP_MS = 20;
const REGEX_MIN_WINDOW = 512;

/** CPU time one read may spend matching a regex before it fails with NP_ERR_REGEX_LIMIT. */
export const REGEX_BUDGET_MS = 2000;

/**
 * Largest share of this process's time that user-regex matching (all reads together) may take.
 * Every packet of a read triggers an evaluation, each up to ~50–100 ms for a hostile pattern over
 * REGEX_WINDOW characters; without a gate, a few such reads back to back kept the event loop busy
 * for seconds (/health answered after 14 s in the attack run).
 */
const REGEX_DUTY = 0.2;
/** When the next user-regex evaluation may start, process-wide (performance.now() time). */
let regexGateAt = 0;
/** Windows shrunk for slow patterns, by flags and source (bounded: cleared when full). */
const learnedWindows = new Map<string, number>();

/**
 * A matcher for a regex anywhere after the search start (netmiko's `re.search` over output).
 * The time spent matching is summed per read: a pattern that is slow on this output (even on the
 * linear-time engine, which a backtracking blow-up falls back to) ends the read after
 * {@link REGEX_BUDGET_MS} instead of keeping the event loop busy for the rest of the job.
 */
export function regexMatcher(pattern: RegExp, budgetMs = REGEX_BUDGET_MS): Matcher {
  const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  let spent = 0;
  const key = `${re.flags}/${re.source}`;
  let window = learnedWindows.get(key) ?? REGEX_WINDOW;
  const matcher: Matcher = (buffer, from) => {
    // One evaluation never sees more than the last `window` characters: even on the linear-time
    // engine a hostile pattern costs tens of µs per character.
    const searchFrom = Math.max(from, buffer.length - window);
    const t0 = performance.now();
    const m = re.exec(searchFrom > 0 ? buffer.slice(searchFrom) : buffer);
    const cost = performance.now() - t0;
    spent += cost;
    // A pattern this slow on this output looks at a shorter tail next time, so that one
    // evaluation (which cannot be interrupted) stays near REGEX_STEP_MS on any machine.
    if (cost > REGEX_STEP_MS) {
      window = Math.max(REGEX_MIN_WINDOW, Math.floor((window * REGEX_STEP_MS) / cost));
      // Later reads with the same pattern (every job of a repeated request) start there.
      if (learnedWindows.size >= 256) learnedWindows.clear();
      learnedWindows.set(key, window);
    }
    regexGateAt = Math.max(regexGateAt, t0 + cost) + cost * (1 / REGEX_DUTY - 1);
    if (!m && spent > budgetMs) {
      throw new NetPulseError(
        'NP_ERR_REGEX_LIMIT',
        `Regex /${pattern.source.slice(0, 100)}/ spent more than ${budgetMs} ms matching device output`,
      );
    }
    return m ? { index: m.index + searchFrom, end: m.index + searchFrom + m[0].length } : null;
  };
  matcher.deferMs = () => regexGateAt - performance.now();
  return matcher;
}

/** Replaces each secret with `***` so error messages never carry it. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('***');
  return out;
}

interface Waiter {
  matcher: Matcher;
  searchFrom: number;
  opts: ReadOptions;
  resolve(r: ReadResult): void;
  reject(e: Error): void;
  cleanup(): void;
}

// Regexes may match up to this far back into text already searched, so incremental searches
// restart a little before the previous end instead of rescanning megabytes of output.
const SEARCH_OVERLAP = 4096;
// Size of the tail copy matchers search (see Channel.recent): covers SEARCH_OVERLAP plus a
// REGEX_WINDOW, and small enough that keeping it flat per packet is cheap.
const RECENT_MAX = 16384;
// Defaults of drivers.output.max_command_bytes / max_job_bytes for channels built without caps.
const DEFAULT_COMMAND_CAP = 16 * 1024 * 1024;
const DEFAULT_JOB_CAP = 64 * 1024 * 1024;

/**
 * Buffered reader over a shell stream. One read at a time (the driver serialises operations);
 * data arriving between reads stays buffered for the next one.
 */
export class Channel {
  // The buffer is kept as pieces plus a copy of its last RECENT_MAX..2×RECENT_MAX characters:
  // matching only ever looks at the end, and joining or slicing a multi-megabyte string on every
  // packet would make long outputs quadratic.
  private parts: string[] = [];
  private length = 0;
  private recent = '';
  private readonly cleaner = new TerminalCleaner();
  private readonly decoder = new StringDecoder('utf8');
  private waiter: Waiter | null = null;
  private closedReason: string | null = null;
  private readonly pagingPrompts: readonly PromptAnswer[];
  private secrets: string[];
  private readonly errorTailChars: number;
  /** Paging prompts answered since creation (exposed for tests and diagnostics). */
  pagingAnswers = 0;
  private readonly caps: OutputCaps;
  private commandChars = 0;
  private jobChars = 0;
  private limitError: NetPulseError | null = null;
  /** Between beginJob and endJob: output counts against the caps even while no read is pending. */
  private inJob = false;
  /** The pending read's matcher asked to wait (see Matcher.deferMs); `recheck` looks again. */
  private deferred = false;
  private recheck: NodeJS.Timeout | null = null;

  constructor(
    private readonly stream: ShellStream,
    opts: ChannelOptions = {},
  ) {
    this.pagingPrompts = opts.pagingPrompts ?? [];
    this.secrets = [...(opts.secrets ?? [])];
    this.errorTailChars = opts.errorTailChars ?? 200;
    this.caps = opts.caps ?? { command: DEFAULT_COMMAND_CAP, job: DEFAULT_JOB_CAP };
    stream.on('data', (chunk) => this.onData(chunk));
    stream.on('close', () => this.onClose('the device closed the session'));
    stream.on('end', () => this.onClose('the device closed the session'));
    stream.on('error', (err) => this.onClose(`the session failed: ${err.message}`));
  }

  get closed(): boolean {
    return this.closedReason !== null;
  }

  /** Adds strings that must never appear in error messages. */
  addSecrets(...values: (string | null | undefined)[]): void {
    for (const v of values) if (v) this.secrets.push(v);
  }

  write(text: string): void {
    if (this.closedReason !== null) {
      throw new NetPulseError('NP_ERR_DEVICE_CLOSED', `Cannot write: ${this.closedReason}`);
    }
    this.stream.write(text);
  }

  /** A job starts: its output budget (`caps.job`) starts over. */
  beginJob(): void {
    this.jobChars = 0;
    this.commandChars = 0;
    this.limitError = null;
    this.inJob = true;
  }

  /** The job ended: output from now on is nobody's (kept to a bounded tail). */
  endJob(): void {
    this.inJob = false;
  }

  /** A command starts: its output budget (`caps.command`) starts over. */
  beginCommand(): void {
    this.commandChars = 0;
    if (this.limitError?.message.includes('max_command_bytes')) this.limitError = null;
  }

  /** The whole buffer as one string (joined on demand: once per completed read). */
  private get buffer(): string {
    if (this.parts.length > 1) this.parts = [this.parts.join('')];
    return this.parts[0] ?? '';
  }

  private set buffer(text: string) {
    this.parts = text ? [text] : [];
    this.length = text.length;
    this.recent = text.length > RECENT_MAX ? text.slice(-RECENT_MAX) : text;
  }

  /** Appends device text, applying its backspaces to what is already buffered. */
  private append(chunk: string): void {
    const { erase, text } = backspaceEdit(this.recent, chunk);
    if (erase > 0) this.eraseEnd(erase);
    if (text.length === 0) return;
    this.parts.push(text);
    this.length += text.length;
    this.recent += text;
    // Trimmed, the tail still covers this chunk plus SEARCH_OVERLAP before it: the pending read's
    // search start then always lies inside `recent`, so matching never joins the whole buffer
    // (which, once per trim, made long outputs quadratic).
    if (this.recent.length > 2 * RECENT_MAX) {
      this.recent = this.recent.slice(-Math.max(RECENT_MAX, text.length + SEARCH_OVERLAP));
    }
  }

  /** Removes the last `n` characters (n never exceeds `recent`). */
  private eraseEnd(n: number): void {
    let left = n;
    while (left > 0 && this.parts.length > 0) {
      const last = this.parts[this.parts.length - 1]!;
      if (last.length <= left) {
        this.parts.pop();
        left -= last.length;
      } else {
        this.parts[this.parts.length - 1] = last.slice(0, last.length - left);
        left = 0;
      }
    }
    this.length -= n - left;
    this.recent = this.recent.slice(0, Math.max(0, this.recent.length - (n - left)));
  }

  /** Runs a matcher over the buffer, handing it only the recent tail when that covers `searchFrom`. */
  private match(matcher: Matcher, searchFrom: number): { index: number; end: number } | null {
    const offset = this.length - this.recent.length;
    // Every matcher looks only at the end of the text (PROMPT_WINDOW, REGEX_WINDOW), which
    // `recent` always holds: a search start before it (a deferred read behind a flood of output)
    // must not join the whole multi-megabyte buffer on each evaluation.
    const m = matcher(this.recent, Math.max(0, searchFrom - offset));
    return m ? { index: m.index + offset, end: m.end + offset } : null;
  }

  /** Returns and discards everything buffered (stale output from an earlier operation). */
  drain(): string {
    const out = this.buffer;
    this.buffer = '';
    return out;
  }

  /** What is buffered, without consuming it. */
  peek(): string {
    return this.buffer;
  }

  /**
   * Reads until `pattern` (a regex searched in the buffer, or a matcher such as a prompt at the
   * end of the buffer) and consumes the text through the match. Rejects with DEVICE_TIMEOUT
   * naming what it waited for and the last output seen, DEVICE_CLOSED when the stream ends,
   * or the abort reason when `signal` fires.
   */
  readUntil(pattern: RegExp | Matcher, opts: ReadOptions): Promise<ReadResult> {
    if (this.waiter) {
      return Promise.reject(new Error('Channel.readUntil: a read is already pending'));
    }
    if (this.limitError) return Promise.reject(this.limitError);
    const matcher = pattern instanceof RegExp ? regexMatcher(pattern) : pattern;
    // A costly matcher waiting for its turn does not get an immediate look either.
    const gated = (matcher.deferMs?.() ?? 0) >= 1;
    let immediate: { index: number; end: number } | null;
    try {
      immediate = gated ? null : this.match(matcher, 0);
    } catch (e) {
      return Promise.reject(e);
    }
    if (immediate) return Promise.resolve(this.consume(immediate));
    if (this.closedReason !== null) return Promise.reject(this.closedError(opts.what));
    if (opts.signal?.aborted) return Promise.reject(abortError(opts.signal, opts.what));

    return new Promise<ReadResult>((resolve, reject) => {
      const timer =
        opts.timeoutMs > 0
          ? setTimeout(() => {
              this.waiter = null;
              cleanup();
              reject(
                new NetPulseError(
                  'NP_ERR_DEVICE_TIMEOUT',
                  `Timed out after ${opts.timeoutMs} ms waiting for ${opts.what}; last output: ${this.tailForError()}`,
                ),
              );
            }, opts.timeoutMs)
          : null;
      const onAbort = (): void => {
        this.waiter = null;
        cleanup();
        reject(abortError(opts.signal!, opts.what));
      };
      const cleanup = (): void => {
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiter = {
        matcher,
        searchFrom: gated ? 0 : Math.max(0, this.length - SEARCH_OVERLAP),
        opts,
        resolve,
        reject,
        cleanup,
      };
      if (gated) this.check();
    });
  }

  /** The last chars of the buffer as an error message quotes them (secrets redacted). */
  tailForError(): string {
    return JSON.stringify(redact(this.recent.slice(-this.errorTailChars), this.secrets));
  }

  private consume(m: { index: number; end: number }): ReadResult {
    const all = this.buffer;
    const text = all.slice(0, m.end);
    const match = all.slice(m.index, m.end);
    this.buffer = all.slice(m.end);
    return { text, match };
  }

  private onData(chunk: Buffer | string): void {
    const raw = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (this.limitError) return;
    let cleaned = this.cleaner.push(raw);
    if (cleaned.length === 0) return;
    this.commandChars += cleaned.length;
    this.jobChars += cleaned.length;
    const over =
      this.commandChars > this.caps.command
        ? { key: 'max_command_bytes', cap: this.caps.command, used: this.commandChars }
        : this.jobChars > this.caps.job
          ? { key: 'max_job_bytes', cap: this.caps.job, used: this.jobChars }
          : null;
    if (over && (this.waiter || this.inJob)) {
      // Keep what fits; the rest is dropped and the session is not reused after this error.
      cleaned = cleaned.slice(0, Math.max(0, cleaned.length - (over.used - over.cap)));
      this.append(cleaned);
      this.limitError = new NetPulseError(
        'NP_ERR_OUTPUT_LIMIT',
        `Device output exceeded drivers.output.${over.key} (${over.cap} characters)`,
      );
      // Output often arrives between two reads of a command (after its echo was read, before the
      // prompt read is pending): the error then waits for that next read, which fails at once.
      if (!this.waiter) return;
      // Stop reading: the device blocks on its flow-control window instead of making us decrypt
      // and drop output until the session is closed.
      this.stream.pause?.();
      const w = this.waiter;
      this.waiter = null;
      w.cleanup();
      w.reject(this.limitError);
      return;
    }
    this.append(cleaned);
    if (!this.waiter && this.length > this.caps.command) {
      // Output nobody reads (between jobs): keep only the tail a next read could match.
      this.buffer = this.recent.slice(-SEARCH_OVERLAP);
    }
    this.check();
  }

  private check(): void {
    if (this.resolveWaiter()) return;
    // A deferred search has not looked at the new output yet: its start stays.
    if (this.waiter && !this.deferred) this.waiter.searchFrom = Math.max(0, this.length - SEARCH_OVERLAP);
    this.answerPaging();
  }

  /** Resolves the pending read if the buffer now holds what it waits for. */
  private resolveWaiter(): boolean {
    const w = this.waiter;
    if (!w) return false;
    const wait = w.matcher.deferMs?.() ?? 0;
    if (wait >= 1) {
      // A costly matcher's turn comes later: look again then (output arriving meanwhile is
      // appended and searched in that evaluation).
      this.deferred = true;
      this.recheck ??= setTimeout(() => {
        this.recheck = null;
        this.check();
      }, Math.ceil(wait));
      return false;
    }
    this.deferred = false;
    let m: { index: number; end: number } | null;
    try {
      m = this.match(w.matcher, w.searchFrom);
    } catch (e) {
      // A matcher over its budget (NP_ERR_REGEX_LIMIT) ends this read, not the process.
      this.waiter = null;
      w.cleanup();
      w.reject(e as Error);
      return true;
    }
    if (!m) return false;
    this.waiter = null;
    w.cleanup();
    w.resolve(this.consume(m));
    return true;
  }

  /**
   * Safety net for paging left on (or turned back on by the user): a paging prompt as the
   * last line is removed from the output and answered, and the device's erase sequence that
   * follows is dropped so it cannot eat real output.
   */
  private answerPaging(): void {
    if (this.pagingPrompts.length === 0) return;
    const last = lastLines(this.recent, 1);
    if (last.text.length === 0 || last.text.length > 120) return;
    for (const p of this.pagingPrompts) {
      if (p.pattern.test(last.text)) {
        this.eraseEnd(this.recent.length - last.index);
        this.pagingAnswers++;
        this.cleaner.expectPagingErase();
        if (this.closedReason === null) this.stream.write(p.answer);
        return;
      }
    }
  }

  private onClose(reason: string): void {
    if (this.closedReason !== null) return;
    const rest = this.cleaner.flush() + this.decoder.end();
    if (rest) this.append(rest);
    // A final prompt may have arrived together with the close.
    this.resolveWaiter();
    this.closedReason = reason;
    const pending = this.waiter;
    if (pending) {
      this.waiter = null;
      pending.cleanup();
      pending.reject(this.closedError(pending.opts.what));
    }
  }

  private closedError(what: string): NetPulseError {
    return new NetPulseError(
      'NP_ERR_DEVICE_CLOSED',
      `Session closed while waiting for ${what}: ${this.closedReason}; last output: ${this.tailForError()}`,
    );
  }
}

export { abortError } from '../../../core/ssh/abort.ts';
