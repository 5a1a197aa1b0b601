import type { Logger } from '../../../core/contracts/common.ts';
import { NetPulseError } from '../../../core/errors.ts';
import { Channel, endOfBufferMatcher, type Matcher, type OutputCaps, type ReadResult } from './channel.ts';
import { deviceWords, echoPattern } from './cli-text.ts';
import type { ConnectionSettings } from './options.ts';
import { detectMode, type CliMode, type PlatformDefinition, type PromptAnswer } from './platforms/index.ts';
import { SshTransport } from './transport.ts';

/**
 * Connection layer: session lifecycle and CLI modes (netmiko's BaseConnection, written prompt-driven).
 * Every read ends on a prompt (or an expected pattern), never on a sleep; a read that does not
 * end in time fails with DEVICE_TIMEOUT and marks the session for a resync before its next use.
 */

// netmiko: one round of Enter + read for the first prompt starts here and doubles.
const FIRST_PROMPT_WAIT_MS = 1000;
const FIRST_PROMPT_MAX_MS = 20_000;
const ON_OPEN_TIMEOUT_MS = 10_000;
export const MODE_CHANGE_TIMEOUT_MS = 15_000;
const ENABLE_TIMEOUT_MS = 15_000;
const RESYNC_TIMEOUT_MS = 3_000;
// Dialogues (confirmations, retries) are bounded so a device that keeps asking cannot loop us.
const MAX_ANSWERS = 8;

export interface OpenOptions {
  log: Logger;
  signal?: AbortSignal;
  /** Output caps for the session's channel (config `drivers.output.*`). */
  caps?: OutputCaps;
}

export type CliConnectionClass<T> = new (
  transport: SshTransport,
  channel: Channel,
  settings: ConnectionSettings,
  log: Logger,
) => T;

/**
 * Session lifecycle of one interactive CLI session on one device: open (transport, shell, first
 * prompt, on-open commands), prompts and modes, enable and configuration mode, resync, close. The
 * operations (send, config, commit, save) are added by `NetmikoConnection` in operations.ts. Not
 * re-entrant: callers serialise (see `NetmikoSession`).
 */
export class CliConnection {
  /** The last prompt line seen, trimmed (netmiko find_prompt's value, e.g. `lab-r1#`). */
  prompt = '';
  basePrompt = '';
  mode: CliMode = 'privileged';
  /** Set when a read failed mid-operation: the device may still be talking; resync before reuse. */
  dirty = false;
  protected readonly platform: PlatformDefinition;

  /** Use {@link CliConnection.open} (on the subclass that should be built). */
  constructor(
    private readonly transport: SshTransport,
    readonly channel: Channel,
    protected readonly settings: ConnectionSettings,
    private readonly log: Logger,
  ) {
    this.platform = settings.platform;
  }

  static async open<T extends CliConnection>(
    this: CliConnectionClass<T>,
    settings: ConnectionSettings,
    opts: OpenOptions,
  ): Promise<T> {
    const deadline = Date.now() + settings.timeoutMs;
    const transport = await SshTransport.connect({
      host: settings.host,
      port: settings.port,
      username: settings.username,
      password: settings.password,
      privateKey: settings.privateKey,
      passphrase: settings.passphrase,
      agent: settings.agent,
      timeoutMs: settings.timeoutMs,
      keepaliveMs: settings.keepaliveMs,
      algorithms: settings.algorithms,
      hostKeyPolicy: settings.hostKeyPolicy,
      knownHostsFile: settings.knownHostsFile,
      proxy: settings.proxy,
      log: opts.log,
      signal: opts.signal,
    });
    try {
      const stream = await transport.openShell(settings.platform.pty, Math.max(1, deadline - Date.now()), opts.signal);
      const channel = new Channel(stream, { pagingPrompts: settings.platform.pagingPrompts, caps: opts.caps });
      channel.addSecrets(settings.password, settings.secret, settings.passphrase);
      transport.onClose(() => stream.destroy());
      const conn = new this(transport, channel, settings, opts.log);
      await conn.prepare(deadline, opts.signal);
      return conn;
    } catch (e) {
      transport.close();
      throw e;
    }
  }

  get alive(): boolean {
    return this.transport.alive && !this.channel.closed;
  }

