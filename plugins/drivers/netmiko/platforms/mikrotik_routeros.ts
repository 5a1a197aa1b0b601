import { definePlatform } from './types.ts';

/**
 * MikroTik RouterOS (netmiko `mikrotik/mikrotik_ssh.py`, scrapli `mikrotik_routeros.yaml`).
 * The login name suffix `+ct511w4098h` turns colours and terminal detection off and sets
 * 511×4098, so there is no paging; no enable and no config mode (lines apply directly).
 * The CLI repaints the echo (`[admin@MikroTik] > /ip address print`), removed from results.
 */
export default definePlatform({
  name: 'mikrotik_routeros',
  aliases: [],
  parserPlatform: 'mikrotik_routeros',
  prompts: {
    privileged: /^\[[\w@.\-+ ]{1,48}@[\w.\- ]{1,64}\][^\n>]{0,64}>\s?$/i,
  },
  basePrompt: (line) => line.trim().replace(/>$/, '').trim(),
  newline: '\r\n',
  usernameSuffix: '+ct511w4098h',
  pty: { cols: 511, rows: 4098 },
  loginAnswers: [
    { pattern: /Do you want to see the software license/, answer: 'n' },
    { pattern: /Please press "Enter" to continue!/, answer: '\r\n' },
  ],
  onOpen: [],
  enable: null,
  config: null,
  failureIndicators: [],
  save: null,
  commit: null,
  pagingPrompts: [],
  contextLineFilters: [/^\[[^\]\n]+@[^\]\n]+\][^\n>]*> \S.*$/],
  logout: 'quit',
});
