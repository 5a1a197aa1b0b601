import type { NapalmCli } from '../../device.ts';
import { appendTo, lines, mac, words } from '../helpers.ts';

/**
 * LLDP on Junos. get_lldp_neighbors reads the `show lldp neighbors` table; the detail getter asks
 * `show lldp neighbors interface <if>` for each local interface that has a neighbor, as NAPALM's
 * Junos driver calls the per-interface RPC.
 */

export async function getLldpNeighbors(
  cli: NapalmCli,
): Promise<Record<string, Array<{ hostname: string; port: string }>>> {
  const text = await cli.run('show lldp neighbors');
  const result: Record<string, Array<{ hostname: string; port: string }>> = {};
  let cols: { port: number; system: number } | null = null;
  for (const line of lines(text)) {
    if (/^Local Interface/.test(line)) {
      cols = { port: line.indexOf('Port info'), system: line.indexOf('System Name') };
      continue;
    }
    if (!cols || !line.trim()) continue;
    const local = words(line)[0];
    const port = line.slice(cols.port, cols.system).trim();
    const hostname = line.slice(cols.system).trim();
    appendTo(result, local, { hostname, port });
  }
  return result;
}

/** NAPALM's Junos capability rule: lower-case, split on blanks, sorted (`Bridge Router` → [bridge, router]). */
function capabilities(text: string): string[] {
  const t = text.trim().toLowerCase();
  return t ? t.split(/\s+/).sort() : [];
}

const FIELDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^Parent Interface\s*:\s*(.*)$/, 'parent_interface'],
  [/^Chassis ID\s*:\s*(.*)$/, 'remote_chassis_id'],
  [/^Port ID\s*:\s*(.*)$/, 'remote_port'],
  [/^Port description\s*:\s*(.*)$/, 'remote_port_description'],
  [/^System name\s*:\s*(.*)$/, 'remote_system_name'],
  [/^System Description\s*:\s*(.*)$/, 'remote_system_description'],
  [/^Supported\s*:\s*(.*)$/, 'remote_system_capab'],
  [/^Enabled\s*:\s*(.*)$/, 'remote_system_enable_capab'],
];

/** One `show lldp neighbors interface X` answer → its neighbors (a record starts at `Local Information:`). */
function parseDetail(text: string): Array<Record<string, unknown>> {
  const records: Array<Record<string, string>> = [];
  let rec: Record<string, string> | null = null;
  let inManagement = false;
  for (const raw of lines(text)) {
    const line = raw.trim();
    if (/^Local Information:/.test(line)) {
      rec = {};
      records.push(rec);
      inManagement = false;
      continue;
    }
    if (/^Management Info/.test(line)) inManagement = true; // its `Port ID` is not the neighbor's port
    if (!rec || inManagement) continue;
    for (const [re, key] of FIELDS) {
      const m = re.exec(line);
      if (m && rec[key] === undefined) {
        rec[key] = m[1].trim();
        break;
      }
    }
  }
  return records.map((r) => {
    const chassis = r.remote_chassis_id ?? '';
    let chassisId = chassis;
    try {
      chassisId = mac(chassis);
    } catch {
      chassisId = chassis; // NAPALM keeps a chassis id that is not a MAC as it is
    }
    const parent = r.parent_interface ?? '';
    return {
      parent_interface: parent === '-' ? '' : parent,
      remote_port: r.remote_port ?? '',
      remote_chassis_id: chassisId,
      remote_port_description: r.remote_port_description ?? '',
      remote_system_name: r.remote_system_name ?? '',
      remote_system_description: r.remote_system_description ?? '',
      remote_system_capab: capabilities(r.remote_system_capab ?? ''),
      remote_system_enable_capab: capabilities(r.remote_system_enable_capab ?? ''),
    };
  });
}

export async function getLldpNeighborsDetail(
  cli: NapalmCli,
  args: { interface?: unknown },
): Promise<Record<string, Array<Record<string, unknown>>>> {
  const wanted = typeof args.interface === 'string' && args.interface ? [args.interface] : null;
  const interfaces = wanted ?? Object.keys(await getLldpNeighbors(cli));
  const result: Record<string, Array<Record<string, unknown>>> = {};
  for (const iface of interfaces) {
    const neighbors = parseDetail(await cli.run(`show lldp neighbors interface ${iface}`));
    if (neighbors.length) result[iface] = neighbors;
  }
  return result;
}