  get localPort(): number | null {
    return this.transport.localPort;
  }

  close(): void {
    this.transport.close();
  }

  // -------------------------------------------------------------------------------------------
  // Prompts and modes

  /** The mode a prompt belongs to, or null when the tail is not a prompt of this platform. */
  modeOf(lastLine: string, lastTwoLines: string): CliMode | null {
    return detectMode(this.platform, lastTwoLines.endsWith(lastLine) ? lastTwoLines : lastLine);
  }

  /**
   * Matches this session's prompt at the end of the buffer: any mode's pattern, and the base
   * prompt once known. Mode changes pass `anyPrompt` because escalation may change the whole
   * prompt (Linux `linux@vm:~$` → `root@vm:/home/linux#`); the base is re-derived after them.
   */
  protected promptMatcher(extra?: RegExp | null, anyPrompt = false): Matcher {
    return endOfBufferMatcher((last, two) => {
      if (extra?.test(last)) return true;
      if (this.modeOf(last, two) === null) return false;
      return anyPrompt || this.basePrompt === '' || last.includes(this.basePrompt);
    });
  }

  protected notePrompt(text: string): void {
    const lines = text.split('\n');
    const last = lines[lines.length - 1] ?? '';
    const two = lines.slice(-2).join('\n');
    const mode = this.modeOf(last, two);
    if (mode) {
      this.mode = mode;
      this.prompt = last.trim();
    }
  }

  protected setBasePrompt(): void {
    const base = this.platform.basePrompt(this.prompt);
    this.basePrompt = this.platform.basePromptLength ? base.slice(0, this.platform.basePromptLength) : base;
  }

  protected inConfigMode(): boolean {
    return this.platform.config?.viaEnable ? this.mode === 'privileged' : this.mode === 'config';
  }

  /**
   * Reads to the prompt, answering any of `answers` that shows up as the last line on the way.
   * Returns everything read (answers included) and the last question seen, for failure checks.
   */
  protected async readPrompt(
    timeoutMs: number,
    signal: AbortSignal | undefined,
    answers: readonly PromptAnswer[] = [],
    extra: RegExp | null = null,
    anyPrompt = false,
  ): Promise<string> {
    let out = '';
    const prompt = this.promptMatcher(extra, anyPrompt);
    for (let i = 0; i <= MAX_ANSWERS; i++) {
      let hit: PromptAnswer | null = null;
      const matcher: Matcher = (buf, from) => {
        const p = prompt(buf, from);
        if (p) return p;
        for (const a of answers) {
          const m = endOfBufferMatcher((last) => a.pattern.test(last))(buf, from);
          if (m) {
            hit = a;
            return m;
          }
        }
        return null;
      };
      const r = await this.read(
        matcher,
        timeoutMs,
        signal,
        `the prompt${this.basePrompt ? ` (${this.basePrompt})` : ''}`,
      );
      out += r.text;
      if (!hit) {
        this.notePrompt(out);
        return out;
      }
      this.channel.write((hit as PromptAnswer).answer);
    }
    throw new NetPulseError(
      'NP_ERR_DEVICE_PROMPT',
      `The device kept asking questions; last: ${deviceWords(out.slice(-200))}`,
    );
  }

  /** One read; a failure marks the session dirty because the device may still be mid-output. */
  protected async read(
    pattern: RegExp | Matcher,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    what: string,
  ): Promise<ReadResult> {
    try {
      return await this.channel.readUntil(pattern, { timeoutMs, signal, what });
    } catch (e) {
      this.dirty = true;
      throw e;
    }
  }

  protected writeLine(text: string): void {
    this.channel.write(text + this.settings.newline);
  }

