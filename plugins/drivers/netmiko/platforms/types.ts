/**
 * A platform is data: everything the driver needs to know about one network OS's CLI.
 * Code lives in the driver; vendor quirks live here, each backed by the vendor's CLI documentation.
 *
 * Prompt patterns are tested against the last line (two for multi-line prompts) of the cleaned buffer
 * (ANSI removed, line endings normalised to `\n`), never against the whole output, so a
 * pattern must be anchored `^…$` and describe only the prompt line(s).
 */

export type CliMode = 'exec' | 'privileged' | 'config';

/** A question the device may ask and the answer the driver types (without the Enter unless `answer` has it). */
export interface PromptAnswer {
  readonly pattern: RegExp;
  /** Sent as written; include `\n` when the device needs Enter after the answer. */
  readonly answer: string;
}

export interface OnOpenCommand {
  readonly command: string;
  /** Wait for the command's echo before reading to the prompt (default true). */
  readonly verifyEcho?: boolean;
}

export interface PlatformDefinition {
  /** Canonical netmiko `device_type`. */
  readonly name: string;
  /** Other `device_type` names that resolve to this definition. */
  readonly aliases: readonly string[];
  /** Platform name for ntc-templates / parser lookups. */
  readonly parserPlatform: string;
  /**
   * One pattern per mode the platform has; modes without a pattern do not exist on it.
   * Tested against the last line, or the last two when {@link promptLines} is 2.
   */
  readonly prompts: Readonly<Partial<Record<CliMode, RegExp>>>;
  /** Lines the prompt may span (Nokia MD-CLI prints a context line above it); default 1. */
  readonly promptLines?: 1 | 2;
  /**
   * Derives the base prompt (the stable part used to recognise "our" prompt across modes)
   * from a full prompt line; netmiko drops the terminator char, and for `<host>`/`[host]`
   * platforms the first char too. Applied to the last line only.
   */
  readonly basePrompt: (promptLine: string) => string;
  /** Keep at most this many chars of the base prompt (IOS abbreviates hostnames in config prompts). */
  readonly basePromptLength?: number;
  /** Enter key. */
  readonly newline: string;
  /** Appended to the SSH username (MikroTik terminal options). */
  readonly usernameSuffix?: string;
  /** PTY size; netmiko uses 511×1000 (IOS-XR 511×511). */
  readonly pty: { readonly cols: number; readonly rows: number };
  /** Answers to login-time questions shown before the first prompt. */
  readonly loginAnswers: readonly PromptAnswer[];
  /** Sent in order after the first prompt (paging off, width); their output is discarded. */
  readonly onOpen: readonly OnOpenCommand[];
  /** Escalation to privileged mode; null when the platform is always privileged. */
  readonly enable: null | {
    readonly command: string;
    readonly passwordPrompt: RegExp;
    readonly disableCommand: string;
    /** Typed when the secret was refused and the device asks again, to get back to a prompt. */
    readonly abort: string;
  };
  /** Configuration mode; null when the platform has none (commands apply directly). */
  readonly config: null | {
    readonly enter: string;
    /** Sent in order, each read to a prompt (SR OS MD-CLI leaves with `exit all` then `quit-config`). */
    readonly exit: readonly string[];
    /** Questions asked when leaving config mode (e.g. uncommitted changes). */
    readonly exitAnswers: readonly PromptAnswer[];
    /** Enter config mode by escalating (Linux: root shell is the config mode). */
    readonly viaEnable?: boolean;
  };
  /** Substrings (or patterns) in a config line's output that mean the device refused it. */
  readonly failureIndicators: readonly (string | RegExp)[];
  /** Persisting the running configuration; null when commit already persists or nothing exists. */
  readonly save: null | {
    readonly command: string;
    readonly confirmations: readonly PromptAnswer[];
    /** Output that means the save failed. */
    readonly failureIndicators: readonly (string | RegExp)[];
    readonly timeoutMs: number;
  };
  /** Candidate-config platforms: commit from config mode. */
  readonly commit: null | {
    readonly command: string;
    /** Output that must appear for a good commit (Junos `commit complete`); absent = no check. */
    readonly success?: RegExp;
    readonly failureIndicators: readonly (string | RegExp)[];
    readonly confirmations: readonly PromptAnswer[];
    /** Discards the candidate after a failed commit; null when leaving config mode discards it. */
    readonly discard: string | null;
    readonly timeoutMs: number;
  };
  /** Paging prompts answered automatically as a safety net (paging is turned off at open). */
  readonly pagingPrompts: readonly PromptAnswer[];
  /** Output lines removed from results (Junos `[edit]`, `{master:0}` context lines). */
  readonly contextLineFilters: readonly RegExp[];
  /** Command that ends the CLI session politely. */
  readonly logout: string;
  /** Key-exchange preference forced by netmiko for this platform (FortiOS). */
  readonly kex?: readonly string[];
}

/** Generic paging prompts: Cisco-like `--More--`, Huawei `---- More ----`, Junos `---(more 25%)---`. */
export const COMMON_PAGING_PROMPTS: readonly PromptAnswer[] = Object.freeze([
  { pattern: /^\s*-{2,4}\s?\(?more(?: \d+%)?\)?\s?-{2,4}\s*$/i, answer: ' ' },
  { pattern: /^\s*<?--\s?more\s?-->?\s*$/i, answer: ' ' },
  { pattern: /^\s*press any key to continue[^\n]*$/i, answer: ' ' },
]);

/** Drops the trailing terminator char and spaces: `lab-r1# ` → `lab-r1`. */
export function stripTerminator(promptLine: string): string {
  const trimmed = promptLine.trim();
  return trimmed.slice(0, -1);
}

/** Deep-freezes a platform object so no caller can mutate shared definitions. */
export function definePlatform(p: PlatformDefinition): PlatformDefinition {
  const freeze = (o: unknown): void => {
    if (o && typeof o === 'object' && !(o instanceof RegExp) && !Object.isFrozen(o)) {
      Object.freeze(o);
      for (const v of Object.values(o as Record<string, unknown>)) freeze(v);
    }
  };
  freeze(p);
  return p;
}
