import type { NapalmCli } from '../../device.ts';
import { canonicalInterfaceName, ip, lines, mac, parseError, splitInterface, words } from '../helpers.ts';
import { send } from './send.ts';

const MAC_RE = '[a-fA-F0-9]{4}\\.[a-fA-F0-9]{4}\\.[a-fA-F0-9]{4}';
const IPV4_RE = '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}';

const YEAR = 365 * 86400;
const WEEK = 7 * 86400;
const DAY = 86400;

/** `1 year, 2 weeks, 3 days, 4 hours, 5 minutes` → seconds (NAPALM's IOS parse_uptime). */
export function parseUptime(text: string): number {
  let total = 0;
  for (const element of text.trim().split(',')) {
    const n = Number.parseInt(words(element)[0] ?? '', 10);
    if (/year/.test(element)) total += n * YEAR;
    else if (/week/.test(element)) total += n * WEEK;
    else if (/day/.test(element)) total += n * DAY;
    else if (/hour/.test(element)) total += n * 3600;
    else if (/minute/.test(element)) total += n * 60;
  }
  return total;
}

/** get_facts: `show version`, `show hosts`, `show ip interface brief`. */
export async function getFacts(cli: NapalmCli): Promise<Record<string, unknown>> {
  const showVer = await send(cli, 'show version');
  const showHosts = await send(cli, 'show hosts');
  const showIpIntBr = await send(cli, 'show ip interface brief');
  let uptime = -1;
  let serial = 'Unknown';
  let osVersion = 'Unknown';
  let hostname = 'Unknown';
  let domain = 'Unknown';
  let fqdn = 'Unknown';
  for (const line of lines(showVer)) {
    if (line.includes(' uptime is ')) {
      const [host, up] = line.split(' uptime is ');
      uptime = parseUptime(up);
      hostname = host.trim();
    }
    if (line.includes('Processor board ID')) serial = line.split('Processor board ID ')[1].trim();
    if (/Cisco IOS Software/.test(line)) {
      const parts = line.split('Cisco IOS Software, ');
      osVersion = parts.length === 2 ? parts[1] : (line.split(/Cisco IOS Software \[.*?\], /)[1] ?? osVersion);
    } else if (/IOS \(tm\).+Software/.test(line)) {
      osVersion = line.split('IOS (tm) ')[1];
    }
    osVersion = osVersion.trim();
  }
  for (const line of lines(showHosts)) {
    if (line.includes('Default domain')) {
      domain = line.split('Default domain is ')[1].trim();
      break;
    }
  }
  if (domain !== 'Unknown' && hostname !== 'Unknown') fqdn = `${hostname}.${domain}`;
  const model = /Cisco (.+?) .+bytes of/i.exec(showVer)?.[1] ?? 'Unknown';
  const interfaceList: string[] = [];
  const brief = showIpIntBr
    .split(/Any interface listed with.*/)
    .pop()!
    .trim();
  for (const line of lines(brief)) {
    if (line.includes('Interface ')) continue;
    const first = words(line)[0];
    if (first) interfaceList.push(first);
  }
  return {
    uptime,
    vendor: 'Cisco',
    os_version: osVersion,
    serial_number: serial,
    model,
    hostname,
    fqdn,
    interface_list: interfaceList,
  };
}

/** get_interfaces: `show interfaces`. `last_flapped` is not available on IOS (-1). */
export async function getInterfaces(cli: NapalmCli): Promise<Record<string, unknown>> {
  const output = await send(cli, 'show interfaces');
  const result: Record<string, unknown> = {};
  let name = '';
  let description = '';
  let macAddress = '';
  let isEnabled: boolean | null = null;
  let isUp: boolean | null = null;
  const header1 = /^(\S.*?)\s+is\s+(.+?),\s+line\s+protocol\s+is\s+(\S+)/;
  const header2 = /^(\S.*?)\s+is\s+(up|down)/;
  const macRe = new RegExp(`^\\s+Hardware.+address\\s+is\\s+(${MAC_RE})`);
  for (const line of lines(output)) {
    const m = header1.exec(line) ?? header2.exec(line);
    if (m) {
      name = m[1];
      const status = m[2];
      const protocol = m[3] ?? '';
      isEnabled = !status.toLowerCase().includes('admin');
      isUp = protocol ? protocol.includes('up') : status.includes('up');
    }
    const hw = macRe.exec(line);
    if (hw) macAddress = mac(hw[1]);
    const descr = /^\s+Description:\s+(.+?)$/.exec(line);
    if (descr) description = descr[1];
    const speedMatch = /^\s+MTU\s+(\d+).+BW\s+(\d+)\s+([KMG]?b)/.exec(line);
    if (speedMatch) {
      const mtu = Number.parseInt(speedMatch[1], 10);
      let speed = Number(speedMatch[2]);
      if (speedMatch[3].startsWith('Kb')) speed = speed / 1000;
      else if (speedMatch[3].startsWith('Gb')) speed = speed * 1000;
      if (name === '') throw parseError('interface attributes without an interface');
      if (isUp === null || isEnabled === null) throw parseError(`no status for interface ${name}`);
      result[name] = {
        is_enabled: isEnabled,
        is_up: isUp,
        description,
        mac_address: macAddress,
        last_flapped: -1.0,
        mtu,
        speed,
      };
      name = description = macAddress = '';
      isEnabled = isUp = null;
    }
  }
  return result;
}