  /** Session preparation: first prompt (answering login questions), then the on-open commands. */
  private async prepare(deadline: number, signal: AbortSignal | undefined): Promise<void> {
    const limit = Math.min(deadline, Date.now() + FIRST_PROMPT_MAX_MS);
    let wait = FIRST_PROMPT_WAIT_MS;
    let answered = 0;
    let sawOutput = '';
    for (;;) {
      const remaining = limit - Date.now();
      if (remaining <= 0) {
        const tail = this.channel.tailForError();
        if (sawOutput.trim() || this.channel.peek().trim()) {
          throw new NetPulseError(
            'NP_ERR_DEVICE_PROMPT',
            `No ${this.platform.name} prompt recognised from ${this.settings.host}; last output: ${tail}`,
          );
        }
        throw new NetPulseError(
          'NP_ERR_DEVICE_TIMEOUT',
          `Timed out waiting for the first prompt from ${this.settings.host}`,
        );
      }
      let hit: PromptAnswer | null = null;
      const prompt = this.promptMatcher();
      const matcher: Matcher = (buf, from) => {
        const p = prompt(buf, from);
        if (p) return p;
        for (const a of this.platform.loginAnswers) {
          const m = endOfBufferMatcher((last) => a.pattern.test(last))(buf, from);
          if (m) {
            hit = a;
            return m;
          }
        }
        return null;
      };
      try {
        const r = await this.channel.readUntil(matcher, {
          timeoutMs: Math.min(wait, remaining),
          signal,
          what: 'the first prompt',
        });
        sawOutput += r.text;
        if (hit && answered < MAX_ANSWERS) {
          answered++;
          this.channel.write((hit as PromptAnswer).answer);
          continue;
        }
        this.notePrompt(r.text);
        break;
      } catch (e) {
        if (!(e instanceof NetPulseError) || e.code !== 'NP_ERR_DEVICE_TIMEOUT' || signal?.aborted) throw e;
        // Nothing prompt-like yet: nudge with Enter, as netmiko's channel test does, backing off.
        this.channel.write(this.settings.newline);
        wait = Math.min(wait * 2, 8000);
      }
    }
    this.setBasePrompt();
    for (const cmd of this.platform.onOpen) {
      await this.runSimple(cmd.command, cmd.verifyEcho !== false, ON_OPEN_TIMEOUT_MS, signal);
    }
    this.dirty = false;
  }

  /** Writes a command and reads to the prompt; returns the output after the echo. */
  protected async runSimple(
    command: string,
    verifyEcho: boolean,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    answers: readonly PromptAnswer[] = [],
    anyPrompt = false,
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    this.channel.drain();
    this.writeLine(command);
    let out = '';
    if (verifyEcho && command.trim()) {
      out += (await this.read(echoPattern(command), timeoutMs, signal, `the echo of ${JSON.stringify(command)}`)).match;
    }
    out += await this.readPrompt(Math.max(1, deadline - Date.now()), signal, answers, null, anyPrompt);
    return out;
  }

  /** Returns to a known state after an interrupted operation: drain, Enter, prompt. */
  async resync(signal?: AbortSignal): Promise<void> {
    this.channel.drain();
    this.channel.write(this.settings.newline);
    await this.readPrompt(RESYNC_TIMEOUT_MS, signal);
    this.channel.drain();
    this.dirty = false;
  }

  /** netmiko find_prompt: Enter, read the prompt, return it trimmed. */
  async findPrompt(timeoutMs: number, signal?: AbortSignal): Promise<string> {
    this.channel.drain();
    this.channel.write(this.settings.newline);
    await this.readPrompt(timeoutMs, signal);
    return this.prompt;
  }

  // -------------------------------------------------------------------------------------------
  // Privilege and configuration modes

  /** Enters privileged mode. Returns true if it escalated (so the caller knows to leave it). */
  async enable(signal?: AbortSignal): Promise<boolean> {
    const en = this.platform.enable;
    if (!en || this.mode !== 'exec') return false;
    const secret = this.settings.secret;
    const asked = { pattern: en.passwordPrompt, answer: '' };
    let out = await this.runUntilPromptOr(en.command, [asked], ENABLE_TIMEOUT_MS, signal);
    let tries = 0;
    while (out.question) {
      if (!secret || tries > 0) {
        // No secret, or the secret was refused and the device asks again: back out to a prompt.
        this.channel.write(en.abort);
        const rest = await this.readUntilPromptOr([asked], ENABLE_TIMEOUT_MS, signal);
        out = { text: out.text + rest.text, question: rest.question };
        if (out.question && tries < MAX_ANSWERS) {
          tries++;
          continue;
        }
        const words = deviceWords(
          out.text
            .split('\n')
            .filter((l) => !en.passwordPrompt.test(l) && !l.includes(this.basePrompt) && !l.includes(en.command))
            .join('\n'),
        );
        throw new NetPulseError(
          'NP_ERR_DEVICE_AUTH',
          secret
            ? `enable failed on ${this.settings.host}: the secret was refused${words ? ` (${words})` : ''}`
            : `enable failed on ${this.settings.host}: the device asked for a password and no secret was given`,
        );
      }
      tries++;
      this.channel.write(secret + this.settings.newline);
      const rest = await this.readUntilPromptOr([asked], ENABLE_TIMEOUT_MS, signal);
      out = { text: out.text + rest.text, question: rest.question };
    }
    if (this.mode === 'exec') {
      throw new NetPulseError(
        'NP_ERR_DEVICE_AUTH',
        `enable failed on ${this.settings.host}: ${deviceWords(out.text) || 'still in user mode'}`,
      );
    }
    this.setBasePrompt();
    return true;
  }

