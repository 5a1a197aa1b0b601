import { COMMON_PAGING_PROMPTS, definePlatform } from './types.ts';

/**
 * FortiOS (netmiko `fortinet/fortinet_ssh.py`, scrapli `fortinet_fortios.yaml`). No enable, no
 * config abstraction (lines such as `config system interface` … `end` are sent as given), no save.
 * netmiko switches the console output mode to `standard` at login after probing VDOMs; that is a
 * dialogue, not data, so this definition relies on the paging safety net for `--More--` instead.
 */
export default definePlatform({
  name: 'fortinet',
  aliases: [],
  parserPlatform: 'fortinet',
  prompts: {
    privileged: /^[\w_-]+ (\([\w-]+\) )?[$#]\s?$/,
  },
  basePrompt: (line) => line.trim().replace(/\s*(\([\w-]+\)\s*)?[$#]$/, ''),
  newline: '\n',
  pty: { cols: 511, rows: 1000 },
  loginAnswers: [{ pattern: /\(Press 'a' to accept\):/, answer: 'a' }],
  onOpen: [],
  enable: null,
  config: null,
  failureIndicators: [],
  save: null,
  commit: null,
  pagingPrompts: COMMON_PAGING_PROMPTS,
  contextLineFilters: [],
  logout: 'exit',
  kex: [
    'diffie-hellman-group14-sha1',
    'diffie-hellman-group-exchange-sha1',
    'diffie-hellman-group-exchange-sha256',
    'diffie-hellman-group1-sha1',
  ],
});
