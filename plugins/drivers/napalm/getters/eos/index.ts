import { NetPulseError } from '../../../../../core/errors.ts';
import type { NapalmEapi } from '../../device.ts';
import type { EapiGetter, GetterArgs, GetterName } from '../index.ts';
import {
  appendTo,
  asNumber,
  EOS_SANITIZE_FILTERS,
  ip,
  lines,
  mac,
  parseError,
  sanitizeConfig,
  words,
} from '../helpers.ts';

/** NAPALM's EOS getters over eAPI (JSON, a few text outputs), written against the eAPI seam only. */

// Device JSON has no static schema; the getters read it field by field, as NAPALM does.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Json = Record<string, any>;

async function json(eapi: NapalmEapi, commands: string[]): Promise<Json[]> {
  return (await eapi.run(commands, 'json')) as Json[];
}

async function text(eapi: NapalmEapi, command: string): Promise<string> {
  const [r] = (await eapi.run([command], 'text')) as Json[];
  return typeof r?.output === 'string' ? r.output : '';
}

/** NAPALM `convert(fn, value, default)`: fn(value), or the default when it fails. */
function convert<T>(fn: (v: string) => T, value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  try {
    return fn(String(value));
  } catch {
    return fallback;
  }
}

/** NAPALM `sorted_nicely`: numbers inside names sort numerically (Ethernet2 before Ethernet10). */
export function sortedNicely(names: string[]): string[] {
  const key = (s: string): Array<string | number> =>
    s.split(/([0-9]+)/).map((p) => (/^[0-9]+$/.test(p) ? Number(p) : p));
  return [...names].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      if (ka[i] === kb[i]) continue;
      return ka[i] < kb[i] ? -1 : 1;
    }
    return ka.length - kb.length;
  });
}

async function getFacts(eapi: NapalmEapi): Promise<Json> {
  const [version, hostname, interfaces] = await json(eapi, ['show version', 'show hostname', 'show interfaces']);
  const names = Object.keys(interfaces.interfaces ?? {}).filter((n) => !n.includes('.'));
  return {
    hostname: hostname.hostname,
    fqdn: hostname.fqdn,
    vendor: 'Arista',
    model: version.modelName,
    serial_number: version.serialNumber,
    os_version: version.internalVersion,
    uptime: Date.now() / 1000 - Number(version.bootupTimestamp),
    interface_list: sortedNicely(names),
  };
}

async function getInterfaces(eapi: NapalmEapi): Promise<Json> {
  const [out] = await json(eapi, ['show interfaces']);
  const result: Json = {};
  for (const [name, v] of Object.entries<Json>(out.interfaces ?? {})) {
    const up = v.lineProtocolStatus === 'up';
    result[name] = {
      is_up: up,
      is_enabled: up ? true : v.interfaceStatus !== 'disabled',
      description: v.description,
      last_flapped: v.lastStatusChangeTimestamp ?? -1.0,
      mtu: Math.trunc(Number(v.mtu)),
      speed: Number(v.bandwidth) / 1000000.0,
      mac_address: convert(mac, v.physicalAddress ?? '', ''),
    };
  }
  return result;
}

async function getInterfacesCounters(eapi: NapalmEapi): Promise<Json> {
  const [out] = await json(eapi, ['show interfaces']);
  const result: Json = {};
  for (const [name, data] of Object.entries<Json>(out.interfaces ?? {})) {
    if (data.hardware === 'subinterface') continue;
    const c: Json = data.interfaceCounters ?? {};
    const get = (k: string): number => c[k] ?? -1;
    result[name] = {
      tx_octets: get('outOctets'),
      rx_octets: get('inOctets'),
      tx_unicast_packets: get('outUcastPkts'),
      rx_unicast_packets: get('inUcastPkts'),
      tx_multicast_packets: get('outMulticastPkts'),
      rx_multicast_packets: get('inMulticastPkts'),
      tx_broadcast_packets: get('outBroadcastPkts'),
      rx_broadcast_packets: get('inBroadcastPkts'),
      tx_discards: get('outDiscards'),
      rx_discards: get('inDiscards'),
      tx_errors: get('totalOutErrors'),
      rx_errors: get('totalInErrors'),
    };
  }
  return result;
}