  async exitEnable(signal?: AbortSignal): Promise<void> {
    const en = this.platform.enable;
    if (!en || this.mode === 'exec') return;
    if (this.inConfigMode() && !this.platform.config?.viaEnable) await this.exitConfigMode(signal);
    await this.runSimple(en.disableCommand, true, MODE_CHANGE_TIMEOUT_MS, signal, [], true);
    this.setBasePrompt();
  }

  /** Writes a command, then reads to the prompt or to one of the questions (not answered). */
  protected async runUntilPromptOr(
    command: string,
    questions: readonly PromptAnswer[],
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<{ text: string; question: boolean }> {
    this.channel.drain();
    this.writeLine(command);
    const echo = await this.read(echoPattern(command), timeoutMs, signal, `the echo of ${JSON.stringify(command)}`);
    const rest = await this.readUntilPromptOr(questions, timeoutMs, signal);
    return { text: echo.match + rest.text, question: rest.question };
  }

  protected async readUntilPromptOr(
    questions: readonly PromptAnswer[],
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<{ text: string; question: boolean }> {
    let question = false;
    const prompt = this.promptMatcher(null, true);
    const matcher: Matcher = (buf, from) => {
      const p = prompt(buf, from);
      if (p) return p;
      const q = endOfBufferMatcher((last) => questions.some((a) => a.pattern.test(last)))(buf, from);
      if (q) question = true;
      return q;
    };
    const r = await this.read(matcher, timeoutMs, signal, 'the prompt or a password question');
    if (!question) this.notePrompt(r.text);
    return { text: r.text, question };
  }

  /** Enters configuration mode (no-op when already there or when the platform has none). */
  async configMode(command: string | null, signal?: AbortSignal): Promise<string> {
    const cfg = this.platform.config;
    if (!cfg || this.inConfigMode()) return '';
    if (cfg.viaEnable && !command) {
      await this.enable(signal);
      return '';
    }
    const cmd = command ?? cfg.enter;
    const out = await this.runSimple(cmd, true, MODE_CHANGE_TIMEOUT_MS, signal);
    if (!this.inConfigMode()) {
      throw new NetPulseError(
        'NP_ERR_DEVICE_COMMAND',
        `Failed to enter configuration mode with ${JSON.stringify(cmd)}: ${deviceWords(out) || this.prompt}` +
          (this.mode === 'exec' ? ' (the session is in user mode: set enable_mode)' : ''),
      );
    }
    return out;
  }

  /** Leaves configuration mode, answering the platform's exit questions (uncommitted changes). */
  async exitConfigMode(signal?: AbortSignal): Promise<string> {
    const cfg = this.platform.config;
    if (!cfg || !this.inConfigMode()) return '';
    if (cfg.viaEnable) {
      await this.exitEnable(signal);
      return '';
    }
    let out = '';
    for (const cmd of cfg.exit) {
      out += await this.runSimple(cmd, true, MODE_CHANGE_TIMEOUT_MS, signal, cfg.exitAnswers);
      if (!this.inConfigMode()) break;
    }
    if (this.inConfigMode()) {
      throw new NetPulseError(
        'NP_ERR_DEVICE_COMMAND',
        `Failed to leave configuration mode: ${deviceWords(out) || this.prompt}`,
      );
    }
    return out;
  }
}
