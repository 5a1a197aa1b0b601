import type { NapalmCli } from '../../device.ts';
import type { CliGetter, GetterArgs, GetterName } from '../index.ts';
import { ip, lines, mac, sanitizeConfig, words, type SanitizeFilters } from '../helpers.ts';
import { getBgpNeighbors } from './bgp.ts';
import { getInterfacesCounters } from './counters.ts';
import { junosDuration } from './duration.ts';
import { getEnvironment } from './environment.ts';
import { getLldpNeighbors, getLldpNeighborsDetail } from './lldp.ts';
import { getMacAddressTable, getSnmpInformation } from './switching-snmp.ts';

/**
 * NAPALM's Junos getters over the SSH CLI. NAPALM reads Junos through NETCONF RPCs (PyEZ tables);
 * the same fields are in the text of the matching `show` commands, which these getters parse.
 * Values follow NAPALM's Junos driver: vendor `Juniper`, fqdn = hostname + domain, user classes
 * mapped to levels, -1 where Junos has no value.
 */

async function configValue(cli: NapalmCli, path: string): Promise<string> {
  return cli.run(`show configuration ${path}`);
}

function physicalInterfaces(terse: string): string[] {
  const out: string[] = [];
  for (const line of lines(terse)) {
    const name = words(line)[0];
    if (!name || name === 'Interface' || name.includes('.') || /^\s/.test(line)) continue;
    out.push(name);
  }
  return out;
}

async function getFacts(cli: NapalmCli): Promise<Record<string, unknown>> {
  const version = await cli.run('show version');
  const field = (re: RegExp, text: string): string => re.exec(text)?.[1]?.trim() ?? '';
  const hostname = field(/^Hostname:\s*(.+)$/m, version);
  const model = field(/^Model:\s*(.+)$/m, version);
  const osVersion = field(/^Junos:\s*(.+)$/m, version) || field(/^JUNOS .*\[(.+)\]$/m, version);
  const hardware = await cli.run('show chassis hardware');
  const serial = /^Chassis\s+(\S+)/m.exec(hardware)?.[1] ?? '';
  const domain = /domain-name\s+([^;\s]+);/.exec(await configValue(cli, 'system domain-name'))?.[1] ?? '';
  const booted = /System booted:.*\((.+) ago\)/.exec(await cli.run('show system uptime'));
  return {
    vendor: 'Juniper',
    model,
    serial_number: serial,
    os_version: osVersion,
    hostname,
    fqdn: domain ? `${hostname}.${domain}` : hostname,
    uptime: booted ? junosDuration(booted[1]) : -1,
    interface_list: physicalInterfaces(await cli.run('show interfaces terse')),
  };
}

/** `1000mbps` → 1000, `10Gbps` → 10000, `Unlimited`/`Auto` → -1 (Mbit/s). */
function junosSpeed(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg])bps$/i.exec(text.trim());
  if (!m) return -1.0;
  const n = Number(m[1]);
  return m[2].toLowerCase() === 'g' ? n * 1000 : m[2].toLowerCase() === 'k' ? n / 1000 : n;
}

async function getInterfaces(cli: NapalmCli): Promise<Record<string, unknown>> {
  const text = await cli.run('show interfaces');
  const result: Record<string, Record<string, unknown>> = {};
  let current: Record<string, unknown> | null = null;
  for (const line of lines(text)) {
    const head = /^Physical interface:\s+(\S+?),\s+(Enabled|Administratively down)[^,]*,\s+Physical link is (\w+)/.exec(
      line,
    );
    if (head) {
      current = {
        is_up: head[3] === 'Up',
        is_enabled: head[2] === 'Enabled',
        description: '',
        last_flapped: -1.0,
        speed: -1.0,
        mtu: 0,
        mac_address: '',
      };
      result[head[1]] = current;
      continue;
    }
    if (/^\s+Logical interface/.test(line)) current = null;
    if (!current) continue;
    let m = /^\s+Description:\s+(.*)$/.exec(line);
    if (m) current.description = m[1];
    m = /MTU:\s*(\d+)/.exec(line);
    if (m && /Link-level type/.test(line)) current.mtu = Number(m[1]);
    m = /Speed:\s*([^,]+)/.exec(line);
    if (m && /Link-level type/.test(line)) current.speed = junosSpeed(m[1]);
    m = /Current address:\s*([0-9a-fA-F:.]+)/.exec(line);
    if (m) current.mac_address = mac(m[1]);
    m = /^\s+Last flapped\s*:.*\((.+) ago\)/.exec(line);
    if (m) current.last_flapped = junosDuration(m[1]);
  }
  return result;
}

const FAMILIES: Readonly<Record<string, 'ipv4' | 'ipv6'>> = { inet: 'ipv4', inet6: 'ipv6' };

/**
 * get_interfaces_ip from `show interfaces terse`: each logical interface's `inet`/`inet6`
 * addresses (continuation lines carry more addresses or families). As NAPALM, an address without
 * `/len` (loopback `… --> 0/0`) has prefix length 0.
 */
