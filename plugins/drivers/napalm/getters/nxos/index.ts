import type { NapalmCli } from '../../device.ts';
import type { CliGetter, GetterArgs, GetterName } from '../index.ts';
import {
  asNumber,
  appendTo,
  canonicalInterfaceName,
  CISCO_SANITIZE_FILTERS,
  ip,
  lines,
  mac,
  parseError,
  sanitizeConfig,
  transformLldpCapab,
} from '../helpers.ts';
import { commandTable, type Json, showJson, tableRows } from './json.ts';
import { getEnvironment } from './environment.ts';
import { getInterfacesCounters, getSnmpInformation, getUsers } from './counters-config.ts';

/**
 * NAPALM's NX-OS getters over the SSH CLI. NAPALM's `nxos` driver reads NX-API's JSON; NX-OS
 * prints the same structures on the CLI with `| json`, so these getters send `<command> | json`
 * and apply NAPALM's logic to the `TABLE_x`/`ROW_x` tables.
 */

const WEIGHTS: Array<[string, number]> = [
  ['second(s)', 1],
  ['minute(s)', 60],
  ['hour(s)', 3600],
  ['day(s)', 86400],
  ['week(s)', 604800],
  ['year(s)', 365.25 * 86400],
];

/** NAPALM `_compute_timestamp`: `23week(s) 3day(s)`, `1d02h`, `00:10:20` → epoch of the event; -1 when unknown. */
export function computeTimestamp(text: string | undefined, now = Date.now() / 1000): number {
  if (!text || text === 'never') return -1.0;
  let t = text;
  if (!t.includes('(s)')) {
    if (t.includes(':')) t = t.replace(':', 'hour(s) ').replace(':', 'minute(s) ') + 'second(s)';
    else t = t.replace('d', 'day(s) ').replace('h', 'hour(s)');
  }
  let delta = 0;
  for (const part of t.split(/\s+/)) {
    for (const [key, weight] of WEIGHTS) {
      if (!part.includes(key)) continue;
      const n = Number.parseInt(part.replace(key, ''), 10);
      delta += (Number.isNaN(n) ? 0 : n) * weight;
    }
  }
  return now - delta;
}

async function getFacts(cli: NapalmCli): Promise<Json> {
  let serial: string | null = null;
  for (const row of await commandTable(cli, 'show inventory', 'TABLE_inv', 'ROW_inv')) {
    if (row.name === '"Chassis"' || row.name === 'Chassis') {
      serial = row.serialnum ?? '';
      break;
    }
  }
  const ver = await showJson(cli, 'show version');
  const n = (k: string): number => Number.parseInt(String(ver[k] ?? 0), 10) || 0;
  const uptime =
    n('kern_uptm_days') * 86400 + n('kern_uptm_hrs') * 3600 + n('kern_uptm_mins') * 60 + n('kern_uptm_secs');
  const interfaces = tableRows(await showJson(cli, 'show interface'), 'TABLE_interface', 'ROW_interface');
  const facts: Json = {
    vendor: 'Cisco',
    serial_number: serial,
    model: ver.chassis_id ?? '',
    hostname: ver.host_name ?? '',
    os_version: ver.sys_ver_str ?? ver.kickstart_ver_str ?? '',
    uptime,
    interface_list: interfaces.map((i) => i.interface),
  };
  const hostname = (await showJson(cli, 'show hostname')).hostname;
  if (hostname) facts.fqdn = hostname;
  return facts;
}

