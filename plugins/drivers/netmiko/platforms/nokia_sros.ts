import { definePlatform } from './types.ts';

/**
 * Nokia SR OS (netmiko `nokia/nokia_sros.py`, scrapli `nokia_sros*.yaml`), MD-CLI flavour: the
 * prompt is two lines, a context line (`[/]`, `(ex)[/configure]`, `*(ex)[…]` when uncommitted)
 * above `A:admin@node#`. Classic CLI prompts (`A:node#`, `A:node>config#`) are recognised too,
 * but configuration uses MD-CLI's `edit-config exclusive` / `commit` / `quit-config`.
 * Admin mode (`enable` / `enable-admin`) is not modelled: its prompt does not change.
 */
export default definePlatform({
  name: 'nokia_sros',
  aliases: [],
  parserPlatform: 'nokia_sros',
  prompts: {
    // Case-insensitive as scrapli compiles them (`A:` is upper case on the box).
    config: /^!?\*?\((?:ex|gl|pr|ro)\)\[.*\]\n[abcd]:[\w._]+@[\w _.-]+#\s?$/i,
    privileged: /^(?:!?\*?\[.*\]\n)?[abcd]:[\w._]+@[\w _.-]+#\s?$|^(?:[^\n]*\n)?\*?[abcd]:[\w _.-]+#\s?$/i,
  },
  promptLines: 2,
  // netmiko: group 1 of `\*?(.*?)(>.*)*#` (drops the unsaved-marker and any `>config…` context).
  basePrompt: (line) => /\*?(.*?)(>.*)*#/.exec(line.trim())?.[1] ?? line.trim(),
  newline: '\n',
  pty: { cols: 511, rows: 1000 },
  loginAnswers: [],
  onOpen: [
    { command: 'environment command-completion space false' },
    { command: 'environment console width 512' },
    { command: 'environment more false' },
  ],
  enable: null,
  config: {
    enter: 'edit-config exclusive',
    exit: ['exit all', 'quit-config'],
    exitAnswers: [],
  },
  failureIndicators: ['MINOR:', 'MAJOR:', 'Error:', 'Bad Command:'],
  save: { command: '/admin save', confirmations: [], failureIndicators: ['MINOR:', 'MAJOR:'], timeoutMs: 100_000 },
  commit: {
    command: 'commit',
    failureIndicators: ['MINOR:', 'MAJOR:'],
    confirmations: [],
    discard: 'discard',
    timeoutMs: 120_000,
  },
  pagingPrompts: [],
  contextLineFilters: [/^!?\*?(\((ex|gl|pr|ro)\))?\[.*\]$/],
  logout: 'logout',
});
