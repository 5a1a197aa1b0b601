import { COMMON_PAGING_PROMPTS, definePlatform, stripTerminator, type PlatformDefinition } from './types.ts';

/**
 * Cisco IOS (netmiko `cisco/cisco_ios.py`, scrapli `cisco_iosxe.yaml`), also the profile the FRR
 * vtysh lab speaks. Prompt regexes are scrapli's with the possessive `\s?+` written `\s?` (JS).
 */
export const CISCO_IOS_PROMPTS = {
  exec: /^[\w.\-@/:]{1,63}>\s?$/,
  privileged: /^[\w.\-@/:]{1,63}#\s?$/,
  // `(tcl)#` is the Tcl shell, not configuration mode.
  config: /^[\w.\-@/:]{1,63}\((?!tcl\))[\w.\-@/:+]{0,32}\)#\s?$/,
};

export const CISCO_IOS_FAILURES = [
  '% Ambiguous command',
  '% Incomplete command',
  '% Invalid input detected',
  '% Unknown command',
  'Command authorization failed',
  // FRR vtysh (the lab's cisco_ios peer) words incomplete lines this way.
  '% Command incomplete',
] as const;

export function ciscoIosLike(name: string, aliases: string[]): PlatformDefinition {
  return definePlatform({
    name,
    aliases,
    parserPlatform: name,
    prompts: CISCO_IOS_PROMPTS,
    basePrompt: stripTerminator,
    // Config prompts abbreviate long hostnames; netmiko keeps 16 chars of the base prompt.
    basePromptLength: 16,
    newline: '\n',
    pty: { cols: 511, rows: 1000 },
    loginAnswers: [{ pattern: /initial configuration dialog\? \[yes\/no\]:\s*$/, answer: 'no\n' }],
    onOpen: [{ command: 'terminal width 511' }, { command: 'terminal length 0' }],
    enable: { command: 'enable', passwordPrompt: /ssword/i, disableCommand: 'disable', abort: '\n' },
    config: { enter: 'configure terminal', exit: ['end'], exitAnswers: [] },
    failureIndicators: [...CISCO_IOS_FAILURES],
    save: {
      command: 'write mem',
      confirmations: [{ pattern: /\[confirm\]\s*$/, answer: '\n' }],
      failureIndicators: [/%\s?Error/],
      timeoutMs: 100_000,
    },
    commit: null,
    pagingPrompts: COMMON_PAGING_PROMPTS,
    contextLineFilters: [],
    logout: 'exit',
  });
}

export default ciscoIosLike('cisco_ios', ['cisco_ios_ssh']);
