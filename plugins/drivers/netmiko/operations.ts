import { NetPulseError } from '../../../core/errors.ts';
import { applyBackspaces, regexMatcher } from './channel.ts';
import { deviceWords, echoPattern, failureLines, matchesIndicator } from './cli-text.ts';
import { CliConnection, MODE_CHANGE_TIMEOUT_MS } from './connection.ts';
import type { CommandOptions, ConfigOptions } from './options.ts';

// Multi-line input (banners) shows no prompt until its end: a short quiet window ends its read.
const BYPASS_QUIET_MS = 300;

/** The netmiko operations on a CLI session: send_command, send_config_set, commit, save. */
export class NetmikoConnection extends CliConnection {
  /** netmiko send_command: one command, output read to the prompt (or expect_string). */
  async sendCommand(command: string, o: CommandOptions, signal?: AbortSignal): Promise<string> {
    this.channel.beginCommand();
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
    if (o.expect) {
      out += (await this.read(regexMatcher(o.expect), left(), signal, `expect_string /${o.expectString}/`)).text;
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
  async sendConfigSet(
    lines: readonly string[],
    o: ConfigOptions,
    signal?: AbortSignal,
    stayInConfig = false,
  ): Promise<string> {
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
          echo = (
            await this.read(echoPattern(cmd), o.readTimeoutMs, signal, `the echo of ${JSON.stringify(cmd.trim())}`)
          ).match;
        }
        let rest: string;
        if (bypass) {
          // Multi-line input (banners) shows no prompt until its end: take what comes within a short quiet window.
          try {
            rest = (
              await this.channel.readUntil(this.promptMatcher(o.terminator), {
                timeoutMs: BYPASS_QUIET_MS,
                signal,
                what: 'the prompt',
              })
            ).text;
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
          const words = failureLines(
            said,
            (l) =>
              indicator
                ? matchesIndicator(l, this.platform.failureIndicators) !== null
                : (o.errorPattern as RegExp).test(l),
            this.platform.contextLineFilters,
          );
          throw new NetPulseError(
            'NP_ERR_DEVICE_COMMAND',
            `Invalid input detected at command: ${cmd.trim()} — ${words || said.trim()}`,
          );
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