/** get_interfaces_ip: `show ip interface`, `show ipv6 interface`. */
export async function getInterfacesIp(
  cli: NapalmCli,
): Promise<Record<string, Record<string, Record<string, { prefix_length: number }>>>> {
  const v4 = await send(cli, 'show ip interface');
  const v6 = await send(cli, 'show ipv6 interface');
  const internet = new RegExp(`^\\s+(?:Internet address is|Secondary address) (${IPV4_RE})/(\\d+)`);
  const linkLocal = /^\s+IPv6 is enabled, link-local address is ([a-fA-F0-9:]+)/;
  const global = /^\s+([a-fA-F0-9:]+), subnet is (?:[a-fA-F0-9:]+)\/(\d+)/;
  const result: Record<string, Record<string, Record<string, { prefix_length: number }>>> = {};
  let name = '';
  let ipv4: Record<string, { prefix_length: number }> = {};
  for (const line of lines(v4)) {
    if (line.trim() === '') continue;
    if (line[0] !== ' ') {
      ipv4 = {};
      name = words(line)[0];
    }
    const m = internet.exec(line);
    if (m) {
      ipv4[m[1]] = { prefix_length: Number.parseInt(m[2], 10) };
      result[name] = { ipv4 };
    }
  }
  if (!v6.includes('% Invalid input detected at')) {
    let ipv6: Record<string, { prefix_length: number }> = {};
    for (const line of lines(v6)) {
      if (line.trim() === '') continue;
      if (line[0] !== ' ') {
        const ifname = words(line)[0];
        ipv6 = {};
        result[ifname] = { ...(result[ifname] ?? {}), ipv6 };
      }
      const ll = linkLocal.exec(line);
      if (ll) ipv6[ll[1]] = { prefix_length: 10 };
      const g = global.exec(line);
      if (g) ipv6[g[1]] = { prefix_length: Number.parseInt(g[2], 10) };
    }
  }
  void ip;
  return result;
}

/** get_interfaces_counters: `show interfaces` and `show interface summary` (queue drops). */
export async function getInterfacesCounters(cli: NapalmCli): Promise<Record<string, Record<string, number>>> {
  const output = await send(cli, 'show interfaces');
  const summary = await send(cli, 'show interface summary');
  const counters: Record<string, Record<string, number>> = {};
  const headerRe = /^.* line protocol is .*$/gm;
  const headers = output.match(headerRe) ?? [];
  const sections = output.split(headerRe);
  if (sections.shift()!.trim()) throw parseError('show interfaces does not start with an interface');
  if (headers.length !== sections.length) throw parseError('show interfaces sections do not line up');
  headers.forEach((header, i) => {
    const name = header.split(/ is .* line protocol is /)[0].trim();
    counters[name] ??= {};
    const c = counters[name];
    for (const line of lines(sections[i])) {
      let m: RegExpExecArray | null;
      if (line.includes('packets input')) {
        m = /(\d+) packets input.* (\d+) bytes/.exec(line);
        if (m) {
          c.rx_unicast_packets = Number(m[1]);
          c.rx_octets = Number(m[2]);
        }
      } else if (line.includes('broadcast')) {
        m = /Received (\d+) broadcasts.*(\d+).*multicasts/.exec(line);
        const alt = /Received (\d+) broadcasts.*/.exec(line);
        c.rx_broadcast_packets = m ? Number(m[1]) : alt ? Number(alt[1]) : -1;
        c.rx_multicast_packets = m ? Number(m[2]) : -1;
      } else if (line.includes('packets output')) {
        m = /(\d+) packets output.* (\d+) bytes/.exec(line);
        if (m) {
          c.tx_unicast_packets = Number(m[1]);
          c.tx_octets = Number(m[2]);
        }
        c.tx_broadcast_packets = -1;
        c.tx_multicast_packets = -1;
      } else if (line.includes('input errors')) {
        m = /(\d+) input errors/.exec(line);
        if (m) c.rx_errors = Number(m[1]);
        c.rx_discards = -1;
      } else if (line.includes('output errors')) {
        m = /(\d+) output errors/.exec(line);
        if (m) c.tx_errors = Number(m[1]);
        c.tx_discards = -1;
      }
    }
    // `show interface summary` abbreviates the long 10/40/100G names.
    const [type, number] = splitInterface(name);
    const short = { HundredGigabitEthernet: 'Hu', FortyGigabitEthernet: 'Fo', TenGigabitEthernet: 'Te' }[type];
    const inSummary = short ? short + number : name;
    const escaped = inSummary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const row = new RegExp(
      `\\b${escaped}\\b\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)`,
    );
    for (const line of lines(summary)) {
      if (!line.includes(inSummary)) continue;
      const m = row.exec(line);
      if (m) {
        const target = counters[canonicalInterfaceName(inSummary)] ?? c;
        target.rx_discards = Number(m[2]);
        target.tx_discards = Number(m[4]);
      }
    }
  });
  return counters;
}