async function getInterfacesIp(
  cli: NapalmCli,
): Promise<Record<string, Record<string, Record<string, { prefix_length: number }>>>> {
  const result: Record<string, Record<string, Record<string, { prefix_length: number }>>> = {};
  let iface = '';
  let family = '';
  for (const line of lines(await cli.run('show interfaces terse'))) {
    if (/^Interface\s+Admin/.test(line) || !line.trim()) continue;
    const f = words(line);
    let rest: string[];
    if (/^\S/.test(line)) {
      iface = f[0];
      family = '';
      rest = f.slice(3);
    } else {
      rest = f;
    }
    if (rest.length && FAMILIES[rest[0]] !== undefined) family = rest.shift()!;
    else if (rest.length && /^[a-z][a-z0-9-]*$/.test(rest[0]) && !rest[0].includes('/')) {
      family = rest.shift()!;
    }
    const local = rest[0];
    const fam = FAMILIES[family];
    if (!local || !fam || !iface.includes('.')) continue;
    const [address, len] = local.split('/');
    let canonical = address;
    try {
      canonical = ip(address);
    } catch {
      canonical = address;
    }
    result[iface] ??= {};
    result[iface][fam] ??= {};
    result[iface][fam][canonical] = { prefix_length: len !== undefined && /^\d+$/.test(len) ? Number(len) : 0 };
  }
  return result;
}

async function getArpTable(cli: NapalmCli, args: GetterArgs): Promise<unknown> {
  const vrf = typeof args.vrf === 'string' && args.vrf ? ` vpn ${args.vrf}` : '';
  const text = await cli.run(`show arp no-resolve expiration-time${vrf}`);
  const table: Record<string, unknown>[] = [];
  // Without no-resolve Junos adds a Name column; with expiration-time a TTE column ends the row.
  const header = lines(text).find((l) => /^MAC Address/.test(l)) ?? '';
  const ifIndex = /\sName\s/.test(header) ? 3 : 2;
  const hasTte = /\sTTE\s*$/.test(header);
  for (const line of lines(text)) {
    const f = words(line);
    if (f.length <= ifIndex || !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(f[0])) continue;
    const tte = hasTte ? f[f.length - 1] : undefined;
    table.push({
      interface: f[ifIndex],
      mac: mac(f[0]),
      ip: ip(f[1]),
      age: tte !== undefined && /^\d+$/.test(tte) ? Number(tte) : -1.0,
    });
  }
  return table;
}

/** NAPALM's Junos rules: secrets in the configuration become `<removed>`. */
const JUNOS_SANITIZE_FILTERS: SanitizeFilters = [
  ['^(.* community) \\S+ (\\{)?$', '\\1 <removed> \\2'],
  [
    '^(.*)(encrypted-password|secret|authentication-key|pre-shared-key ascii-text|ssh-rsa|ssh-ecdsa|ssh-ed25519)' +
      ' "[^"]+";',
    '\\1\\2 "<removed>";',
  ],
  ['^(.*)(encrypted-password|secret|authentication-key) [^" ;]+;', '\\1\\2 <removed>;'],
];

async function getConfig(cli: NapalmCli, args: GetterArgs): Promise<Record<string, string>> {
  const retrieve = typeof args.retrieve === 'string' ? args.retrieve : 'all';
  const config: Record<string, string> = { startup: '', running: '', candidate: '' };
  if (retrieve === 'running' || retrieve === 'all') {
    const text = await cli.run('show configuration');
    // The first line is a `## Last commit: …` comment NAPALM's RPC answer does not carry.
    config.running = text.replace(/^## Last commit:.*\n/m, '').trim();
  }
  if (args.sanitized === true)
    for (const k of Object.keys(config)) config[k] = sanitizeConfig(config[k], JUNOS_SANITIZE_FILTERS);
  return config;
}

const CLASS_LEVELS: Readonly<Record<string, number>> = {
  'super-user': 15,
  superuser: 15,
  operator: 5,
  'read-only': 1,
  unauthorized: 0,
};

async function getUsers(cli: NapalmCli): Promise<Record<string, unknown>> {
  const text = await configValue(cli, 'system login');
  const users: Record<string, { level: number; password: string; sshkeys: string[] }> = {};
  let current: { level: number; password: string; sshkeys: string[] } | null = null;
  let depth = 0;
  for (const raw of lines(text)) {
    const line = raw.trim();
    const user = /^user (\S+) \{$/.exec(line);
    if (user && depth === 0) {
      current = { level: 0, password: '', sshkeys: [] };
      users[user[1]] = current;
    }
    if (current) {
      const cls = /^class (\S+);/.exec(line);
      if (cls) current.level = CLASS_LEVELS[cls[1]] ?? 0;
      const pw = /^encrypted-password "([^"]+)";/.exec(line);
      if (pw) current.password = pw[1];
      const key = /^(ssh-rsa|ssh-dss|ssh-ecdsa|ssh-ed25519) "([^"]+)";/.exec(line);
      if (key) current.sshkeys.push(key[2]);
    }
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth <= 0) {
      depth = 0;
      current = null;
    }
    if (user) depth = 1;
  }
  return users;
}

async function getNtpServers(cli: NapalmCli): Promise<Record<string, Record<string, never>>> {
  const servers: Record<string, Record<string, never>> = {};
  for (const m of (await configValue(cli, 'system ntp')).matchAll(/^\s*server\s+([0-9a-fA-F:.]+)/gm))
    servers[ip(m[1])] = {};
  return servers;
}

export const JUNOS_GETTERS: Partial<Record<GetterName, CliGetter>> = {
  get_facts: getFacts,
  get_interfaces: getInterfaces,
  get_interfaces_ip: getInterfacesIp,
  get_arp_table: getArpTable,
  get_lldp_neighbors: getLldpNeighbors,
  get_config: getConfig,
  get_users: getUsers,
  get_ntp_servers: getNtpServers,
  get_interfaces_counters: getInterfacesCounters,
  get_lldp_neighbors_detail: getLldpNeighborsDetail,
  get_mac_address_table: getMacAddressTable,
  get_bgp_neighbors: getBgpNeighbors,
  get_environment: getEnvironment,
  get_snmp_information: getSnmpInformation,
};
