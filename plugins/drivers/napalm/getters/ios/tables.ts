import type { NapalmCli } from '../../device.ts';
import {
  appendTo,
  canonicalInterfaceName,
  lines,
  mac,
  macOrSelf,
  parseError,
  transformLldpCapab,
  words,
} from '../helpers.ts';
import { send } from './send.ts';

const MAC_RE = '[a-fA-F0-9]{4}\\.[a-fA-F0-9]{4}\\.[a-fA-F0-9]{4}';
const VLAN_RE = '\\d{1,4}';
const INT_RE = '(^\\w{1,2}\\d{1,3}/\\d{1,2}|^\\w{1,2}\\d{1,3})';

/** get_arp_table(vrf): `show arp [vrf X] | exclude Incomplete`. */
export async function getArpTable(cli: NapalmCli, args: { vrf?: unknown }): Promise<unknown> {
  const vrf = typeof args.vrf === 'string' ? args.vrf : '';
  const output = await send(cli, vrf ? `show arp vrf ${vrf} | exclude Incomplete` : 'show arp | exclude Incomplete');
  const table: Record<string, unknown>[] = [];
  for (const line of output.split('\n').slice(1)) {
    // NAPALM returns an empty result at the first empty line.
    if (line.length === 0) return {};
    const f = words(line);
    let address: string;
    let age: string;
    let hw: string;
    let iface = '';
    if (f.length === 5) [, address, age, hw] = f;
    else if (f.length === 6) [, address, age, hw, , iface] = f;
    else throw parseError(`arp line: ${line}`);
    // A static entry has age `-`: NAPALM reports -1.
    const ageValue = age === '-' ? -1.0 : Number(age);
    if (Number.isNaN(ageValue)) throw parseError(`arp age: ${age}`);
    if (!/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/.test(address)) throw parseError(`arp address: ${address}`);
    if (!new RegExp(MAC_RE).test(hw)) throw parseError(`arp MAC: ${hw}`);
    table.push({ interface: iface, mac: mac(hw), ip: address, age: ageValue });
  }
  return table;
}

function macEntry(vlan: string, hw: string, type: string, iface: string): Record<string, unknown> {
  let static_ = false;
  let vlanText = vlan;
  let port = iface;
  if (['self', 'static', 'system'].includes(type.toLowerCase())) {
    static_ = true;
    if (vlanText.toLowerCase() === 'all') vlanText = '0';
    const lower = port.toLowerCase();
    if (lower === 'cpu' || /router/.test(lower) || /switch/.test(lower)) port = '';
  }
  const vlanNumber = Number.parseInt(vlanText, 10);
  if (Number.isNaN(vlanNumber)) throw parseError(`MAC table VLAN: ${vlan}`);
  return { mac: mac(hw), interface: port, vlan: vlanNumber, static: static_, active: true, moves: -1, last_move: -1.0 };
}

/**
 * get_mac_address_table: `show mac address-table` (or the older `show mac-address-table`), in
 * every layout NAPALM knows (Catalyst 2960/3560/4500/6500, ISR EHWIC, the "Destination Address"
 * format). A line in none of them is an error, as in NAPALM.
 */
