import { COMMON_PAGING_PROMPTS, definePlatform, stripTerminator } from './types.ts';

/** NX-OS (netmiko `cisco/cisco_nxos.py`, scrapli `cisco_nxos.yaml`). */
export default definePlatform({
  name: 'cisco_nxos',
  aliases: ['cisco_nxos_ssh'],
  parserPlatform: 'cisco_nxos',
  prompts: {
    exec: /^[\w.-]{1,63}(\(maint-mode\))?>\s?$/,
    privileged: /^[\w.-]{1,63}(\(maint-mode\))?#\s?$/,
    // `(config-tcl)#` is the Tcl shell; configuration sessions `(config-s…)#` still take config lines.
    config: /^[\w.-]{1,63}(\(maint-mode\))?\((?!config-tcl\))conf[\w.\-@/:+]{0,32}\)#\s?$/,
  },
  basePrompt: stripTerminator,
  newline: '\n',
  pty: { cols: 511, rows: 1000 },
  loginAnswers: [],
  onOpen: [{ command: 'terminal width 511' }, { command: 'terminal length 0' }],
  enable: { command: 'enable', passwordPrompt: /ssword/i, disableCommand: 'disable', abort: '\n' },
  config: { enter: 'configure terminal', exit: ['end'], exitAnswers: [] },
  failureIndicators: [
    '% Ambiguous command',
    '% Incomplete command',
    '% Invalid input detected',
    '% Invalid command at',
    '% Invalid parameter',
    '% Invalid number at',
  ],
  save: { command: 'copy running-config startup-config', confirmations: [], failureIndicators: [], timeoutMs: 100_000 },
  commit: null,
  pagingPrompts: COMMON_PAGING_PROMPTS,
  contextLineFilters: [],
  logout: 'exit',
});
