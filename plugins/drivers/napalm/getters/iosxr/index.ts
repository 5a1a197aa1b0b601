import type { NapalmCli } from '../../device.ts';
import type { CliGetter, GetterArgs, GetterName } from '../index.ts';
import {
  CISCO_SANITIZE_FILTERS,
  emptySnmpInformation,
  type SnmpInformation,
  ip,
  lines,
  sanitizeConfig,
  type SanitizeFilters,
} from '../helpers.ts';

/**
 * NAPALM's IOS-XR getters that read the configuration, over the SSH CLI. NAPALM's `iosxr` driver
 * asks the XML agent for the same configuration objects; here they come from the running
 * configuration text (`show running-config`). The operational getters (facts, interfaces,
 * counters, ARP, LLDP, MAC, BGP, environment) are not provided on iosxr: NAPALM builds them from
 * XML agent schemas whose CLI text counterparts differ by release, so they answer
 * NP_ERR_NOT_IMPLEMENTED.
 */

/**
 * The running configuration without what the CLI adds around it: the timestamp XR prints before
 * every command's output and the `Building configuration...` progress line.
 */
async function runningConfig(cli: NapalmCli, full = false): Promise<string> {
  const text = await cli.run(full ? 'show running-config all' : 'show running-config');
  return text
    .replace(/^\s*(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \w{3} +\d+ [\d:.]+ \S+\s*\n/, '')
    .replace(/^Building configuration\.\.\.\s*\n/m, '')
    .trim();
}

/** `username X` blocks: ` group G` and ` secret <type> <hash>` / ` password <type> <hash>` lines. */
const GROUP_LEVELS: Readonly<Record<string, number>> = {
  'root-system': 15,
  'root-lr': 15,
  operator: 5,
  sysadmin: 1,
  serviceadmin: 1,
};

async function getUsers(cli: NapalmCli): Promise<Record<string, unknown>> {
  const users: Record<string, { level: number; password: string; sshkeys: string[] }> = {};
  let current: { level: number; password: string; sshkeys: string[] } | null = null;
  for (const line of lines(await runningConfig(cli))) {
    const head = /^username (\S+)\s*$/.exec(line);
    if (head) {
      current = { level: 0, password: '', sshkeys: [] };
      users[head[1]] = current;
      continue;
    }
    if (!/^\s/.test(line)) current = null;
    if (!current) continue;
    const group = /^\s+group (\S+)/.exec(line);
    // A user in several groups holds the highest privilege among them.
    if (group) current.level = Math.max(current.level, GROUP_LEVELS[group[1]] ?? 0);
    const secret = /^\s+(?:secret|password) \d+ (\S+)/.exec(line);
    if (secret) current.password = secret[1];
  }
  return users;
}

async function getNtpServers(cli: NapalmCli): Promise<Record<string, Record<string, never>>> {
  const servers: Record<string, Record<string, never>> = {};
  let inNtp = false;
  for (const line of lines(await runningConfig(cli))) {
    if (/^ntp\s*$/.test(line)) {
      inNtp = true;
      continue;
    }
    if (!/^\s/.test(line)) inNtp = false;
    // `server <ip>` directly under `ntp`, or under `ntp / vrf X` (NAPALM lists every VRF's servers).
    const m = /^\s+server (?:vrf \S+ )?([0-9a-fA-F:.]+)(\s|$)/.exec(line);
    if (inNtp && m) servers[ip(m[1])] = {};
  }
  return servers;
}

async function getSnmpInformation(cli: NapalmCli): Promise<SnmpInformation | Record<string, never>> {
  const info = emptySnmpInformation();
  let seen = false;
  for (const line of lines(await runningConfig(cli))) {
    const leaf = /^snmp-server (chassis-id|contact|location) (.+?)\s*$/.exec(line);
    if (leaf) {
      info[leaf[1] === 'chassis-id' ? 'chassis_id' : (leaf[1] as 'contact' | 'location')] = leaf[2];
      seen = true;
      continue;
    }
    const c = /^snmp-server community (\S+)(.*)$/.exec(line);
    if (!c) continue;
    seen = true;
    const words = c[2].trim().split(/\s+/);
    const mode = words.includes('RW') ? 'rw' : 'ro'; // XR's default permission is read-only
    const aclAt = words.findIndex((w) => w === 'IPv4' || w === 'IPv6');
    const acl =
      aclAt >= 0
        ? (words[aclAt + 1] ?? '')
        : (words.find((w) => !['RO', 'RW', 'SDROwner', 'SystemOwner'].includes(w)) ?? '');
    info.community[c[1]] = { acl, mode };
  }
  return seen ? info : {};
}

/**
 * NAPALM's Cisco rules, plus XR's two-digit secret types (`secret 10 $6$…`), which the Cisco rule
 * (one digit) would leave in place.
 */
const IOSXR_SANITIZE_FILTERS: SanitizeFilters = [
  ...CISCO_SANITIZE_FILTERS,
  ['^(\\s+(?:password|secret)) \\d+ \\S+$', '\\1 <removed>'],
];

/** IOS-XR has no startup configuration; the candidate exists only inside a transaction's session. */
async function getConfig(cli: NapalmCli, args: GetterArgs): Promise<Record<string, string>> {
  const retrieve = typeof args.retrieve === 'string' ? args.retrieve : 'all';
  const config: Record<string, string> = { startup: '', running: '', candidate: '' };
  if (retrieve === 'running' || retrieve === 'all') config.running = await runningConfig(cli, args.full === true);
  if (args.sanitized === true)
    for (const k of Object.keys(config)) config[k] = sanitizeConfig(config[k], IOSXR_SANITIZE_FILTERS);
  return config;
}

export const IOSXR_GETTERS: Partial<Record<GetterName, CliGetter>> = {
  get_config: getConfig,
  get_users: getUsers,
  get_ntp_servers: getNtpServers,
  get_snmp_information: getSnmpInformation,
};