async function getInterfacesIp(eapi: NapalmEapi): Promise<Json> {
  const [v4out] = await json(eapi, ['show ip interface']);
  let v6: Json = {};
  try {
    [v6] = await json(eapi, ['show ipv6 interface']);
    v6 = v6.interfaces ?? {};
  } catch (e) {
    if (!(e instanceof NetPulseError) || !e.message.includes('No IPv6 configured interfaces')) throw e;
    v6 = {};
  }
  const result: Json = {};
  const slot = (name: string): Json => {
    result[name] ??= {};
    result[name].ipv4 ??= {};
    result[name].ipv6 ??= {};
    return result[name];
  };
  for (const [name, details] of Object.entries<Json>(v4out.interfaces ?? {})) {
    const s = slot(name);
    const addr: Json = details.interfaceAddress ?? {};
    const list: Array<{ address: string; masklen: unknown }> = [];
    if (addr.primaryIp?.address !== '0.0.0.0')
      list.push({ address: ip(addr.primaryIp?.address), masklen: addr.primaryIp?.maskLen });
    for (const sec of addr.secondaryIpsOrderedList ?? []) list.push({ address: ip(sec.address), masklen: sec.maskLen });
    for (const a of list) if (a.address && !(a.address in s.ipv4)) s.ipv4[a.address] = { prefix_length: a.masklen };
  }
  for (const [name, details] of Object.entries<Json>(v6)) {
    const s = slot(name);
    const list: Array<{ address: string | null; masklen: number }> = [
      {
        address: convert(ip, details.linkLocal?.address, null as unknown as string),
        masklen: Number.parseInt(
          String(details.linkLocal?.subnet ?? '::/0')
            .split('/')
            .pop()!,
          10,
        ),
      },
    ];
    for (const a of details.addresses ?? [])
      list.push({ address: ip(a.address), masklen: Number.parseInt(String(a.subnet).split('/').pop()!, 10) });
    for (const a of list) if (a.address && !(a.address in s.ipv6)) s.ipv6[a.address] = { prefix_length: a.masklen };
  }
  return result;
}

async function getArpTable(eapi: NapalmEapi, args: GetterArgs): Promise<unknown> {
  const vrf = typeof args.vrf === 'string' ? args.vrf : '';
  let out: Json;
  try {
    [out] = await json(eapi, ['show arp vrf all']);
  } catch (e) {
    if (e instanceof NetPulseError && e.code === 'NP_ERR_DEVICE_COMMAND') return [];
    throw e;
  }
  const table: Json[] = [];
  for (const [name, v] of Object.entries<Json>(out.vrfs ?? {})) {
    if (vrf && name !== vrf) continue;
    for (const n of v.ipV4Neighbors ?? []) {
      table.push({
        interface: String(n.interface),
        mac: mac(n.hwAddress),
        ip: ip(String(n.address)),
        age: Number(n.age ?? -1.0),
      });
    }
  }
  return table;
}

async function getLldpNeighbors(eapi: NapalmEapi): Promise<Json> {
  const [out] = await json(eapi, ['show lldp neighbors']);
  const result: Json = {};
  for (const n of out.lldpNeighbors ?? [])
    appendTo(result, n.port, { hostname: n.neighborDevice, port: n.neighborPort });
  return result;
}

const LLDP_CAPABILITIES: Readonly<Record<string, string>> = {
  other: 'other',
  repeater: 'repeater',
  bridge: 'bridge',
  wlanaccesspoint: 'wlan-access-point',
  router: 'router',
  telephone: 'telephone',
  docsis: 'docsis-cable-device',
  station: 'station',
  stationonly: 'station',
};

function lldpCapab(names: string[]): string[] {
  return names
    .map((c) => {
      const t = LLDP_CAPABILITIES[c.toLowerCase()];
      if (!t) throw parseError(`unknown LLDP capability ${c}`);
      return t;
    })
    .sort();
}