export async function getMacAddressTable(cli: NapalmCli): Promise<unknown> {
  const re = (s: string): RegExp => new RegExp(s);
  const DEFAULT = re(`^${MAC_RE}`);
  const C6500_1 = re(`^\\*\\s+${VLAN_RE}\\s+${MAC_RE}\\s+`);
  const C6500_2 = re(`^${VLAN_RE}\\s+${MAC_RE}\\s+`);
  const C6500_3 = /^\s{51}\S+/;
  const C6500_4 = re(`^R\\s+${VLAN_RE}\\s+.*Router`);
  const C6500_5 = re(`^R\\s+N/A\\s+${MAC_RE}.*Router`);
  const C4500_1 = re(`^${VLAN_RE}\\s+${MAC_RE}\\s+`);
  const C4500_2 = /^\s{32,34}\S+/;
  const C4500_3 = re(`^${INT_RE}\\s+${MAC_RE}\\s+`);
  const C2960_1 = re(`^All\\s+${MAC_RE}`);
  const GEN_1 = re(`^${VLAN_RE}\\s+${MAC_RE}\\s+`);

  const raw = await send(cli, ['show mac address-table', 'show mac-address-table']);
  const afterHeader = raw
    .split(/^----.*/m)
    .slice(1)
    .join('\n')
    .trim()
    .replace(/^\*/gm, '');
  const table: Record<string, unknown>[] = [];
  let fillVlan = '';
  let fillMac = '';
  let fillType = '';
  const addAll = (vlan: string, hw: string, type: string, ports: string, fill: boolean): void => {
    if (ports.includes(',')) {
      if (fill) [fillVlan, fillMac, fillType] = [vlan, hw, type];
      for (const p of ports.split(',')) table.push(macEntry(vlan, hw, type, p));
    } else {
      table.push(macEntry(vlan, hw, type, ports));
    }
  };
  for (const original of afterHeader === '' ? [] : lines(afterHeader)) {
    if (C6500_3.test(original) || C4500_2.test(original)) {
      for (const p of original.trim().split(',')) table.push(macEntry(fillVlan, fillMac, fillType, p));
      continue;
    }
    let line = original.trim();
    if (line === '') continue;
    if (/^---/.test(line)) line = line.replace(/^---/, '0');
    const f = words(line);
    if (DEFAULT.test(line)) {
      if (f.length !== 4) throw parseError(`MAC table line: ${line}`);
      const [hw, type, vlan, port] = f;
      table.push(macEntry(vlan, hw, type, port));
    } else if ((C6500_1.test(line) || C6500_2.test(line)) && f.length >= 6) {
      let vlan: string, hw: string, type: string, port: string;
      if (f.length === 7) [, vlan, hw, type, , , port] = f;
      else if (f.length === 6) [vlan, hw, type, , , port] = f;
      else throw parseError(`MAC table line: ${line}`);
      addAll(vlan, hw, type, port, true);
    } else if (C4500_1.test(line) && f.length === 5) {
      const [vlan, hw, type, , port] = f;
      table.push(macEntry(vlan, hw, type, port));
    } else if (C4500_3.test(line) && f.length === 5) {
      const [port, hw, type] = f;
      table.push(macEntry('-1', hw, type, canonicalInterfaceName(port)));
    } else if (/^Vlan\s+Mac Address\s+/.test(line)) {
    } else if ((C2960_1.test(line) || GEN_1.test(line)) && f.length === 4) {
      const [vlan, hw, type, port] = f;
      addAll(vlan, hw, type, port, true);
    } else if (C4500_1.test(line) && f.length === 3) {
      const [vlan, hw, type] = f;
      table.push(macEntry(vlan, hw, type, ''));
    } else if (C4500_3.test(line) && f.length === 4) {
      const [, hw, type, port] = f;
      table.push(macEntry('-1', hw, type, port));
    } else if (C6500_4.test(line) && f.length === 7) {
      const [vlan, hw, type, , , port] = words(line.replace(/^R\s+/, ''));
      table.push(macEntry(vlan, hw, type, port));
    } else if (C6500_5.test(line)) {
      const [vlan, hw, type, , , port] = words(line.replace(/^R\s+/, ''));
      table.push(macEntry(vlan.replace('N/A', '0'), hw, type, port));
    } else if (
      /Total Mac Addresses/.test(line) ||
      /Multicast Entries/.test(line) ||
      /vlan.*mac.*address.*type.*/.test(line) ||
      /Displaying entries from active supervisor:\s+\w+\s+\[\d\]:/.test(line) ||
      /EHWIC:.*/.test(line) ||
      /Destination Address.*Address.*Type.*VLAN.*Destination.*Port/.test(line)
    ) {
    } else {
      throw parseError(`MAC table line: ${JSON.stringify(line)}`);
    }
  }
  return table;
}

interface LldpRecord {
  local_interface: string;
  remote_chassis_id: string;
  remote_port: string;
  remote_port_description: string;
  remote_system_name: string;
  remote_system_description: string;
  remote_system_capab: string;
  remote_system_enable_capab: string;
}

/**
 * `show lldp neighbors detail`, record by record: a record ends at its `Enabled Capabilities`
 * line; `System Description:` alone takes the next non-empty line.
 */
