import { COMMON_PAGING_PROMPTS, definePlatform } from './types.ts';

/**
 * HPE/H3C Comware (netmiko `hp/hp_comware.py`, scrapli `hp_comware.yaml`). User view `<host>`
 * runs display commands and is treated as privileged; system view `[host]` is config mode.
 * netmiko's `enable()` on Comware enters system view; here enable_mode is a no-op because the
 * config operation enters system view itself. (ProCurve is a different OS: no alias.)
 */
export default definePlatform({
  name: 'hp_comware',
  aliases: ['h3c_comware'],
  parserPlatform: 'hp_comware',
  prompts: {
    privileged: /^(?:rbm_[a-z])?<[a-z0-9.\-_@()/:]{1,48}>\s*$/i,
    config: /^(?:rbm_[a-z])?\[[a-z0-9.\-_@/:]{1,64}\]\s*$/i,
  },
  basePrompt: (line) =>
    line
      .trim()
      .replace(/^(?:rbm_[a-z])?[<[]/i, '')
      .replace(/[>\]]$/, ''),
  newline: '\n',
  pty: { cols: 511, rows: 1000 },
  loginAnswers: [{ pattern: /Press Y or ENTER to continue, N to exit\./, answer: '\n' }],
  // netmiko turns echo checking off on Comware.
  onOpen: [{ command: 'screen-length disable', verifyEcho: false }],
  enable: null,
  config: { enter: 'system-view', exit: ['return'], exitAnswers: [] },
  failureIndicators: ['% Unrecognized command found at'],
  save: { command: 'save force', confirmations: [], failureIndicators: [], timeoutMs: 100_000 },
  commit: null,
  pagingPrompts: COMMON_PAGING_PROMPTS,
  contextLineFilters: [],
  logout: 'quit',
});