async function getInterfaces(cli: NapalmCli): Promise<Json> {
  const result: Json = {};
  for (const d of tableRows(await showJson(cli, 'show interface'), 'TABLE_interface', 'ROW_interface')) {
    const name = String(d.interface);
    const mtu = d.eth_mtu ? Number.parseInt(d.eth_mtu, 10) : d.svi_mtu ? Number.parseInt(d.svi_mtu, 10) : 0;
    let speed: unknown = d.eth_bw ? d.eth_bw : d.svi_bw ? d.svi_bw : 0;
    if (Array.isArray(speed)) speed = speed[0];
    const isUp =
      'admin_state' in d
        ? d.admin_state === 'up'
        : 'svi_admin_state' in d
          ? d.svi_admin_state === 'up'
          : d.state === 'up';
    const hw = d.eth_hw_addr ? d.eth_hw_addr : d.svi_mac ? String(d.svi_mac).trim() : null;
    let macAddress = '';
    try {
      macAddress = hw === null ? '' : mac(hw);
    } catch {
      macAddress = '';
    }
    result[name] = {
      is_up: isUp,
      is_enabled: d.state === 'up' || d.svi_admin_state === 'up',
      description: String(d.desc ?? d.svi_desc ?? '').replace(/^"+|"+$/g, ''),
      last_flapped: computeTimestamp(d.eth_link_flapped ?? ''),
      speed: Number(speed) / 1000.0,
      mtu,
      mac_address: macAddress,
    };
  }
  return result;
}

async function getInterfacesIp(cli: NapalmCli): Promise<Json> {
  const result: Json = {};
  const add = (name: string, family: 'ipv4' | 'ipv6', address: string, prefix: number): void => {
    result[name] ??= {};
    result[name][family] ??= {};
    result[name][family][address] = { ...(result[name][family][address] ?? {}), prefix_length: prefix };
  };
  const v4 = await commandTable(cli, 'show ip interface', 'TABLE_intf', 'ROW_intf');
  for (const intf of v4) {
    const name = String(intf['intf-name'] ?? '');
    const unnumbered = String(intf['unnum-intf'] ?? '');
    if (intf.prefix) {
      add(name, 'ipv4', ip(intf.prefix), Number.parseInt(intf.masklen, 10));
    } else if (unnumbered) {
      const peer = v4.find((i) => String(i['intf-name'] ?? '') === unnumbered);
      if (peer) add(name, 'ipv4', ip(peer.prefix), Number.parseInt(peer.masklen, 10));
    }
    for (const sec of tableRows(intf, 'TABLE_secondary_address', 'ROW_secondary_address')) {
      add(name, 'ipv4', ip(sec.prefix1), Number.parseInt(sec.masklen1, 10));
    }
  }
  let v6: Json[];
  try {
    v6 = await commandTable(cli, 'show ipv6 interface', 'TABLE_intf', 'ROW_intf');
  } catch {
    return result;
  }
  for (const intf of v6) {
    const name = String(intf['intf-name'] ?? '');
    result[name] ??= {};
    result[name].ipv6 ??= {};
    let addrs: unknown = intf.addr;
    if (addrs === undefined) {
      const rows = intf.TABLE_addr?.ROW_addr;
      addrs = Array.isArray(rows) ? rows.map((r: Json) => r.addr) : rows?.addr;
    }
    if (Array.isArray(addrs)) {
      for (const a of addrs as string[])
        add(name, 'ipv6', ip(a.split('/')[0]), Number.parseInt(a.split('/').pop()!, 10));
    } else if (typeof addrs === 'string') {
      const prefix = String(intf.prefix ?? '')
        .split('/')
        .pop();
      add(name, 'ipv6', ip(addrs.split('/')[0]), prefix ? Number.parseInt(prefix, 10) : 128);
    }
  }
  return result;
}

const BGP_STATES: Readonly<Record<string, { is_up: boolean; is_enabled: boolean }>> = {
  Idle: { is_up: false, is_enabled: true },
  Active: { is_up: false, is_enabled: true },
  Open: { is_up: false, is_enabled: true },
  Established: { is_up: true, is_enabled: true },
  Closing: { is_up: true, is_enabled: true },
  Shutdown: { is_up: false, is_enabled: false },
  'Admin (Shut)': { is_up: false, is_enabled: false },
};
const AF_NAMES: Readonly<Record<number, Record<number, string>>> = {
  1: { 1: 'ipv4', 128: 'vpnv4' },
  2: { 1: 'ipv6', 128: 'vpnv6' },
  25: { 70: 'l2vpn' },
};

