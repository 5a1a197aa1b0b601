/**
 * Public API of the multi-vendor SSH device simulator. Other packages code
 * against these exact signatures; keep them stable.
 */
import { clearConfirm } from './commits.ts';
import { createDeviceState, renderNow } from './device.ts';
import type { SimFaults } from './faults.ts';
import { PROFILE_TABLE } from './profiles/index.ts';
import { assertLoopback, startServer } from './server.ts';
import { ReplayStore } from '../replay.ts';

export type { SimFaults } from './faults.ts';
export type { PlatformProfile } from './types.ts';

export interface SimDeviceOptions {
  profile: string;
  /** default '127.0.0.1'; must be inside 127.0.0.0/8 */
  host?: string;
  /** 0 = ephemeral */
  port?: number;
  /** default 'admin' */
  username?: string;
  /** default 'admin' */
  password?: string;
  /** enable secret, default 'secret' */
  secret?: string;
  hostname?: string;
  faults?: SimFaults;
  /**
   * Test-only clock for commit-confirm timers: 1 (default) is real time, 0.01 makes a 60 s
   * revert fire after 0.6 s. The device still prints and parses the real minutes/seconds.
   */
  timeScale?: number;
  /**
   * Replay device: directories of recorded outputs (NAPALM mocked-data names, `.txt`), searched in
   * order. Outside configuration modes a recorded file answers the command; a show command without
   * one gets the platform's invalid-input error. Login, prompts, enable and paging stay the profile's.
   */
  replay?: string[];
}

export interface SimDevice {
  host: string;
  port: number;
  profile: string;
  username: string;
  password: string;
  secret: string;
  /** Authenticated SSH connections currently open. */
  readonly sessions: number;
  /** Every command typed on any session, in order (passwords and dialog answers excluded). */
  readonly commandLog: string[];
  /** The committed running configuration as the platform's show command prints it. */
  runningConfig(): string;
  close(): Promise<void>;
}

export const PROFILES: readonly string[] = Object.freeze(Object.keys(PROFILE_TABLE));

export function getProfile(name: string) {
  const profile = PROFILE_TABLE[name];
  if (!profile) throw new Error(`unknown simulator profile '${name}' (known: ${PROFILES.join(', ')})`);
  return profile;
}

export async function startDevice(opts: SimDeviceOptions): Promise<SimDevice> {
  const profile = getProfile(opts.profile);
  const host = opts.host ?? '127.0.0.1';
  assertLoopback(host);
  const username = opts.username ?? 'admin';
  const password = opts.password ?? 'admin';
  const secret = opts.secret ?? 'secret';
  const state = createDeviceState(profile, {
    hostname: opts.hostname ?? profile.defaultHostname,
    username,
    secret,
    faults: opts.faults ?? {},
    timeScale: opts.timeScale,
    replay: opts.replay?.length ? new ReplayStore(opts.replay) : null,
  });
  const server = await startServer(state, { username, password }, host, opts.port ?? 0);
  let closing: Promise<void> | null = null;
  return {
    host: server.host,
    port: server.port,
    profile: profile.platform,
    username,
    password,
    secret,
    get sessions() {
      return server.sessions;
    },
    get commandLog() {
      return state.commandLog;
    },
    runningConfig() {
      const fill = (lines: string[]) =>
        lines.map((l) =>
          l
            .replaceAll('{hostname}', state.hostname)
            .replace(/\{now:(\w+)\}/g, (_all, style: string) => renderNow(style)),
        );
      return [...fill(profile.config.header), ...state.running.render(), ...fill(profile.config.footer)].join('\n');
    },
    close() {
      clearConfirm(state.history);
      closing ??= server.close();
      return closing;
    },
  };
}
