import { COMMON_PAGING_PROMPTS, definePlatform, stripTerminator } from './types.ts';

/**
 * Dell OS10 (netmiko `dell/dell_os10_ssh.py`, scrapli `dell_emc.yaml`). scrapli's patterns end at
 * the terminator; a single trailing space is allowed here because the CLI prints one after it.
 */
export default definePlatform({
  name: 'dell_os10',
  aliases: [],
  parserPlatform: 'dell_os10',
  prompts: {
    exec: /^[\w.\-@/:]{1,63}>\s?$/,
    privileged: /^[\w.\-@/:]{1,63}#\s?$/,
    config: /^[\w.\-@/:]{1,63}\([\w.\-@/:+]{0,32}\)#\s?$/,
  },
  basePrompt: stripTerminator,
  newline: '\n',
  pty: { cols: 511, rows: 1000 },
  loginAnswers: [],
  onOpen: [{ command: 'terminal length 0' }],
  enable: { command: 'enable', passwordPrompt: /^(?:enable\s)?password:\s?$/i, disableCommand: 'disable', abort: '\n' },
  config: { enter: 'configure terminal', exit: ['end'], exitAnswers: [] },
  failureIndicators: [
    'Command not found',
    'Incomplete command',
    "% Invalid input detected at '^' marker.",
    'An invalid interface has been used for this command.',
  ],
  save: {
    command: 'copy running-configuration startup-configuration',
    confirmations: [],
    failureIndicators: [],
    timeoutMs: 100_000,
  },
  commit: null,
  pagingPrompts: COMMON_PAGING_PROMPTS,
  contextLineFilters: [],
  logout: 'exit',
});
