import { COMMON_PAGING_PROMPTS, definePlatform, stripTerminator } from './types.ts';

/**
 * Junos (netmiko `juniper/juniper.py`, scrapli `juniper_junos.yaml`). Always privileged; a
 * candidate configuration that `commit` applies and persists (no save).
 * The optional `{master:0}` / `[edit]` line above the prompt is matched by
 * {@link contextLineFilters}, not by the prompt pattern, which only sees the last line.
 */
export default definePlatform({
  name: 'juniper_junos',
  aliases: ['juniper'],
  parserPlatform: 'juniper_junos',
  prompts: {
    privileged: /^[\w\-@()/:.]{1,63}>\s?$/,
    config: /^[\w\-@()/:.]{1,63}#\s?$/,
  },
  basePrompt: stripTerminator,
  newline: '\n',
  pty: { cols: 511, rows: 1000 },
  // Logging in as root lands in the FreeBSD shell (`root@host%`); `cli` starts the Junos CLI.
  loginAnswers: [{ pattern: /^[^\n]*%\s?$/, answer: 'cli\n' }],
  onOpen: [
    { command: 'set cli screen-width 511' },
    { command: 'set cli complete-on-space off' },
    { command: 'set cli screen-length 0' },
  ],
  enable: null,
  config: {
    enter: 'configure',
    exit: ['exit configuration-mode'],
    exitAnswers: [{ pattern: /Exit with uncommitted changes\?/, answer: 'yes\n' }],
  },
  failureIndicators: [
    'is ambiguous',
    'No valid completions',
    'unknown command',
    'syntax error',
    'missing mandatory argument',
    'invalid numeric value',
  ],
  save: null,
  commit: {
    command: 'commit',
    success: /commit complete/,
    failureIndicators: [],
    confirmations: [],
    discard: 'rollback 0',
    timeoutMs: 120_000,
  },
  pagingPrompts: COMMON_PAGING_PROMPTS,
  contextLineFilters: [/^\[edit[^\]\n]*\]\s*$/, /^\{(?:master|backup|line|primary|secondary)[^}\n]*\}\s*$/],
  logout: 'exit',
});