async function getLldpNeighborsDetail(eapi: NapalmEapi, args: GetterArgs): Promise<Json> {
  const iface = typeof args.interface === 'string' ? args.interface : '';
  // NAPALM joins the filter with spaces, so without one the command has two spaces.
  const [out] = await json(eapi, [`show lldp neighbors ${iface} detail`]);
  const result: Json = {};
  for (const [name, entry] of Object.entries<Json>(out.lldpNeighbors ?? {})) {
    const neighbors: Json[] = entry?.lldpNeighborInfo ?? [];
    if (!neighbors.length) continue;
    for (const n of neighbors) {
      const caps: Json = n.systemCapabilities ?? {};
      let chassis = n.chassisId ?? '';
      if ((n.chassisIdType ?? '') === 'macAddress') chassis = mac(chassis);
      const info: Json = n.neighborInterfaceInfo ?? {};
      appendTo(result, name, {
        parent_interface: name,
        remote_port: String(info.interfaceId ?? '').replaceAll('"', ''),
        remote_port_description: info.interfaceDescription ?? '',
        remote_system_name: n.systemName ?? '',
        remote_system_description: n.systemDescription ?? '',
        remote_chassis_id: chassis,
        remote_system_capab: lldpCapab(Object.keys(caps)),
        remote_system_enable_capab: lldpCapab(Object.keys(caps).filter((k) => caps[k])),
      });
    }
  }
  return result;
}

async function getMacAddressTable(eapi: NapalmEapi): Promise<unknown> {
  const [out] = await json(eapi, ['show mac address-table']);
  return (out.unicastTable?.tableEntries ?? []).map((e: Json) => ({
    mac: mac(e.macAddress),
    interface: e.interface,
    vlan: e.vlanId,
    active: true,
    static: e.entryType === 'static',
    moves: e.moves ?? 0,
    last_move: e.lastMove ?? 0.0,
  }));
}

async function getBgpNeighbors(eapi: NapalmEapi): Promise<Json> {
  const outs = await json(eapi, [
    'show ip bgp summary vrf all',
    'show ipv6 bgp summary vrf all',
    'show ip bgp neighbors vrf all',
    'show ipv6 bgp peers vrf all',
  ]);
  const counters = new Map<string, Json>();
  const vrfOf = (name: string): Json => {
    if (!counters.has(name)) counters.set(name, { peers: {} });
    return counters.get(name)!;
  };
  for (const cmd of outs.slice(2)) {
    for (const [vrfName, vrfData] of Object.entries<Json>(cmd.vrfs ?? {})) {
      const vrf = vrfOf(vrfName);
      for (const peer of vrfData.peerList ?? []) {
        const peerIp = ip(peer.peerAddress);
        const v4 = outs[0].vrfs?.[vrfName]?.peers?.[peerIp] ?? {};
        const v6 = outs[1].vrfs?.[vrfName]?.peers?.[peerIp] ?? {};
        const isEnabled = peer.state === 'Idle' ? peer.idleReason !== 'Administratively shut down' : true;
        vrf.peers[peerIp] = {
          local_as: asNumber(peer.localAsn),
          remote_as: asNumber(peer.asn),
          remote_id: ip(peer.routerId),
          is_up: peer.state === 'Established',
          is_enabled: isEnabled,
          description: peer.description ?? '',
          uptime: Math.trunc(Number(peer.establishedTime ?? -1)),
          address_family: {
            ipv4: {
              received_prefixes: peer.prefixesReceived,
              accepted_prefixes: Object.keys(v4).length ? v4.prefixAccepted : 0,
              sent_prefixes: peer.prefixesSent,
            },
            ipv6: {
              received_prefixes: peer.v6PrefixesReceived,
              accepted_prefixes: Object.keys(v6).length ? v6.prefixAccepted : 0,
              sent_prefixes: peer.v6PrefixesSent,
            },
          },
        };
      }
    }
  }
  for (const cmd of outs.slice(0, 2)) {
    for (const [vrfName, vrfData] of Object.entries<Json>(cmd.vrfs ?? {}))
      vrfOf(vrfName).router_id = ip(vrfData.routerId);
  }
  const result: Json = {};
  for (const [name, v] of counters) if (name !== 'default') result[name] = v;
  if (counters.has('default')) result.global = counters.get('default');
  return result;
}