async function getBgpNeighbors(cli: NapalmCli): Promise<Json> {
  let vrfs: Json[];
  try {
    vrfs = await commandTable(cli, 'show bgp all summary vrf all', 'TABLE_vrf', 'ROW_vrf');
  } catch {
    vrfs = [];
  }
  const results: Json = {};
  for (const vrf of vrfs) {
    const out: Json = { router_id: String(vrf['vrf-router-id']), peers: {} };
    for (const af of tableRows(vrf, 'TABLE_af', 'ROW_af')) {
      const saf: Json = af.TABLE_saf?.ROW_saf ?? {};
      for (const nb of tableRows(saf, 'TABLE_neighbor', 'ROW_neighbor')) {
        const id = ip(nb.neighborid);
        const state = BGP_STATES[String(nb.state)];
        if (!state) throw parseError(`BGP state ${nb.state}`);
        const safi = AF_NAMES[Number(af['af-id'])]?.[Number(saf.safi)];
        if (!safi) throw parseError(`BGP address family ${af['af-id']}/${saf.safi}`);
        out.peers[id] = {
          local_as: asNumber(vrf['vrf-local-as']),
          remote_as: asNumber(nb.neighboras),
          remote_id: id,
          is_enabled: state.is_enabled,
          uptime: -1,
          description: '',
          is_up: state.is_up,
          address_family: {
            [safi]: {
              sent_prefixes: -1,
              accepted_prefixes: -1,
              received_prefixes: Number.parseInt(nb.prefixreceived, 10),
            },
          },
        };
      }
    }
    results[vrf['vrf-name-out'] === 'default' ? 'global' : vrf['vrf-name-out']] = out;
  }
  return results;
}

async function getArpTable(cli: NapalmCli, args: GetterArgs): Promise<unknown> {
  if (args.vrf) throw parseError('VRF support has not been added for get_arp_table on nxos (as in NAPALM)');
  const vrfs = await commandTable(cli, 'show ip arp', 'TABLE_vrf', 'ROW_vrf');
  const table: Json[] = [];
  for (const e of tableRows(vrfs[0], 'TABLE_adj', 'ROW_adj')) {
    const age = String(e['time-stamp'] ?? '-');
    let seconds = -1.0;
    if (age !== '-' && !age.includes(':')) seconds = Number.isNaN(Number(age)) ? -1.0 : Number(age);
    else if (age.includes(':')) {
      const f = age.split(':').map(Number);
      seconds = f.length === 3 && f.every((x) => !Number.isNaN(x)) ? 3600 * f[0] + 60 * f[1] + f[2] : -1.0;
    }
    let hw = '';
    try {
      hw = e.mac ? mac(e.mac) : '';
    } catch {
      hw = '';
    }
    table.push({
      interface: String(e['intf-out']),
      mac: hw,
      ip: ip(e['ip-addr-out']),
      age: Math.round(seconds * 10) / 10,
    });
  }
  return table;
}

async function getMacAddressTable(cli: NapalmCli): Promise<unknown> {
  return (await commandTable(cli, 'show mac address-table', 'TABLE_mac_address', 'ROW_mac_address')).map((e) => {
    const vlan = Number.parseInt(e.disp_vlan, 10);
    return {
      mac: mac(e.disp_mac_addr),
      interface: String(e.disp_port),
      vlan: Number.isNaN(vlan) ? 0 : vlan,
      active: true,
      static: e.disp_is_static !== '0',
      moves: 0,
      last_move: 0.0,
    };
  });
}

async function getNtpServers(cli: NapalmCli): Promise<Json> {
  const servers: Json = {};
  for (const peer of await commandTable(cli, 'show ntp peers', 'TABLE_peers', 'ROW_peers')) {
    if (String(peer.serv_peer ?? '').trim() !== 'Server') continue;
    servers[ip(String(peer.PeerIPAddress).trim())] = {};
  }
  return servers;
}

// NAPALM's NX-OS filters (not anchored: `!Startup config saved at: …` keeps its `!`).
const NXOS_CONFIG_NOISE = /!Command: show .*$|!Time:.*\d{4}\s*$|Startup config saved at:.*$/gm;

