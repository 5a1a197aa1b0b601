import type { NapalmCli } from '../../device.ts';
import { emptySnmpInformation, lines } from '../helpers.ts';
import { type Json, showJson, tableRows } from './json.ts';

/** get_interfaces_counters from `show interface | json`: NX-API's `eth_*` counters, -1 when a field is absent. */
const COUNTERS: ReadonlyArray<readonly [string, string]> = [
  ['rx_octets', 'eth_inbytes'],
  ['rx_unicast_packets', 'eth_inucast'],
  ['rx_multicast_packets', 'eth_inmcast'],
  ['rx_broadcast_packets', 'eth_inbcast'],
  ['rx_errors', 'eth_inerr'],
  ['rx_discards', 'eth_indiscard'],
  ['tx_octets', 'eth_outbytes'],
  ['tx_unicast_packets', 'eth_outucast'],
  ['tx_multicast_packets', 'eth_outmcast'],
  ['tx_broadcast_packets', 'eth_outbcast'],
  ['tx_errors', 'eth_outerr'],
  ['tx_discards', 'eth_outdiscard'],
];

export async function getInterfacesCounters(cli: NapalmCli): Promise<Json> {
  const out: Json = {};
  for (const row of tableRows(await showJson(cli, 'show interface'), 'TABLE_interface', 'ROW_interface')) {
    // Only Ethernet-class ports (Ethernet, mgmt, port-channel) carry eth_* counters; SVIs and loopbacks do not.
    if (!COUNTERS.some(([, field]) => row[field] !== undefined)) continue;
    const counters: Json = {};
    for (const [name, field] of COUNTERS) {
      const n = Number.parseInt(String(row[field] ?? ''), 10);
      counters[name] = Number.isNaN(n) ? -1 : n;
    }
    out[String(row.interface)] = counters;
  }
  return out;
}

/** NX-OS community groups are roles; NAPALM's schema wants `ro`/`rw`. Other roles pass through lower-cased. */
const SNMP_ROLE_MODE: Readonly<Record<string, string>> = { 'network-operator': 'ro', 'network-admin': 'rw' };

/** get_snmp_information from `show running-config`: `snmp-server contact|location|community` lines. */
export async function getSnmpInformation(cli: NapalmCli): Promise<Json> {
  const text = await cli.run('show running-config');
  const info = emptySnmpInformation();
  let seen = false;
  for (const line of lines(text)) {
    let m = /^snmp-server (contact|location) (.+?)\s*$/.exec(line);
    if (m) {
      info[m[1] as 'contact' | 'location'] = m[2];
      seen = true;
      continue;
    }
    m = /^snmp-server community (\S+) (group|use-acl|use-ipv4acl|ro|rw)\s*(\S*)/.exec(line);
    if (!m) continue;
    seen = true;
    info.community[m[1]] ??= { acl: '', mode: '' };
    const entry = info.community[m[1]];
    if (m[2] === 'group') entry.mode = SNMP_ROLE_MODE[m[3]] ?? m[3].toLowerCase();
    else if (m[2] === 'ro' || m[2] === 'rw') entry.mode = m[2];
    else entry.acl = m[3];
  }
  // As NAPALM: a device without any SNMP configuration answers an empty object.
  return seen ? info : {};
}

/** NX-OS roles to Cisco privilege levels (`priv-N` roles carry the level themselves). */
const ROLE_LEVELS: Readonly<Record<string, number>> = { 'network-admin': 15, 'network-operator': 5 };

/** get_users from `show running-config`: `username X password 5 <hash> role R` and `username X sshkey <type> <key>`. */
export async function getUsers(cli: NapalmCli): Promise<Json> {
  const users: Record<string, { level: number; password: string; sshkeys: string[] }> = {};
  for (const line of lines(await cli.run('show running-config'))) {
    const m = /^username (\S+)(.*)$/.exec(line);
    if (!m) continue;
    users[m[1]] ??= { level: 0, password: '', sshkeys: [] };
    const user = users[m[1]];
    const rest = m[2];
    const key = /^\s+sshkey (ssh-\S+) (\S+)/.exec(rest);
    if (key) {
      // NAPALM keeps RSA and DSA keys only.
      if (key[1] === 'ssh-rsa' || key[1] === 'ssh-dsa') user.sshkeys.push(key[2]);
      continue;
    }
    const pw = /\spassword \d+ (\S+)/.exec(rest);
    if (pw) user.password = pw[1];
    const role = /\srole (\S+)/.exec(rest)?.[1] ?? '';
    const level = role.startsWith('priv') ? Number.parseInt(role.split('-').pop()!, 10) || 0 : (ROLE_LEVELS[role] ?? 0);
    // A user may hold several roles; the device grants the highest.
    if (level > user.level) user.level = level;
  }
  return users;
}
