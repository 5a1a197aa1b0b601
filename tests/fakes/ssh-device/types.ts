/**
 * Data model of a simulated platform. A profile is pure data: the engine in
 * device.ts interprets it, so adding a platform never means adding code paths.
 *
 * Text fields may contain placeholders the engine fills per session:
 * {hostname} {username} {context} {arg1} (first argument of the command) {now:<style>} (style: ios, xr, nxos, eos, junos, vrp, comware, linux).
 */

/** What a matched command does. Every kind is handled by device.ts. */
export type CommandAction =
  /** Print fixed text (subject to paging). */
  | { kind: 'output'; text: string; pageable?: boolean }
  /** Print the committed running configuration, rendered per the profile's config style. */
  | { kind: 'showRunning' }
  /** Print the candidate configuration (junos `show` in configuration mode, XR `show configuration running-merge`). */
  | { kind: 'showCandidate' }
  /** Print uncommitted changes (XR `show configuration`, junos `show | compare`). */
  | { kind: 'showPending' }
  /** Ask for the enable secret and move to the privileged mode. */
  | { kind: 'enable' }
  /** Drop to a fixed mode, clearing the mode stack (IOS `disable`). */
  | { kind: 'resetMode'; mode: string }
  /** Print the configuration saved by the last save (IOS `show startup-config`). */
  | { kind: 'showStartup' }
  /** Go to another mode; optional text printed first (junos `Entering configuration mode`). */
  | { kind: 'enterMode'; mode: string; text?: string }
  /** Leave the current mode one level (IOS `exit` in config-if goes to config). */
  | { kind: 'exitMode' }
  /** Leave configuration entirely (IOS `end`, VRP `return`). */
  | { kind: 'endConfig' }
  /** Close the session (exec-level `exit`, `quit`, `logout`). */
  | { kind: 'logout' }
  /** Turn paging off for this session; text is the acknowledgement, if the platform prints one. */
  | { kind: 'pagingOff'; text?: string }
  /** Set the page length from the first numeric argument (0 turns paging off). */
  | { kind: 'pagingLength'; text?: string }
  /** Record the whole line in the configuration at the current context. */
  | { kind: 'configLine' }
  /** Record the line as a section header and enter a sub-mode whose context is the header's arguments. */
  | { kind: 'configSection'; mode: string }
  /** Remove configuration: the words after the negation keyword (`no`, `undo`) name what goes. */
  | { kind: 'negate' }
  /** Record `hostname X` / `sysname X` and rename the device at once. */
  | { kind: 'hostname' }
  /** junos `set ...` / `delete ...` on the candidate tree. */
  | { kind: 'setPath' }
  | { kind: 'deletePath' }
  /** junos `edit <path>`, `top`, `up`. */
  | { kind: 'editPath' }
  | { kind: 'editTop' }
  | { kind: 'editUp' }
  /**
   * Copy the candidate to the running configuration. With `options`, the words after the keyword
   * are parsed (`confirmed [n]`, `comment <t>`, `replace`, `label <l>`, `and-quit`); a commit
   * confirmed arms a real revert timer, and `confirmedText` (`{n}` = the number) replaces `text`.
   */
  | {
      kind: 'commit';
      text: string;
      emptyText?: string;
      andQuit?: boolean;
      options?: { unit: 'minutes' | 'seconds'; defaultConfirm: number; confirmedText: string };
    }
  /** Load commit N of the history into the candidate (junos `rollback N`). */
  | { kind: 'rollbackLoad'; text: string }
  /** Revert the last N commits at once as a new commit (XR `rollback configuration last N`). */
  | { kind: 'rollbackCommits'; text: string }
  /** List the commit history (junos `show system commit`, XR `show configuration commit list`). */
  | { kind: 'commitHistory'; style: 'junos' | 'xr' }
  /** Ask, then remove everything below the current edit level (junos bare `delete`). */
  | { kind: 'deleteAll'; dialog: Dialog }
  /** IOS flash files and configuration archive; see archive.ts. */
  | { kind: 'archive'; op: ArchiveOp }
  /** IOS `do <command>`: run an exec command from configuration mode. */
  | { kind: 'do' }
  /** Throw away the candidate (junos `rollback 0`, XR `abort` keeps mode). */
  | { kind: 'discard'; text?: string; andQuit?: boolean }
  /** Save running to startup, possibly after a confirmation dialog. */
  | { kind: 'save'; dialog?: Dialog; text: string }
  /** Accept the line and print nothing (e.g. `terminal width 511`). */
  | { kind: 'accept'; text?: string };

export type ArchiveOp =
  | 'dir'
  | 'more'
  | 'copy'
  | 'tcl'
  | 'differences'
  | 'incrementalDiffs'
  | 'rollbackTimer'
  | 'replace'
  | 'confirm'
  | 'revertNow'
  | 'revertTimer';

