/**
 * What NAPALM-style getters and configuration transactions need from a device, whichever
 * transport carries it. The napalm driver builds one of these over the netmiko-style SSH CLI
 * session or the eAPI client; getters and transactions are written against this interface only,
 * so they can be tested against simulators and replay devices alike.
 */
export interface NapalmCli {
  readonly transport: 'ssh';
  /** NAPALM platform name: `ios`, `eos`, `iosxr`, `junos`, `nxos`, `nxos_ssh`. */
  readonly platform: string;
  /**
   * Runs one exec-mode command and returns its output with echo and trailing prompt stripped.
   * `expect` (a regex source) ends the read early, e.g. on an interactive confirmation prompt.
   * `raw` keeps context lines the CLI layer normally drops (Junos `[edit …]` banners, which
   * `show | compare` prints as part of the difference); only the trailing prompt line goes.
   */
  run(command: string, opts?: { expect?: string; timeoutMs?: number; raw?: boolean }): Promise<string>;
  /** Enters configuration mode, sends the lines, leaves configuration mode; returns the output. */
  configure(lines: string[]): Promise<string>;
}

export interface NapalmEapi {
  readonly transport: 'eapi';
  readonly platform: string;
  /** One eAPI `runCmds` call; returns one result per command (objects for json, `{output}` for text). */
  run(commands: Array<string | { cmd: string; input: string }>, format?: 'json' | 'text'): Promise<unknown[]>;
}

export type NapalmDevice = NapalmCli | NapalmEapi;
