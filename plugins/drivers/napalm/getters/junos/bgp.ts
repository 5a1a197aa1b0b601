import type { NapalmCli } from '../../device.ts';
import { asNumber, ip, lines, words } from '../helpers.ts';

/**
 * get_bgp_neighbors from `show bgp neighbor` (every instance in one answer, as NAPALM asks newer
 * Junos) and the `Last Up/Dwn` column of `show bgp summary` for uptimes. NAPALM's Junos rules:
 * instance `master` is `global`; a VRF's router id is the first peer's Local ID; is_up means
 * Established; address families default to -1 for ipv4 and ipv6 and are filled from each
 * `Table <rib>` block only while the session is up (rib `X.inet.0` → ipv4, `X.inet6.0` → ipv6).
 */

interface Peer {
  instance: string;
  localId: string;
  state: string;
  fields: Record<string, unknown>;
  tables: Array<{ table: string; received: number; accepted: number; advertised: number }>;
}

const FAMILY: Readonly<Record<string, string>> = { inet: 'ipv4', inet6: 'ipv6' };

function family(table: string): string | undefined {
  const parts = table.split('.');
  return parts.length >= 2 ? FAMILY[parts[parts.length - 2]] : undefined;
}

function parseNeighbors(text: string): Map<string, Peer> {
  const peers = new Map<string, Peer>();
  let peer: Peer | null = null;
  let table: Peer['tables'][number] | null = null;
  for (const raw of lines(text)) {
    const line = raw.trim();
    const head = /^Peer:\s+(\S+)\s+AS\s+(\S+)\s+Local:\s+\S+\s+AS\s+(\S+)/.exec(line);
    if (head) {
      peer = {
        instance: 'master',
        localId: '',
        state: '',
        tables: [],
        fields: {
          remote_as: asNumber(head[2]),
          local_as: asNumber(head[3]),
          remote_id: '',
          description: '',
          is_enabled: true,
        },
      };
      table = null;
      peers.set(ip(head[1].split('+')[0]), peer);
      continue;
    }
    if (!peer) continue;
    let m = /^Description:\s*(.*)$/.exec(line);
    if (m) peer.fields.description = m[1];
    m = /Routing-Instance:\s*(\S+)/.exec(line);
    if (m) peer.instance = m[1];
    m = /^Forwarding routing-instance:\s*(\S+)/.exec(line);
    if (m) peer.instance = m[1];
    m = /^Type:\s*\S+\s+State:\s*(\S+)/.exec(line);
    if (m) peer.state = m[1];
    // An administratively disabled peer shows `Shutdown` among its flags or options.
    if (/^(Flags|Options):.*\bShutdown\b/.test(line)) peer.fields.is_enabled = false;
    m = /^Peer ID:\s*(\S+)/.exec(line);
    if (m) peer.fields.remote_id = m[1];
    m = /Local ID:\s*(\S+)/.exec(line);
    if (m) peer.localId = m[1];
    m = /^Table\s+(\S+)/.exec(line);
    if (m) {
      table = { table: m[1], received: -1, accepted: -1, advertised: -1 };
      peer.tables.push(table);
      continue;
    }
    if (table) {
      m = /^(Received|Accepted|Advertised) prefixes:\s*(\d+)/.exec(line);
      if (m) table[m[1].toLowerCase() as 'received' | 'accepted' | 'advertised'] = Number(m[2]);
      if (/^Last traffic|^Input messages|^Output messages/.test(line)) table = null;
    }
  }
  return peers;
}

/** `Last Up/Dwn`: `[Nw][Nd] h:mm:ss`, or `m:ss` under an hour → seconds. */
function upDownSeconds(text: string): number {
  const w = /(\d+)w/.exec(text);
  const d = /(\d+)d/.exec(text);
  const clock = /(\d+(?::\d+)+)\s*$/.exec(text)?.[1].split(':').map(Number) ?? [];
  while (clock.length < 3) clock.unshift(0);
  return Number(w?.[1] ?? 0) * 604800 + Number(d?.[1] ?? 0) * 86400 + clock[0] * 3600 + clock[1] * 60 + clock[2];
}

/** Peer address → seconds since the last up/down, from the summary's peer rows. */
function parseUptimes(text: string): Map<string, number> {
  const uptimes = new Map<string, number>();
  let inPeers = false;
  for (const line of lines(text)) {
    if (/^Peer\s+AS\s+InPkt/.test(line)) {
      inPeers = true;
      continue;
    }
    if (!inPeers || /^\s/.test(line)) continue;
    const f = words(line);
    // Peer AS InPkt OutPkt OutQ Flaps <Last Up/Dwn: one or two words> <State>
    if (f.length < 8) continue;
    let address: string;
    try {
      address = ip(f[0]);
    } catch {
      continue;
    }
    uptimes.set(address, upDownSeconds(f.slice(6, f.length - 1).join(' ')));
  }
  return uptimes;
}

export async function getBgpNeighbors(cli: NapalmCli): Promise<Record<string, unknown>> {
  const peers = parseNeighbors(await cli.run('show bgp neighbor'));
  const uptimes = parseUptimes(await cli.run('show bgp summary'));
  const result: Record<string, { router_id: string; peers: Record<string, unknown> }> = {};
  for (const [address, peer] of peers) {
    const name = peer.instance === 'master' ? 'global' : peer.instance;
    result[name] ??= { router_id: peer.localId, peers: {} };
    const isUp = peer.state === 'Established';
    const families: Record<string, Record<string, number>> = {
      ipv4: { received_prefixes: -1, accepted_prefixes: -1, sent_prefixes: -1 },
      ipv6: { received_prefixes: -1, accepted_prefixes: -1, sent_prefixes: -1 },
    };
    if (isUp) {
      for (const t of peer.tables) {
        const fam = family(t.table);
        if (!fam) continue;
        families[fam] = { received_prefixes: t.received, accepted_prefixes: t.accepted, sent_prefixes: t.advertised };
      }
    }
    result[name].peers[address] = {
      ...peer.fields,
      is_up: isUp,
      uptime: uptimes.get(address) ?? 0,
      address_family: families,
    };
  }
  return result;
}
