import type { JsonSchema } from '../../../../core/contracts/common.ts';
import { GETTER_NAMES } from '../../../../core/contracts/driver.ts';
import { NetPulseError } from '../../../../core/errors.ts';
import type { NapalmCli, NapalmDevice, NapalmEapi } from '../device.ts';
import { IOS_GETTERS } from './ios/index.ts';
import { EOS_GETTERS } from './eos/index.ts';
import { NXOS_GETTERS } from './nxos/index.ts';
import { JUNOS_GETTERS } from './junos/index.ts';
import { IOSXR_GETTERS } from './iosxr/index.ts';

/** Interface and VRF names go into CLI commands: no blanks, pipes or other shell-like characters. */
const NAME_PATTERN = '^[A-Za-z0-9_./:-]*$';

/**
 * The getter allow-list: NAPALM getter names a `command` request may name, with their arguments.
 * A name not listed here is never looked up on anything; it is sent to the device as a CLI command.
 */
export const GETTER_PARAMS = {
  get_facts: {},
  get_interfaces: {},
  get_interfaces_ip: {},
  get_interfaces_counters: {},
  get_arp_table: {
    vrf: {
      type: 'string',
      maxLength: 64,
      pattern: NAME_PATTERN,
      default: '',
      description: 'VRF name; "" = the global table.',
    },
  },
  get_lldp_neighbors: {},
  get_lldp_neighbors_detail: {
    interface: {
      type: 'string',
      maxLength: 64,
      pattern: NAME_PATTERN,
      default: '',
      description: 'Only this local interface; "" = all.',
    },
  },
  get_mac_address_table: {},
  get_bgp_neighbors: {},
  get_environment: {},
  get_config: {
    retrieve: { type: 'string', enum: ['all', 'running', 'startup', 'candidate'], default: 'all' },
    full: {
      type: 'boolean',
      default: false,
      description: 'Include default configuration (`show running-config all`).',
    },
    sanitized: {
      type: 'boolean',
      default: false,
      description: "Replace secrets (passwords, keys, communities) by the platform's placeholders.",
    },
    format: { type: 'string', enum: ['text'], default: 'text' },
  },
  get_snmp_information: {},
  get_ntp_servers: {},
  get_users: {},
  is_alive: {},
} as const satisfies Record<string, Record<string, JsonSchema>>;

export type GetterName = keyof typeof GETTER_PARAMS;
export type GetterArgs = Record<string, unknown>;
export type CliGetter = (cli: NapalmCli, args: GetterArgs) => Promise<unknown>;
export type EapiGetter = (eapi: NapalmEapi, args: GetterArgs) => Promise<unknown>;

export const NAPALM_GETTER_NAMES = Object.keys(GETTER_PARAMS) as GetterName[];

export function isGetter(name: string): name is GetterName {
  return Object.hasOwn(GETTER_PARAMS, name);
}

/** Implementations per platform (each written against the device seam only). */
const CLI_GETTERS: Readonly<Record<string, Partial<Record<GetterName, CliGetter>>>> = {
  ios: IOS_GETTERS,
  nxos: NXOS_GETTERS,
  nxos_ssh: NXOS_GETTERS,
  junos: JUNOS_GETTERS,
  iosxr: IOSXR_GETTERS,
};
const EAPI_GETTERS: Readonly<Record<string, Partial<Record<GetterName, EapiGetter>>>> = {
  eos: EOS_GETTERS,
};

/** Why a platform lacks the getters it lacks (said in the NOT_IMPLEMENTED answer). */
const UNSUPPORTED_REASON: Readonly<Record<string, string>> = {
  iosxr:
    "NAPALM's iosxr driver builds it from the IOS-XR XML agent; over the SSH CLI only the " +
    'configuration getters (get_config, get_users, get_ntp_servers, get_snmp_information) are provided',
};

/** Getter names implemented for a platform (for docs and /device/test). */
export function gettersOf(platform: string): GetterName[] {
  const table = CLI_GETTERS[platform] ?? EAPI_GETTERS[platform] ?? {};
  return NAPALM_GETTER_NAMES.filter((n) => n === 'is_alive' || table[n] !== undefined);
}

/**
 * The `getters` capability: names implemented on at least one platform, in the contract's
 * allow-list (a unit test checks every napalm getter is in it).
 */
export function implementedGetters(): string[] {
  const platforms = [...Object.keys(CLI_GETTERS), ...Object.keys(EAPI_GETTERS)];
  const names = new Set(platforms.flatMap((p) => gettersOf(p)));
  return NAPALM_GETTER_NAMES.filter((n) => names.has(n) && GETTER_NAMES.includes(n));
}

/** Applies the defaults of a getter's arguments to what the request gave. */
export function getterArgs(name: GetterName, given: Record<string, unknown> | undefined): GetterArgs {
  const out: GetterArgs = {};
  for (const [k, schema] of Object.entries(GETTER_PARAMS[name] as Record<string, JsonSchema>)) {
    out[k] = given && given[k] !== undefined ? given[k] : (schema as { default?: unknown }).default;
  }
  return out;
}

export async function callGetter(device: NapalmDevice, name: GetterName, args: GetterArgs): Promise<unknown> {
  if (name === 'is_alive') return { is_alive: true };
  const fn = device.transport === 'ssh' ? CLI_GETTERS[device.platform]?.[name] : EAPI_GETTERS[device.platform]?.[name];
  if (!fn) {
    const why = UNSUPPORTED_REASON[device.platform];
    throw new NetPulseError(
      'NP_ERR_NOT_IMPLEMENTED',
      `napalm ${name} is not supported on ${device.platform}${why ? `: ${why}` : ''}`,
    );
  }
  return device.transport === 'ssh' ? (fn as CliGetter)(device, args) : (fn as EapiGetter)(device, args);
}