function parseLldpDetail(text: string): LldpRecord[] {
  const empty = (): LldpRecord => ({
    local_interface: '',
    remote_chassis_id: '',
    remote_port: '',
    remote_port_description: '',
    remote_system_name: '',
    remote_system_description: '',
    remote_system_capab: '',
    remote_system_enable_capab: '',
  });
  const out: LldpRecord[] = [];
  let rec = empty();
  let inDescription = false;
  const field: Array<[RegExp, keyof LldpRecord]> = [
    [/^Local Intf\s*?[:-]\s+(.*)/, 'local_interface'],
    [/^Chassis id\s*?[:-]\s+(.*)/, 'remote_chassis_id'],
    [/^Port id\s*?[:-]\s+(.*)/, 'remote_port'],
    [/^Port Description\s*?[:-]\s+(.+)/, 'remote_port_description'],
    [/^System Name\s*?[:-]\s+(.*)/, 'remote_system_name'],
  ];
  for (const line of lines(text)) {
    if (inDescription) {
      const m = /^(.+)/.exec(line);
      if (m) {
        rec.remote_system_description = m[1];
        inDescription = false;
      }
      continue;
    }
    let matched = false;
    for (const [re, key] of field) {
      const m = re.exec(line);
      if (m) {
        rec[key] = m[1];
        matched = true;
        break;
      }
    }
    if (matched) continue;
    if (/^System Description:/.test(line)) {
      inDescription = true;
      continue;
    }
    let m = /^System Description\s*-\s*(.+)/.exec(line);
    if (m) {
      rec.remote_system_description = m[1];
      continue;
    }
    m = /^System Capabilities\s*?[:-]\s+(.*)/.exec(line);
    if (m) {
      rec.remote_system_capab = m[1];
      continue;
    }
    m = /^Enabled Capabilities\s*?[:-]\s+(.*)/.exec(line);
    if (m) {
      rec.remote_system_enable_capab = m[1];
      out.push(rec);
      rec = empty();
    }
  }
  if (Object.values(rec).some((v) => v !== '')) out.push(rec);
  return out;
}

/** `show lldp neighbors`: the local interface column (20 characters after the start of each row). */
function parseLldpBriefInterfaces(text: string): string[] {
  const out: string[] = [];
  let inTable = false;
  for (const line of text.split('\n')) {
    if (!inTable) {
      if (/^Device ID/.test(line)) inTable = true;
      continue;
    }
    if (line === '' || /^Total entries displayed/.test(line)) break;
    const m = /^.{20}([^\s]{1,15})/.exec(line);
    if (m) out.push(m[1]);
  }
  return out;
}

/** get_lldp_neighbors_detail(interface): `show lldp neighbors [X] detail` (+ the brief table on old IOS). */
export async function getLldpNeighborsDetail(
  cli: NapalmCli,
  args: { interface?: unknown },
): Promise<Record<string, unknown[]>> {
  const iface = typeof args.interface === 'string' ? args.interface : '';
  const entries = parseLldpDetail(
    await send(cli, iface ? `show lldp neighbors ${iface} detail` : 'show lldp neighbors detail'),
  );
  if (entries.length === 0) return {};
  let locals: string[] = [];
  // Older IOS has no `Local Intf` in the detail; the brief table lists neighbours in the same order.
  if (!entries[0].local_interface) {
    locals = parseLldpBriefInterfaces(await send(cli, iface ? `show lldp neighbors ${iface}` : 'show lldp neighbors'));
    if (locals.length !== entries.length) throw parseError('LLDP neighbour count changed between commands');
  }
  const result: Record<string, unknown[]> = {};
  entries.forEach((entry, idx) => {
    const local = canonicalInterfaceName(entry.local_interface || locals[idx]);
    const clean = (v: string): string => (v.includes('not advertised') ? '' : v);
    appendTo(result, local, {
      parent_interface: '',
      remote_chassis_id: macOrSelf(clean(entry.remote_chassis_id)),
      remote_port: clean(entry.remote_port),
      remote_port_description: clean(entry.remote_port_description),
      remote_system_name: clean(entry.remote_system_name),
      remote_system_description: clean(entry.remote_system_description),
      remote_system_capab: transformLldpCapab(clean(entry.remote_system_capab)),
      remote_system_enable_capab: transformLldpCapab(clean(entry.remote_system_enable_capab)),
    });
  });
  return result;
}

/** get_lldp_neighbors: from the detail; a neighbour without a system name is named by its chassis id. */
export async function getLldpNeighbors(cli: NapalmCli): Promise<Record<string, unknown[]>> {
  const detail = await getLldpNeighborsDetail(cli, {});
  const result: Record<string, unknown[]> = {};
  for (const [local, entries] of Object.entries(detail)) {
    result[local] = (entries as Array<Record<string, string>>).map((e) => ({
      port: macOrSelf(e.remote_port),
      hostname: e.remote_system_name || e.remote_chassis_id,
    }));
  }
  return result;
}
