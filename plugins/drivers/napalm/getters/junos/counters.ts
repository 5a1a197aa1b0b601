import type { NapalmCli } from '../../device.ts';
import { lines } from '../helpers.ts';

/**
 * get_interfaces_counters from `show interfaces extensive`, as NAPALM's Junos table reads the same
 * RPC: Ethernet-class physical ports only (NAPALM's `[afgxe][et]-*`), octets from Traffic
 * statistics, errors/discards from Input/Output errors (`Policed discards` and `Drops` are the
 * discards), unicast/multicast/broadcast from MAC statistics; a counter the port lacks is -1.
 */

type Counters = Record<string, number>;

const COUNTER_NAMES = [
  'tx_errors',
  'rx_errors',
  'tx_discards',
  'rx_discards',
  'tx_octets',
  'rx_octets',
  'tx_unicast_packets',
  'rx_unicast_packets',
  'tx_multicast_packets',
  'rx_multicast_packets',
  'tx_broadcast_packets',
  'rx_broadcast_packets',
] as const;

const MAC_ROWS: Readonly<Record<string, string>> = {
  'Unicast packets': 'unicast_packets',
  'Broadcast packets': 'broadcast_packets',
  'Multicast packets': 'multicast_packets',
};

/** `Errors: 0, Drops: 0, …` → the value of one named item. */
function listItem(line: string, name: string): number | undefined {
  const m = new RegExp(`(?:^|,\\s*)${name}:\\s*(\\d+)`).exec(line.trim());
  return m ? Number(m[1]) : undefined;
}

export async function getInterfacesCounters(cli: NapalmCli): Promise<Record<string, Counters>> {
  const result: Record<string, Counters> = {};
  let current: Counters | null = null;
  let section: 'input' | 'output' | 'traffic' | 'mac' | '' = '';
  let trafficDone = false;
  for (const line of lines(await cli.run('show interfaces extensive'))) {
    const head = /^Physical interface:\s+([^,\s]+)/.exec(line);
    if (head) {
      current = /^[afgxe][et]-/.test(head[1]) ? Object.fromEntries(COUNTER_NAMES.map((n) => [n, -1])) : null;
      if (current) result[head[1]] = current;
      section = '';
      trafficDone = false;
      continue;
    }
    if (/^\s+Logical interface/.test(line)) current = null;
    if (!current) continue;
    const t = line.trim();
    if (t.startsWith('Traffic statistics:')) section = trafficDone ? '' : 'traffic';
    else if (t.startsWith('IPv6 transit statistics:')) section = '';
    else if (t.startsWith('Input errors:')) section = 'input';
    else if (t.startsWith('Output errors:')) section = 'output';
    else if (t.startsWith('MAC statistics:')) section = 'mac';
    else if (/^[A-Z][\w /-]*:\s*$/.test(t) || /^(Queue counters|Filter statistics|Packet Forwarding Engine)/.test(t)) {
      section = '';
    }
    if (section === 'traffic') {
      const m = /^(Input|Output)\s+bytes\s*:\s*(\d+)/.exec(t);
      if (m) current[m[1] === 'Input' ? 'rx_octets' : 'tx_octets'] = Number(m[2]);
      if (/^Output\s+packets/.test(t)) trafficDone = true;
    } else if (section === 'input' || section === 'output') {
      const dir = section === 'input' ? 'rx' : 'tx';
      const errors = listItem(t, 'Errors');
      if (errors !== undefined) current[`${dir}_errors`] = errors;
      const discards = listItem(t, section === 'input' ? 'Policed discards' : 'Drops');
      if (discards !== undefined) current[`${dir}_discards`] = discards;
    } else if (section === 'mac') {
      const m = /^(Unicast packets|Broadcast packets|Multicast packets)\s+(\d+)\s+(\d+)/.exec(t);
      if (m) {
        current[`rx_${MAC_ROWS[m[1]]}`] = Number(m[2]);
        current[`tx_${MAC_ROWS[m[1]]}`] = Number(m[3]);
      }
    }
  }
  return result;
}
