import { createHash } from 'node:crypto';
import type { ConnectionArgs, Logger, QueueStrategy } from '../../../core/contracts/common.ts';
import type { Driver, DriverContext, DriverRequest, DriverSession } from '../../../core/contracts/driver.ts';
import { NetPulseError, validationError, type ValidationItem } from '../../../core/errors.ts';
import { commandSpan } from '../../../core/observability/tracing.ts';
import {
  abortError,
  applyBackspaces,
  Channel,
  endOfBufferMatcher,
  escapeRegExp,
  regexMatcher,
  type Matcher,
  type ReadResult,
} from './channel.ts';
import {
  resolveCommandOptions,
  resolveConfigOptions,
  resolveConnection,
  resolvePlatform,
  type CommandOptions,
  type ConfigOptions,
  type ConnectionSettings,
} from './options.ts';
import { detectMode, type CliMode, type PlatformDefinition, type PromptAnswer } from './platforms/index.ts';
import { netmikoSchemas } from './schemas.ts';
import { SshTransport } from './transport.ts';
import { canonicalJson } from '../../../core/drivers/canonical-json.ts';

/**
 * Driver layer: CLI modes and operations (netmiko's BaseConnection, written prompt-driven).
 * Every read ends on a prompt (or an expected pattern), never on a sleep; a read that does not
 * end in time fails with DEVICE_TIMEOUT and marks the session for a resync before its next use.
 */

// netmiko: one round of Enter + read for the first prompt starts here and doubles.
const FIRST_PROMPT_WAIT_MS = 1000;
const FIRST_PROMPT_MAX_MS = 20_000;
const ON_OPEN_TIMEOUT_MS = 10_000;
const MODE_CHANGE_TIMEOUT_MS = 15_000;
const ENABLE_TIMEOUT_MS = 15_000;
const PROBE_TIMEOUT_MS = 5_000;
const RESYNC_TIMEOUT_MS = 3_000;
// Dialogues (confirmations, retries) are bounded so a device that keeps asking cannot loop us.
const MAX_ANSWERS = 8;
const BYPASS_QUIET_MS = 300;

/** Text of the device for an error message: the interesting lines, without echo and prompt, capped. */
function deviceWords(text: string, maxChars = 500): string {
  const lines = text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim().length > 0);
  const joined = lines.join(' | ');
  return joined.length > maxChars ? joined.slice(0, maxChars) + '…' : joined;
}

function matchesIndicator(text: string, indicators: readonly (string | RegExp)[]): string | null {
  for (const ind of indicators) {
    if (typeof ind === 'string' ? text.includes(ind) : ind.test(text)) return typeof ind === 'string' ? ind : ind.source;
  }
  return null;
}

/** The lines of `text` that carry the failure (from the first line with the indicator to the end). */
function failureLines(text: string, indicator: (line: string) => boolean, contextLines: readonly RegExp[] = []): string {
  const lines = text.split('\n').filter((l) => !contextLines.some((re) => re.test(l)));
  const first = lines.findIndex(indicator);
  return deviceWords(first >= 0 ? lines.slice(first).join('\n') : text);
}

/** The echo of a command: its text with any whitespace run matching any whitespace (Junos adds a space, wraps repaint). */
function echoPattern(command: string): RegExp {
  return new RegExp(command.trim().split(/\s+/).map(escapeRegExp).join('\\s+'));
}

export interface OpenOptions {
  log: Logger;
  signal?: AbortSignal;
}

/** One interactive CLI session on one device. Not re-entrant: callers serialise (see {@link NetmikoSession}). */
export class NetmikoConnection {
  /** The last prompt line seen, trimmed (netmiko find_prompt's value, e.g. `lab-r1#`). */
  prompt = '';
  basePrompt = '';
  mode: CliMode = 'privileged';
  /** Set when a read failed mid-operation: the device may still be talking; resync before reuse. */
  dirty = false;
  private readonly platform: PlatformDefinition;

  private constructor(
    private readonly transport: SshTransport,
    readonly channel: Channel,
    private readonly settings: ConnectionSettings,
    private readonly log: Logger,
  ) {
    this.platform = settings.platform;
  }