async function getEnvironment(eapi: NapalmEapi): Promise<Json> {
  const [version] = await json(eapi, ['show version']);
  const isVeos = ['veos', 'ceoslab'].includes(String(version.modelName).toLowerCase());
  const cmds = ['show system environment cooling', 'show system environment temperature'];
  if (!isVeos) cmds.push('show system environment power');
  const [fans, temps, power] = await json(eapi, cmds);
  const env: Json = { fans: {}, temperature: {}, power: {}, cpu: {} };
  const cpuOutput = await text(eapi, 'show processes top once');
  for (const slot of fans.fanTraySlots ?? []) env.fans[slot.label] = { status: slot.status === 'ok' };
  const sensors = (list: Json[]): void => {
    for (const s of list) {
      const t = 'currentTemperature' in s ? s.currentTemperature : 0.0;
      env.temperature[s.name] = {
        temperature: t,
        is_alert: t > s.overheatThreshold,
        is_critical: t > s.criticalThreshold,
      };
    }
  };
  for (const fruType of ['cardSlots', 'powerSupplySlots'])
    for (const fru of temps[fruType] ?? []) sensors(fru.tempSensors ?? []);
  sensors(temps.tempSensors ?? []);
  if (!isVeos) {
    for (const [psu, data] of Object.entries<Json>(power.powerSupplies ?? {})) {
      env.power[psu] = {
        status: (data.state ?? 'ok') === 'ok',
        capacity: data.capacity ?? -1.0,
        output: data.outputPower ?? -1.0,
      };
    }
  }
  const cpuLines = lines(cpuOutput);
  const idle = /^.*ni, (?<idle>.*).id.*/.exec(cpuLines[2] ?? '');
  if (!idle) throw parseError('show processes top once: no CPU line');
  env.cpu[0] = { '%usage': Math.round((100 - Number.parseFloat(idle.groups!.idle)) * 10) / 10 };
  const mem = new RegExp(
    '^(?:(?<unit>\\S+)\\s+)?Mem\\s*:\\s+(?<total>[0-9.]+)[k\\s]+total,(?:\\s+(?<used1>[0-9.]+)[k\\s]+used,)?' +
      '\\s+(?<free>[0-9.]+)[k\\s]+free,(?:\\s+(?<used2>[0-9.]+)[k\\s]+used,)?.*',
  ).exec(cpuLines[3] ?? '');
  if (!mem) throw parseError('show processes top once: no memory line');
  const g = mem.groups!;
  const used = g.used1 || g.used2;
  env.memory =
    g.unit === 'MiB'
      ? { available_ram: Math.trunc(Number(g.total) * 1024), used_ram: Math.trunc(Number(used) * 1024) }
      : { available_ram: Math.trunc(Number(g.total)), used_ram: Math.trunc(Number(used)) };
  return env;
}

/** The open configuration session of the transactions, when there is one (its candidate). */
function configSession(args: GetterArgs): string | null {
  return typeof args.__config_session === 'string' && args.__config_session ? args.__config_session : null;
}

async function getConfig(eapi: NapalmEapi, args: GetterArgs): Promise<Json> {
  const retrieve = typeof args.retrieve === 'string' ? args.retrieve : 'all';
  const full = args.full === true ? ' all' : '';
  const sanitized = args.sanitized === true ? ' sanitized' : '';
  const session = configSession(args);
  const getStartup = retrieve === 'all' || retrieve === 'startup';
  const getRunning = retrieve === 'all' || retrieve === 'running';
  const getCandidate = (retrieve === 'all' || retrieve === 'candidate') && session !== null;
  if (retrieve === 'all') {
    const cmds = ['show startup-config', `show running-config${full}${sanitized}`];
    if (session) cmds.push(`show session-config named ${session}${sanitized}`);
    const out = (await eapi.run(cmds, 'text')) as Json[];
    let startup = String(out[0].output);
    if (sanitized && startup) startup = sanitizeConfig(startup, EOS_SANITIZE_FILTERS);
    return { startup, running: String(out[1].output), candidate: getCandidate ? String(out[2].output) : '' };
  }
  if (getStartup || getRunning) {
    const cmd = retrieve === 'running' ? `show running-config${full}${sanitized}` : 'show startup-config';
    const out = await text(eapi, cmd);
    const startup = getStartup && sanitized && out ? sanitizeConfig(out, EOS_SANITIZE_FILTERS) : out;
    return { startup: getStartup ? startup : '', running: getRunning ? out : '', candidate: '' };
  }
  if (getCandidate)
    return { startup: '', running: '', candidate: await text(eapi, `show session-config named ${session}`) };
  return { startup: '', running: '', candidate: '' };
}

const SNMP_COMMUNITY = new RegExp(
  '^snmp-server\\s+community\\s+(?<community>\\S+)(\\s+view\\s+(?<view>\\S+))?(\\s+(?<access>ro|rw)?)' +
    '(\\s+ipv6\\s+(?<v6_acl>\\S+))?(\\s+(?<v4_acl>\\S+))?$',
);

