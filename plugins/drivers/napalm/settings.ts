import { createHash } from 'node:crypto';
import type { ConnectionArgs } from '../../../core/contracts/common.ts';
import { canonicalJson } from '../../../core/drivers/canonical-json.ts';
import { validationError } from '../../../core/errors.ts';

/**
 * connection_args of a napalm request → which NAPALM platform it is and how our transports reach
 * it. The reference maps netmiko-style names to NAPALM driver names and leaves anything else
 * unchanged; we add `cisco_nxos` and `juniper_junos`, which the reference map lacks.
 */

export const NAPALM_PLATFORMS = ['eos', 'ios', 'iosxr', 'junos', 'nxos', 'nxos_ssh'] as const;
export type NapalmPlatform = (typeof NAPALM_PLATFORMS)[number];

const DEVICE_TYPE_MAP: Readonly<Record<string, NapalmPlatform>> = {
  arista_eos: 'eos',
  cisco_ios: 'ios',
  cisco_xr: 'iosxr',
  juniper: 'junos',
  juniper_junos: 'junos',
  nxos: 'nxos',
  cisco_nxos: 'nxos',
  cisco_nxos_ssh: 'nxos_ssh',
};

/** Every device_type the driver accepts: the mapped names and the NAPALM names themselves. */
export const NAPALM_DEVICE_TYPES: readonly string[] = [
  ...new Set([...Object.keys(DEVICE_TYPE_MAP), ...NAPALM_PLATFORMS]),
].sort();

export function napalmPlatformOf(deviceType: unknown): NapalmPlatform | null {
  if (typeof deviceType !== 'string') return null;
  const mapped = DEVICE_TYPE_MAP[deviceType] ?? deviceType;
  return (NAPALM_PLATFORMS as readonly string[]).includes(mapped) ? (mapped as NapalmPlatform) : null;
}

/** netmiko device_type of the SSH CLI under each platform (NX-API and NETCONF are not spoken here). */
const NETMIKO_TYPE: Readonly<Record<NapalmPlatform, string>> = {
  eos: 'arista_eos',
  ios: 'cisco_ios',
  iosxr: 'cisco_xr',
  junos: 'juniper_junos',
  nxos: 'cisco_nxos',
  nxos_ssh: 'cisco_nxos',
};

/** ntc-templates / TTP platform of a napalm device_type: the netmiko type of its CLI, or null. */
export function parserPlatformOf(deviceType: string): string | null {
  const platform = napalmPlatformOf(deviceType);
  return platform ? NETMIKO_TYPE[platform] : null;
}

export type NapalmTransport = 'ssh' | 'http' | 'https';

export interface NapalmSettings {
  platform: NapalmPlatform;
  host: string;
  username: string;
  password: string;
  /** Seconds (NAPALM's `timeout`, default 60). */
  timeout: number;
  transport: NapalmTransport;
  optionalArgs: Record<string, unknown>;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The reference accepts `hostname` as an alias of `host`; `host` wins when both are set. */
export function withHostAlias(args: ConnectionArgs): ConnectionArgs {
  if ((args.host === null || args.host === undefined) && typeof args.hostname === 'string') {
    const { hostname, ...rest } = args;
    return { ...rest, host: hostname };
  }
  if (args.hostname !== undefined) {
    const { hostname: _ignored, ...rest } = args;
    return rest;
  }
  return args;
}

export function resolveSettings(raw: ConnectionArgs): NapalmSettings {
  const args = withHostAlias(raw);
  const platform = napalmPlatformOf(args.device_type);
  if (!platform) {
    throw validationError([
      { loc: ['connection_args', 'device_type'], msg: `device_type must be one of ${NAPALM_DEVICE_TYPES.join(', ')}` },
    ]);
  }
  if (typeof args.host !== 'string' || !args.host) {
    throw validationError([{ loc: ['connection_args', 'host'], msg: "'host' in connection_args is required" }]);
  }
  const given = (args.optional_args && typeof args.optional_args === 'object' ? args.optional_args : {}) as Record<
    string,
    unknown
  >;
  const optionalArgs =
    given.port === undefined && typeof args.port === 'number' ? { ...given, port: args.port } : given;
  const requested = str(optionalArgs.transport);
  let transport: NapalmTransport = 'ssh';
  if (platform === 'eos') transport = requested === 'http' || requested === 'ssh' ? requested : 'https';
  return {
    platform,
    host: args.host,
    username: str(args.username) ?? '',
    password: str(args.password) ?? '',
    timeout: num(args.timeout) ?? 60,
    transport,
    optionalArgs,
  };
}

/** Keys NAPALM sets itself; an optional_args entry never overrides them. */
const NAPALM_OWNED = new Set(['device_type', 'host', 'ip', 'username', 'password', 'timeout', 'secret', 'port']);

/**
 * connection_args for the netmiko driver under an SSH CLI platform. As NAPALM's `netmiko_args`,
 * every optional_args key the netmiko driver accepts (`netmikoKeys`: its connection schema's
 * properties, e.g. `key_file`, `known_hosts_file`, `alt_host_keys`, `proxy_host`) is passed on;
 * the others are NAPALM's own options and are not.
 */
export function netmikoArgs(s: NapalmSettings, netmikoKeys: ReadonlySet<string>): ConnectionArgs {
  const o = s.optionalArgs;
  const out: ConnectionArgs = {
    device_type: NETMIKO_TYPE[s.platform],
    host: s.host,
    username: s.username,
    password: s.password,
    timeout: s.timeout,
  };
  for (const [k, v] of Object.entries(o)) {
    if (netmikoKeys.has(k) && !NAPALM_OWNED.has(k) && v !== null && v !== undefined) out[k] = v;
  }
  const port = num(o.port);
  if (port !== null) out.port = port;
  // NAPALM's IOS driver reads `secret`, EOS over SSH `enable_password`.
  const secret = str(o.secret) ?? str(o.enable_password);
  if (secret !== null) out.secret = secret;
  return out;
}

/** connection_args for the pyeapi driver (EOS over eAPI). */
export function pyeapiArgs(s: NapalmSettings): ConnectionArgs {
  const o = s.optionalArgs;
  const out: ConnectionArgs = {
    device_type: 'arista_eos',
    host: s.host,
    username: s.username,
    password: s.password,
    transport: s.transport === 'http' ? 'http' : 'https',
    timeout: s.timeout,
    // NAPALM's EOS driver does not check certificates (pyeapi's default).
    verify: false,
  };
  const port = num(o.port);
  if (port !== null) out.port = port;
  const secret = str(o.enable_password);
  if (secret !== null) out.secret = secret;
  return out;
}

/** Session identity: sha256 of the canonical arguments (with the alias applied); secrets only hashed. */
export function sessionKeyOf(args: ConnectionArgs): string {
  return (
    'napalm:' +
    createHash('sha256')
      .update(canonicalJson(withHostAlias(args)))
      .digest('hex')
  );
}