  static async open(settings: ConnectionSettings, opts: OpenOptions): Promise<NetmikoConnection> {
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
      const channel = new Channel(stream, { pagingPrompts: settings.platform.pagingPrompts });
      channel.addSecrets(settings.password, settings.secret, settings.passphrase);
      transport.onClose(() => stream.destroy());
      const conn = new NetmikoConnection(transport, channel, settings, opts.log);
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
  private promptMatcher(extra?: RegExp | null, anyPrompt = false): Matcher {
    return endOfBufferMatcher((last, two) => {
      if (extra?.test(last)) return true;
      if (this.modeOf(last, two) === null) return false;
      return anyPrompt || this.basePrompt === '' || last.includes(this.basePrompt);
    });
  }

  private notePrompt(text: string): void {
    const lines = text.split('\n');
    const last = lines[lines.length - 1] ?? '';
    const two = lines.slice(-2).join('\n');
    const mode = this.modeOf(last, two);
    if (mode) {
      this.mode = mode;
      this.prompt = last.trim();
    }
  }

  private setBasePrompt(): void {
    const base = this.platform.basePrompt(this.prompt);
    this.basePrompt = this.platform.basePromptLength ? base.slice(0, this.platform.basePromptLength) : base;
  }

  private inConfigMode(): boolean {
    return this.platform.config?.viaEnable ? this.mode === 'privileged' : this.mode === 'config';
  }

  /**
   * Reads to the prompt, answering any of `answers` that shows up as the last line on the way.
   * Returns everything read (answers included) and the last question seen, for failure checks.
   */
  private async readPrompt(
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
      const r = await this.read(matcher, timeoutMs, signal, `the prompt${this.basePrompt ? ` (${this.basePrompt})` : ''}`);
      out += r.text;
      if (!hit) {
        this.notePrompt(out);
        return out;
      }
      this.channel.write((hit as PromptAnswer).answer);
    }
    throw new NetPulseError('NP_ERR_DEVICE_PROMPT', `The device kept asking questions; last: ${deviceWords(out.slice(-200))}`);
  }

  /** One read; a failure marks the session dirty because the device may still be mid-output. */
  private async read(pattern: RegExp | Matcher, timeoutMs: number, signal: AbortSignal | undefined, what: string): Promise<ReadResult> {
    try {
      return await this.channel.readUntil(pattern, { timeoutMs, signal, what });
    } catch (e) {
      this.dirty = true;
      throw e;
    }
  }

