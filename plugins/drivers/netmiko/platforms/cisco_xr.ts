import { COMMON_PAGING_PROMPTS, definePlatform, stripTerminator } from './types.ts';

/** IOS-XR (netmiko `cisco/cisco_xr.py`, scrapli `cisco_iosxr.yaml`): no user-exec mode, commit model. */
export default definePlatform({
  name: 'cisco_xr',
  aliases: [],
  parserPlatform: 'cisco_xr',
  prompts: {
    privileged: /^[\w.\-@/:]{1,63}#\s?$/,
    config: /^[\w.\-@/:]{1,63}\(config[\w.\-@/:]{0,32}\)#\s?$/,
  },
  basePrompt: stripTerminator,
  // `RP/0/RSP0/CPU0:hostname` is long and config prompts abbreviate it; netmiko keeps 31 chars.
  basePromptLength: 31,
  newline: '\n',
  pty: { cols: 511, rows: 511 },
  loginAnswers: [],
  onOpen: [{ command: 'terminal width 511' }, { command: 'terminal length 0' }],
  enable: null,
  config: {
    enter: 'configure terminal',
    exit: ['end'],
    // Leaving with an uncommitted candidate asks; `no` discards it.
    exitAnswers: [{ pattern: /[Uu]ncommitted changes/, answer: 'no\n' }],
  },
  failureIndicators: ['% Ambiguous command', '% Incomplete command', '% Invalid input detected'],
  save: null,
  commit: {
    command: 'commit',
    failureIndicators: ['Failed to', 'One or more commits have occurred from other configuration sessions'],
    confirmations: [
      { pattern: /Confirm\? \[y\/n\]\[confirm\]/, answer: 'y\n' },
      { pattern: /One or more commits have occurred from other configuration sessions/, answer: 'no\n' },
      { pattern: /Do you wish to proceed/, answer: 'no\n' },
    ],
    discard: null,
    timeoutMs: 120_000,
  },
  pagingPrompts: COMMON_PAGING_PROMPTS,
  contextLineFilters: [],
  logout: 'exit',
});
