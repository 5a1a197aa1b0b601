import { COMMON_PAGING_PROMPTS, definePlatform, stripTerminator } from './types.ts';

/** Arista EOS (netmiko `arista/arista.py`, scrapli `arista_eos.yaml`). */
export default definePlatform({
  name: 'arista_eos',
  aliases: [],
  parserPlatform: 'arista_eos',
  prompts: {
    exec: /^[\w.\-@()/: ]{1,63}>\s?$/,
    privileged: /^(?!.*\(config)[\w.\-@()/: ]{1,63}#\s?$/,
    config: /^[\w.\-@()/: ]{1,63}\(config[\w.\-@/:+]{0,63}\)#\s?$/,
  },
  basePrompt: stripTerminator,
  basePromptLength: 16,
  newline: '\n',
  pty: { cols: 511, rows: 1000 },
  loginAnswers: [],
  // netmiko sends `terminal length 0` without an echo check and waits for `Pagination disabled`.
  onOpen: [{ command: 'terminal width 511' }, { command: 'terminal length 0', verifyEcho: false }],
  enable: { command: 'enable', passwordPrompt: /ssword/i, disableCommand: 'disable', abort: '\n' },
  config: { enter: 'configure terminal', exit: ['end'], exitAnswers: [] },
  failureIndicators: [
    '% Ambiguous command',
    '% Error',
    '% Incomplete command',
    '% Invalid input',
    '% Cannot commit',
    '% Unavailable command',
    '% Duplicate sequence number',
  ],
  save: {
    command: 'copy running-config startup-config',
    confirmations: [],
    failureIndicators: ['% Error'],
    timeoutMs: 100_000,
  },
  commit: null,
  pagingPrompts: COMMON_PAGING_PROMPTS,
  contextLineFilters: [],
  logout: 'exit',
});