  private writeLine(text: string): void {
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
        throw new NetPulseError('NP_ERR_DEVICE_TIMEOUT', `Timed out waiting for the first prompt from ${this.settings.host}`);
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
        const r = await this.channel.readUntil(matcher, { timeoutMs: Math.min(wait, remaining), signal, what: 'the first prompt' });
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
  private async runSimple(
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
      throw new NetPulseError('NP_ERR_DEVICE_AUTH', `enable failed on ${this.settings.host}: ${deviceWords(out.text) || 'still in user mode'}`);
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
  private async runUntilPromptOr(
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

  private async readUntilPromptOr(
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
      throw new NetPulseError('NP_ERR_DEVICE_COMMAND', `Failed to leave configuration mode: ${deviceWords(out) || this.prompt}`);
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Operations

  /** netmiko send_command: one command, output read to the prompt (or expect_string). */
  async sendCommand(command: string, o: CommandOptions, signal?: AbortSignal): Promise<string> {
    const deadline = o.readTimeoutMs > 0 ? Date.now() + o.readTimeoutMs : 0;
    const left = (): number => (deadline === 0 ? 0 : Math.max(1, deadline - Date.now()));
    const trimmed = command.trim();
    this.channel.drain();
    this.channel.write(o.normalize ? command.replace(/\s+$/, '') + this.settings.newline : command);
    let out = '';
    if (o.cmdVerify && trimmed) {
      // Anything before the echo (a late prompt, a log line) is not output of this command.
      out = (await this.read(echoPattern(trimmed), left(), signal, `the echo of ${JSON.stringify(trimmed)}`)).match;
    }
    if (o.expectString) {
      out += (await this.read(regexMatcher(new RegExp(o.expectString)), left(), signal, `expect_string /${o.expectString}/`)).text;
      this.notePrompt(out);
    } else {
      out += (await this.read(this.promptMatcher(), left(), signal, `the prompt (${this.basePrompt})`)).text;
      this.notePrompt(out);
    }
    return this.cleanOutput(out, trimmed, o.stripCommand, o.stripPrompt);
  }

  /** netmiko _sanitize_output: strip the echoed command line and the trailing prompt line. */
  private cleanOutput(out: string, command: string, stripCommand: boolean, stripPrompt: boolean): string {
    let text = applyBackspaces(out);
    if (stripCommand && command && text.startsWith(command)) {
      text = text.split('\n').slice(1).join('\n');
    }
    if (stripPrompt) {
      const lines = text.split('\n');
      const last = lines[lines.length - 1] ?? '';
      if (this.basePrompt && last.includes(this.basePrompt)) lines.pop();
      text = lines.filter((l) => !this.platform.contextLineFilters.some((re) => re.test(l))).join('\n');
    }
    return text;
  }

  /** netmiko send_config_set, prompt-driven per line; refused lines raise DEVICE_COMMAND. */
  async sendConfigSet(lines: readonly string[], o: ConfigOptions, signal?: AbortSignal, stayInConfig = false): Promise<string> {
    const bypass = lines.some((l) => o.bypassCommands.test(l));
    const verify = o.cmdVerify && !bypass;
    let out = '';
    let entered = false;
    if (o.enterConfigMode) {
      const wasIn = this.inConfigMode();
      out += await this.configMode(o.configModeCommand, signal);
      entered = !wasIn && this.inConfigMode();
    }
    try {
      for (const line of lines) {
        const cmd = line.replace(/\s+$/, '');
        this.channel.drain();
        this.writeLine(cmd);
        let echo = '';
        if (verify && cmd.trim()) {
          echo = (await this.read(echoPattern(cmd), o.readTimeoutMs, signal, `the echo of ${JSON.stringify(cmd.trim())}`)).match;
        }
        let rest: string;
        if (bypass) {
          // Multi-line input (banners) shows no prompt until its end: take what comes within a short quiet window.
          try {
            rest = (await this.channel.readUntil(this.promptMatcher(o.terminator), { timeoutMs: BYPASS_QUIET_MS, signal, what: 'the prompt' })).text;
            this.notePrompt(rest);
          } catch (e) {
            if (!(e instanceof NetPulseError) || e.code !== 'NP_ERR_DEVICE_TIMEOUT' || signal?.aborted) throw e;
            rest = this.channel.drain();
          }
        } else {
          rest = await this.readPrompt(o.readTimeoutMs, signal, [], o.terminator);
        }
        out += echo + rest;
        // Judge only what the device said after the echoed line and before the prompt.
        const said = (verify ? rest : rest.split('\n').slice(1).join('\n')).split('\n').slice(0, -1).join('\n');
        const indicator = matchesIndicator(said, this.platform.failureIndicators);
        const patternHit = o.errorPattern?.test(said) ?? false;
        if (indicator || patternHit) {
          const words = failureLines(said, (l) =>
            indicator ? matchesIndicator(l, this.platform.failureIndicators) !== null : (o.errorPattern as RegExp).test(l),
            this.platform.contextLineFilters,
          );
          throw new NetPulseError('NP_ERR_DEVICE_COMMAND', `Invalid input detected at command: ${cmd.trim()} — ${words || said.trim()}`);
        }
      }
    } catch (e) {
      // Leave the session where it started so a pinned session's next job is not in config mode.
      if (entered && !this.dirty && this.alive) {
        await this.discardAndExit(signal).catch(() => {
          this.dirty = true;
        });
      }
      throw e;
    }
    if (o.exitConfigMode && !stayInConfig) out += await this.exitConfigMode(signal);
    return this.cleanOutput(out, lines[0]?.trim() ?? '', o.stripCommand, o.stripPrompt);
  }

  private async discardAndExit(signal?: AbortSignal): Promise<void> {
    const discard = this.platform.commit?.discard;
    if (discard && this.inConfigMode()) await this.runSimple(discard, true, MODE_CHANGE_TIMEOUT_MS, signal);
    await this.exitConfigMode(signal);
  }

  /** Commits the candidate (Junos, IOS-XR, VRPv8, SR OS); on failure discards it and raises. */
  async commit(signal?: AbortSignal, exitAfter = true): Promise<string> {
    const c = this.platform.commit;
    if (!c) return '';
    let out = '';
    if (!this.inConfigMode()) out += await this.configMode(null, signal);
    const result = await this.runSimple(c.command, true, c.timeoutMs, signal, c.confirmations);
    out += result;
    const failed = matchesIndicator(result, c.failureIndicators);
    if (failed || (c.success && !c.success.test(result))) {
      await this.discardAndExit(signal).catch(() => {
        this.dirty = true;
      });
      throw new NetPulseError(
        'NP_ERR_DEVICE_COMMAND',
        `Commit failed on ${this.settings.host}: ${failed ? failureLines(result, (l) => matchesIndicator(l, c.failureIndicators) !== null) : deviceWords(result)}`,
      );
    }
    if (exitAfter) out += await this.exitConfigMode(signal);
    return out;
  }

  /** Saves the running configuration (platform save command, confirmations answered). */
  async save(signal?: AbortSignal): Promise<string> {
    const s = this.platform.save;
    if (!s) {
      throw new NetPulseError('NP_ERR_DEVICE_COMMAND', `device_type ${this.settings.deviceType} has no save command`);
    }
    if (this.inConfigMode()) await this.exitConfigMode(signal);
    await this.enable(signal);
    const out = await this.runSimple(s.command, true, s.timeoutMs, signal, s.confirmations);
    const failed = matchesIndicator(out, s.failureIndicators);
    if (failed) {
      throw new NetPulseError(
        'NP_ERR_DEVICE_COMMAND',
        `Save failed on ${this.settings.host}: ${failureLines(out, (l) => matchesIndicator(l, s.failureIndicators) !== null)}`,
      );
    }
    return this.cleanOutput(out, s.command, false, false);
  }
}

// ---------------------------------------------------------------------------------------------
// DriverSession

/** A pinned-capable session: operations are serialised, aborts close it, dirty state is resynced. */
export class NetmikoSession implements DriverSession {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    readonly connection: NetmikoConnection,
    private readonly settings: ConnectionSettings,
  ) {}

  get alive(): boolean {
    return !this.closed && this.connection.alive;
  }

  /** The prompt as netmiko's find_prompt returns it (trimmed, terminator included). */
  get prompt(): string {
    return this.connection.prompt;
  }

  async send(commands: string[], req: DriverRequest, ctx: DriverContext): Promise<Record<string, string>> {
    const o = resolveCommandOptions(req.driver_args ?? {}, this.settings.globalCmdVerify);
    return this.run(ctx, async (conn, signal) => {
      const result: Record<string, string> = {};
      const escalated = req.options?.enable_mode === true ? await conn.enable(signal) : false;
      try {
        for (const cmd of commands) result[cmd] = await commandSpan(cmd, () => conn.sendCommand(cmd, o, signal));
      } finally {
        if (escalated && !conn.dirty && conn.alive) await conn.exitEnable(signal);
      }
      return result;
    });
  }

  async config(lines: string[], req: DriverRequest, ctx: DriverContext): Promise<string[]> {
    const o = resolveConfigOptions(req.driver_args ?? {}, this.settings.globalCmdVerify);
    const save = req.options?.save === true;
    const platform = this.settings.platform;
    return this.run(ctx, async (conn, signal) => {
      const escalated = req.options?.enable_mode === true ? await conn.enable(signal) : false;
      try {
        const commits = platform.commit !== null;
        const result = [await conn.sendConfigSet(lines, o, signal, commits)];
        if (commits) result.push(await conn.commit(signal, o.exitConfigMode));
        if (save) result.push(await conn.save(signal));
        return result;
      } finally {
        if (escalated && !conn.dirty && conn.alive) await conn.exitEnable(signal);
      }
    });
  }

  async probe(ctx: DriverContext): Promise<boolean> {
    if (!this.alive) return false;
    try {
      return await this.serialise(async () => {
        if (this.connection.dirty) await this.connection.resync(ctx.signal);
        await this.connection.findPrompt(PROBE_TIMEOUT_MS, ctx.signal);
        return true;
      });
    } catch {
      return false;
    }
  }

  async reset(ctx: DriverContext): Promise<void> {
    if (!this.alive) return;
    await this.serialise(async () => {
      this.connection.channel.drain();
      if (this.connection.dirty) {
        try {
          await this.connection.resync(ctx.signal);
        } catch {
          // The device is still busy or gone: this session cannot be trusted any more.
          this.closeNow();
        }
      }
    });
  }

  async close(): Promise<void> {
    this.closeNow();
  }

  private closeNow(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.close();
  }

  private serialise<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs one job step: resync if dirty, abort closes the session, a closed stream closes it too. */
  private run<T>(ctx: DriverContext, fn: (conn: NetmikoConnection, signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.serialise(async () => {
      if (!this.alive) throw new NetPulseError('NP_ERR_DEVICE_CLOSED', `The session to ${this.settings.host} is closed`);
      const signal = ctx.signal;
      if (signal.aborted) {
        this.closeNow();
        throw abortError(signal, 'the start of the operation');
      }
      const onAbort = (): void => this.closeNow();
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        if (this.connection.dirty) {
          try {
            await this.connection.resync(signal);
          } catch (e) {
            this.closeNow();
            throw new NetPulseError(
              'NP_ERR_DEVICE_CLOSED',
              `The session to ${this.settings.host} did not recover from an earlier failure and was closed: ${(e as Error).message}`,
            );
          }
        }
        return await fn(this.connection, signal);
      } catch (e) {
        if (signal.aborted) this.closeNow();
        if (e instanceof NetPulseError && e.code === 'NP_ERR_DEVICE_CLOSED') this.closeNow();
        throw e;
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Driver

export { canonicalJson };

export class NetmikoDriver implements Driver {
  readonly name = 'netmiko';
  readonly defaultQueueStrategy: QueueStrategy = 'pinned';
  readonly schemas = netmikoSchemas;

  constructor(private readonly log: Logger) {}

  validate(req: DriverRequest): void {
    const items: ValidationItem[] = [];
    const args = req.connection_args ?? {};
    let platform: PlatformDefinition | null = null;
    try {
      platform = resolvePlatform(args.device_type);
    } catch (e) {
      if (e instanceof NetPulseError) throw e;
    }
    if (typeof args.ssh_config_file === 'string' && args.ssh_config_file) {
      items.push({ loc: ['connection_args', 'ssh_config_file'], msg: 'ssh_config_file is not supported; use proxy_host/proxy_* for a jump host' });
    }
    const da = req.driver_args ?? {};
    try {
      if (req.operation === 'command') resolveCommandOptions(da, null);
      else resolveConfigOptions(da, null);
    } catch (e) {
      if (e instanceof NetPulseError && Array.isArray(e.data)) items.push(...(e.data as ValidationItem[]));
      else throw e;
    }
    if (req.operation === 'command' && da.use_genie === true) {
      items.push({ loc: ['driver_args', 'use_genie'], msg: 'use_genie is not available (Genie is Python-only); use use_textfsm or use_ttp' });
    }
    if (req.operation === 'config' && req.options?.save === true && platform && !platform.save) {
      items.push({
        loc: ['save'],
        msg: platform.commit
          ? `device_type ${platform.name} has no save: its commit already persists the configuration`
          : `device_type ${platform.name} has no save command`,
      });
    }
    if (items.length) throw validationError(items);
  }

  /** sha256 of the canonical connection args: any change (a new password included) is a new session. */
  sessionKey(args: ConnectionArgs): string {
    return 'netmiko:' + createHash('sha256').update(canonicalJson(args)).digest('hex');
  }

  async connect(args: ConnectionArgs, ctx: DriverContext): Promise<NetmikoSession> {
    const settings = resolveConnection(args);
    const log = ctx.log ?? this.log;
    const conn = await NetmikoConnection.open(settings, { log, signal: ctx.signal });
    return new NetmikoSession(conn, settings);
  }

  async test(args: ConnectionArgs, ctx: DriverContext): Promise<Record<string, unknown>> {
    const session = await this.connect(args, ctx);
    try {
      const out: Record<string, unknown> = {
        driver: this.name,
        host: args.host ?? args.ip,
        device_type: args.device_type,
        prompt: session.prompt,
      };
      for (const k of Object.keys(out)) if (out[k] === null || out[k] === undefined) delete out[k];
      return out;
    } finally {
      await session.close();
    }
  }
}