/** A question the device asks, and what each answer does. */
export interface Dialog {
  prompt: string;
  answers: DialogAnswer[];
  /** Used when no answer pattern matches. */
  otherwise: DialogAnswer;
}

export interface DialogAnswer {
  /** Regex source tested (case-insensitive) against the trimmed answer line. */
  match?: string;
  text: string;
  /**
   * proceed: do what the command asked (save); abort: do nothing;
   * commit / discard / keep: leave configuration mode and commit, drop, or keep the candidate.
   */
  effect: 'proceed' | 'abort' | 'commit' | 'discard' | 'keep';
}

export interface CommandSpec {
  /**
   * Keyword syntax, e.g. `show ip interface brief`, `interface <rest>`,
   * `hostname <word>`. Keywords accept unique prefixes (`sh ip int br`);
   * `<word>` takes one token, `<rest>` one or more, `<any>` zero or more.
   */
  syntax: string;
  action: CommandAction;
}

export interface ModeSpec {
  /** Prompt template, e.g. `{hostname}(config-if)#`. May span lines (junos `[edit]`). */
  prompt: string;
  commands: CommandSpec[];
  /** Mode that `exit` / `quit` goes back to; absent for exec modes. */
  parent?: string;
  /** True for modes whose commands edit configuration (the engine uses it for `end`, uncommitted checks). */
  config?: boolean;
  /** True if the mode belongs to the privileged side (enable is not needed). */
  privileged?: boolean;
}

export interface ErrorFormats {
  /** Lines printed for an unknown word; `caret` adds a `^` line under the bad word. */
  invalid: { lines: string[]; caret: boolean };
  /** Used instead of `invalid` when the first word is unknown (junos `unknown command.`). */
  unknownCommand?: { lines: string[]; caret: boolean };
  incomplete: { lines: string[]; caret: boolean };
  /** `{input}` is replaced by the typed line, `{word}` by the offending word. */
  ambiguous: { lines: string[]; caret: boolean };
}

export interface PagingSpec {
  /** Text of the pager prompt, written without a newline. */
  more: string;
  /** Written after a key press to erase the pager prompt (backspaces, ANSI cursor moves). */
  erase: string;
  /** Lines per page before paging is turned off. */
  pageLength: number;
}

export interface EnableSpec {
  passwordPrompt: string;
  /** Attempts before the failure text is printed. */
  attempts: number;
  failure: string;
  /** Mode reached with the right secret. */
  mode: string;
}

export interface ConfigStyle {
  /** `block`: indented sections (IOS, EOS, NX-OS, XR, VRP, Comware). `set`: junos hierarchy. */
  model: 'block' | 'set';
  /** Initial configuration: indented text for `block`, `set ...` lines for `set`. */
  initial: string;
  /** Lines printed before the body of the running configuration. */
  header: string[];
  /** Lines printed after the body. */
  footer: string[];
  /** Line between sections (`!`, `#`), or '' for none. */
  separator: string;
  /** Negation keyword (`no`, `undo`). */
  negation: string;
  /** Line prefixes that hold one value per section: a new line with the same prefix replaces the old. */
  singleValued: string[];
  /** Changes wait for `commit` (junos, XR). */
  candidate: boolean;
  /** Asked when configuration mode is left with uncommitted changes (candidate platforms). */
  uncommittedDialog?: Dialog;
  /** Indent of lines inside a section (block model). */
  indent?: string;
  /** junos words that join with the next word into one node (`unit 0`). */
  pairedKeywords?: string[];
  /** junos statements without a value (`disable;`). */
  flagLeaves?: string[];
}

export interface PromptPatterns {
  /** JS regex sources (anchored, no flags) matching one full prompt line per mode family. */
  user?: string;
  privileged: string;
  config: string;
  /** Lines that must match at least one pattern, and lines that must match none. */
  samples: { match: string[]; noMatch: string[] };
}

export interface PlatformProfile {
  /** netmiko device_type name. */
  platform: string;
  description: string;
  defaultHostname: string;
  /** Printed after authentication, before the first prompt. */
  banner: string;
  /** Mode a shell session starts in; exec requests start in `execMode`. */
  loginMode: string;
  execMode: string;
  modes: Record<string, ModeSpec>;
  enable?: EnableSpec;
  paging: PagingSpec;
  errors: ErrorFormats;
  config: ConfigStyle;
  prompts: PromptPatterns;
  /** Line ending the device writes. */
  newline: string;
  /** Interface-name prefixes shortened in `{context}` (EOS `Ethernet1` -> `Et1`). */
  contextAbbreviations?: Record<string, string>;
  /** SSH identification string after `SSH-2.0-`, as the vendor's SSH server announces itself. */
  sshIdent: string;
}