async function getConfig(cli: NapalmCli, args: GetterArgs): Promise<Json> {
  const retrieve = typeof args.retrieve === 'string' ? args.retrieve.toLowerCase() : 'all';
  const config: Json = { startup: '', running: '', candidate: '' };
  if (retrieve === 'running' || retrieve === 'all') {
    config.running = (await cli.run(args.full === true ? 'show running-config all' : 'show running-config'))
      .replace(NXOS_CONFIG_NOISE, '')
      .trim();
  }
  if (retrieve === 'startup' || retrieve === 'all') {
    config.startup = (await cli.run('show startup-config')).replace(NXOS_CONFIG_NOISE, '').trim();
  }
  if (args.sanitized === true)
    for (const k of Object.keys(config)) config[k] = sanitizeConfig(config[k], CISCO_SANITIZE_FILTERS);
  return config;
}

/** `show lldp neighbors [interface X] detail` (text), record by record; a record ends at `Enabled Capabilities`. */
async function getLldpNeighborsDetail(cli: NapalmCli, args: GetterArgs): Promise<Record<string, Json[]>> {
  const iface = typeof args.interface === 'string' ? args.interface : '';
  const text = await cli.run(iface ? `show lldp neighbors interface ${iface} detail` : 'show lldp neighbors detail');
  const fields: Array<[RegExp, string]> = [
    [/^Chassis id:\s+(.*)/, 'remote_chassis_id'],
    [/^Port id:\s+(.*)/, 'remote_port'],
    [/^Local Port id:\s+(.*)/, 'local_interface'],
    [/^Port Description:\s+(.+)/, 'remote_port_description'],
    [/^System Name:\s+(.*)/, 'remote_system_name'],
    [/^System Description:\s+(.+)/, 'remote_system_description'],
    [/^System Capabilities:\s+(.*)/, 'remote_system_capab'],
    [/^Enabled Capabilities:\s+(.*)/, 'remote_system_enable_capab'],
  ];
  const empty = (): Record<string, string> => Object.fromEntries(fields.map(([, k]) => [k, '']));
  const records: Array<Record<string, string>> = [];
  let rec = empty();
  for (const line of lines(text)) {
    for (const [re, key] of fields) {
      const m = re.exec(line);
      if (!m) continue;
      rec[key] = m[1];
      if (key === 'remote_system_enable_capab') {
        records.push(rec);
        rec = empty();
      }
      break;
    }
  }
  if (Object.values(rec).some((v) => v !== '')) records.push(rec);
  const result: Record<string, Json[]> = {};
  for (const r of records) {
    const local = canonicalInterfaceName(r.local_interface);
    const entry: Json = {};
    for (const [k, v] of Object.entries(r))
      if (k !== 'local_interface') entry[k] = v.includes('not advertised') ? '' : v;
    entry.parent_interface = '';
    entry.remote_system_capab = transformLldpCapab(entry.remote_system_capab);
    entry.remote_system_enable_capab = transformLldpCapab(entry.remote_system_enable_capab);
    appendTo(result, local, entry);
  }
  return result;
}

async function getLldpNeighbors(cli: NapalmCli): Promise<Record<string, Json[]>> {
  const result: Record<string, Json[]> = {};
  for (const [name, entries] of Object.entries(await getLldpNeighborsDetail(cli, {}))) {
    result[name] = entries.map((e) => ({
      port: e.remote_port,
      hostname: e.remote_system_name === 'N/A' ? e.remote_chassis_id : e.remote_system_name,
    }));
  }
  return result;
}

export const NXOS_GETTERS: Partial<Record<GetterName, CliGetter>> = {
  get_facts: getFacts,
  get_interfaces: getInterfaces,
  get_interfaces_ip: getInterfacesIp,
  get_arp_table: getArpTable,
  get_mac_address_table: getMacAddressTable,
  get_bgp_neighbors: getBgpNeighbors,
  get_ntp_servers: getNtpServers,
  get_config: getConfig,
  get_lldp_neighbors: getLldpNeighbors,
  get_lldp_neighbors_detail: getLldpNeighborsDetail,
  get_interfaces_counters: getInterfacesCounters,
  get_environment: getEnvironment,
  get_snmp_information: getSnmpInformation,
  get_users: getUsers,
};