async function getSnmpInformation(eapi: NapalmEapi): Promise<Json> {
  const snmp: Json = { chassis_id: '', location: '', contact: '', community: {} };
  const outs = await json(eapi, ['show snmp v2-mib chassis', 'show snmp v2-mib location', 'show snmp v2-mib contact']);
  for (const o of outs) {
    for (const [k, v] of Object.entries(o)) {
      if (k === 'chassisId') snmp.chassis_id = v;
      else snmp[k] = String(v).replace(/^"+|"+$/g, '');
    }
  }
  for (const line of lines(await text(eapi, 'show running-config | section snmp-server community'))) {
    const m = SNMP_COMMUNITY.exec(line);
    if (m) snmp.community[m.groups!.community] = { acl: m.groups!.v4_acl ?? '', mode: m.groups!.access ?? '' };
  }
  return snmp;
}

async function getNtpServers(eapi: NapalmEapi): Promise<Json> {
  const result: Json = {};
  let interfaces: Json | null = null;
  for (const server of lines(await text(eapi, 'show running-config | section ntp'))) {
    const tokens = words(server);
    if (tokens[0] !== 'ntp') continue;
    const details: Json = {
      port: 123,
      version: 4,
      association_type: 'SERVER',
      iburst: false,
      prefer: false,
      network_instance: 'default',
      source_address: '',
      key_id: -1,
    };
    let address: string;
    let idx: number;
    if (tokens[2] === 'vrf') {
      details.network_instance = tokens[3];
      address = details.address = tokens[4];
      idx = 5;
    } else {
      address = details.address = tokens[2];
      idx = 3;
    }
    const family = /:/.test(address) && convert((a) => ip(a, 6), address, '') !== '' ? 6 : 4;
    while (idx < tokens.length) {
      const t = tokens[idx];
      if (t === 'iburst') {
        details.iburst = true;
        idx += 1;
      } else if (t === 'key') {
        details.key_id = Number.parseInt(tokens[idx + 1], 10);
        idx += 2;
      } else if (t === 'local-interface') {
        interfaces ??= await getInterfacesIp(eapi);
        const intf = interfaces[tokens[idx + 1]];
        const v6 = Object.keys(intf?.ipv6 ?? {});
        const v4 = Object.keys(intf?.ipv4 ?? {});
        if (family === 6 && v6.length) details.source_address = v6[0];
        else if (v4.length) details.source_address = v4[0];
        else if (v6.length) details.source_address = v6[0];
        idx += 2;
      } else if (t === 'version') {
        details.version = Number.parseInt(tokens[idx + 1], 10);
        idx += 2;
      } else if (t === 'prefer') {
        details.prefer = true;
        idx += 1;
      } else {
        idx += 1;
      }
    }
    result[address] = details;
  }
  return result;
}

async function getUsers(eapi: NapalmEapi): Promise<Json> {
  const [out] = await json(eapi, ['show users accounts']);
  const users: Json = {};
  for (const [name, raw] of Object.entries<Json>(out.users ?? {})) {
    const details: Json = { ...raw };
    delete details.username;
    const key = String(details.sshAuthorizedKey ?? '');
    delete details.sshAuthorizedKey;
    const keyValue = key.startsWith('ssh-rsa') || key.startsWith('ssh-dss') ? key : '';
    const level = details.privLevel ?? 0;
    const password = String(details.secret ?? '');
    delete details.privLevel;
    delete details.secret;
    users[name] = { ...details, level, password, sshkeys: keyValue ? [keyValue] : [] };
  }
  return users;
}

export const EOS_GETTERS: Partial<Record<GetterName, EapiGetter>> = {
  get_facts: getFacts,
  get_interfaces: getInterfaces,
  get_interfaces_ip: getInterfacesIp,
  get_interfaces_counters: getInterfacesCounters,
  get_arp_table: getArpTable,
  get_lldp_neighbors: getLldpNeighbors,
  get_lldp_neighbors_detail: getLldpNeighborsDetail,
  get_mac_address_table: getMacAddressTable,
  get_bgp_neighbors: getBgpNeighbors,
  get_environment: getEnvironment,
  get_config: getConfig,
  get_snmp_information: getSnmpInformation,
  get_ntp_servers: getNtpServers,
  get_users: getUsers,
};
