import { definePlatform, stripTerminator } from './types.ts';

/**
 * Linux shell over SSH (netmiko `linux/linux_ssh.py`). `$` = user, `#` = root; "enable" and
 * "config" both mean a root shell via `sudo -s`. bash 5.2 wraps prompts in bracketed-paste
 * escapes (`ESC[?2004h`/`ESC[?2004l`); the channel strips every escape before matching.
 * The patterns only require a terminator at the end of a non-empty line: the driver also
 * requires the base prompt (e.g. `linux@vm:~`) in the line, which is what makes them safe.
 */
export default definePlatform({
  name: 'linux',
  aliases: [],
  parserPlatform: 'linux',
  prompts: {
    exec: /^[^\n#$]{1,255}\$\s?$/,
    privileged: /^[^\n#$]{1,255}#\s?$/,
  },
  basePrompt: stripTerminator,
  newline: '\n',
  pty: { cols: 511, rows: 1000 },
  loginAnswers: [],
  onOpen: [],
  // Ctrl-C leaves sudo's password prompt at once instead of three slow (pam_faildelay) retries.
  enable: { command: 'sudo -s', passwordPrompt: /ssword/i, disableCommand: 'exit', abort: '\x03' },
  config: { enter: 'sudo -s', exit: ['exit'], exitAnswers: [], viaEnable: true },
  failureIndicators: ['Permission denied', 'ERROR:'],
  save: null,
  commit: null,
  pagingPrompts: [],
  contextLineFilters: [],
  logout: 'exit',
});
