import type { NapalmCli } from '../../device.ts';
import { emptySnmpInformation, type SnmpInformation, lines, mac, words } from '../helpers.ts';

/**
 * get_mac_address_table from `show ethernet-switching table` (the ELS layout of EX/QFX/MX bridges):
 * the table names VLANs, so `show vlans` maps names to tags. Static entries carry flag `S`;
 * as in NAPALM's Junos driver, flood entries (`*`) are skipped and active/moves/last_move keep
 * NAPALM's defaults (true, 0, 0.0), which Junos does not report.
 */
export async function getMacAddressTable(cli: NapalmCli): Promise<Array<Record<string, unknown>>> {
  const tags = new Map<string, number>();
  for (const line of lines(await cli.run('show vlans'))) {
    const f = words(line);
    if (f.length >= 3 && /^\d+$/.test(f[2]) && !/^\s/.test(line)) tags.set(f[1], Number(f[2]));
  }
  const table: Array<Record<string, unknown>> = [];
  for (const line of lines(await cli.run('show ethernet-switching table'))) {
    const f = words(line);
    if (f.length < 5 || !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(f[1])) continue;
    table.push({
      mac: mac(f[1]),
      interface: f[4],
      vlan: tags.get(f[0]) ?? (/^\d+$/.test(f[0]) ? Number(f[0]) : 0),
      static: f[2].split(',').includes('S'),
      active: true,
      moves: 0,
      last_move: 0.0,
    });
  }
  return table;
}

const AUTHORIZATION: Readonly<Record<string, string>> = { 'read-only': 'ro', 'read-write': 'rw' };

function unquote(text: string): string {
  const t = text.trim();
  return t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/**
 * get_snmp_information from `show configuration snmp`: contact, location, `system-name` as the
 * chassis id, and each community's `authorization` (read-only → ro, read-write → rw; Junos's
 * default is read-only) and `client-list-name` as its ACL. No SNMP configuration → `{}`, as NAPALM.
 */
export async function getSnmpInformation(cli: NapalmCli): Promise<SnmpInformation | Record<string, never>> {
  const text = await cli.run('show configuration snmp');
  const info = emptySnmpInformation();
  let seen = false;
  let community: { acl: string; mode: string } | null = null;
  let depth = 0;
  for (const raw of lines(text)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('##')) continue;
    if (depth === 0) {
      const leaf = /^(contact|location|system-name)\s+(.+);$/.exec(line);
      if (leaf) {
        info[leaf[1] === 'system-name' ? 'chassis_id' : (leaf[1] as 'contact' | 'location')] = unquote(leaf[2]);
        seen = true;
      }
      const c = /^community\s+(\S+?)\s*(\{|;)$/.exec(line);
      if (c) {
        community = { acl: '', mode: 'ro' };
        info.community[unquote(c[1])] = community;
        seen = true;
      }
    } else if (depth === 1 && community) {
      const auth = /^authorization\s+(\S+);$/.exec(line);
      if (auth) community.mode = AUTHORIZATION[auth[1]] ?? auth[1];
      const acl = /^client-list-name\s+(\S+);$/.exec(line);
      if (acl) community.acl = unquote(acl[1]);
    }
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth <= 0) {
      depth = 0;
      community = null;
    }
  }
  return seen ? info : {};
}
