import type { NapalmCli } from '../../device.ts';
import { asNumber, groups, ip, lines, parseError } from '../helpers.ts';
import { send } from './send.ts';

const IPV4 = '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}';
const IPV6 = '(?:::|[0-9a-fA-F:]{1,39}::[0-9a-fA-F:]{1,39}|' + '[0-9a-fA-F]{1,4}:'.repeat(7) + '[0-9a-fA-F]{1,4})';
const ASN = '[\\d\\.]+';

const SUPPORTED_AFI = [
  'ipv4 unicast',
  'ipv4 multicast',
  'ipv6 unicast',
  'ipv6 multicast',
  'vpnv4 unicast',
  'vpnv6 unicast',
  'ipv4 mdt',
];

const DAY = 86400;
const WEEK = 7 * DAY;
const YEAR = 365 * DAY;

/** `00:14:23`, `1d11h`, `8w5d`, `1y28w`, `never` → seconds (never = -1). */
export function bgpTimeConversion(text: string): number {
  const t = text.trim();
  if (t.includes('never')) return -1;
  if (t.includes(':')) {
    const [h, m, s] = t.split(':').map((x) => Number.parseInt(x, 10));
    return h * 3600 + m * 60 + s;
  }
  if (/[whd]/.test(t)) {
    let m = /(\d+)d(\d+)h/.exec(t);
    if (m) return Number(m[1]) * DAY + Number(m[2]) * 3600;
    m = /(\d+)w(\d+)d/.exec(t);
    if (m) return Number(m[1]) * WEEK + Number(m[2]) * DAY;
    m = /(\d+)y(\d+)w/.exec(t);
    if (m) return Number(m[1]) * YEAR + Number(m[2]) * WEEK;
  }
  throw parseError(`BGP uptime ${t}`);
}

interface Pattern {
  re: RegExp;
  record: boolean;
}

type Row = Record<string, string | null>;

/**
 * NAPALM's line-table parser: each line is matched against the patterns in order; the first
 * match's named groups update the current row; a `record` pattern appends a copy and clears the
 * fields that must not fill down into the next row.
 */
function parseTable(text: string, patterns: Pattern[], noFill: string[], onRecord?: (row: Row) => void): Row[] {
  const out: Row[] = [];
  const row: Row = {};
  for (const line of lines(text)) {
    for (const p of patterns) {
      const m = p.re.exec(line);
      if (!m) continue;
      Object.assign(row, groups(m));
      if (p.record) {
        onRecord?.(row);
        out.push({ ...row });
        for (const f of noFill) delete row[f];
      }
      break;
    }
  }
  return out;
}

const SUMMARY: Pattern[] = [
  { re: /^For address family: (?<afi>[\S ]+)$/, record: false },
  { re: new RegExp(`^.* router identifier (?<router_id>${IPV4}), local AS number (?<local_as>${ASN})`), record: false },
  {
    re: new RegExp(
      `^\\*?(?<remote_addr>(${IPV4})|(${IPV6}))\\s+\\d+\\s+(?<remote_as>${ASN})(\\s+\\S+){5}\\s+` +
        '(?<uptime>(never)|\\d+\\S+)\\s+(?<accepted_prefixes>\\d+)',
    ),
    record: true,
  },
  {
    re: new RegExp(
      `^\\*?(?<remote_addr>(${IPV4})|(${IPV6}))\\s+\\d+\\s+(?<remote_as>${ASN})(\\s+\\S+){5}\\s+` +
        '(?<uptime>(never)|\\d+\\S+)\\s+(?<state>\\D.*)',
    ),
    record: true,
  },
  { re: new RegExp(`^\\*?(?<remote_addr>(${IPV4})|(${IPV6}))`), record: false },
  {
    re: new RegExp(
      `^\\s+\\d+\\s+(?<remote_as>${ASN})(\\s+\\S+){5}\\s+(?<uptime>(never)|\\d+\\S+)\\s+(?<accepted_prefixes>\\d+)`,
    ),
    record: true,
  },
  {
    re: new RegExp(`^\\s+\\d+\\s+(?<remote_as>${ASN})(\\s+\\S+){5}\\s+(?<uptime>(never)|\\d+\\S+)\\s+(?<state>\\D.*)`),
    record: true,
  },
];
const SUMMARY_NO_FILL = ['accepted_prefixes', 'state', 'uptime', 'remote_as', 'remote_addr'];

const NEIGHBORS: Pattern[] = [
  {
    re: new RegExp(
      `^BGP neighbor is (?<remote_addr>(${IPV4})|(${IPV6})),(\\s+vrf (?<vrf>\\S+),)?` +
        `\\s+remote AS (?<remote_as>${ASN}).*`,
    ),
    record: false,
  },
  { re: /^\s+Description: (?<description>.+)/, record: false },
  { re: new RegExp(`^\\s+BGP version \\d+, remote router ID (?<remote_id>${IPV4})`), record: false },
  { re: /^\s+BGP state = (?<state>\w+)/, record: false },
  { re: /^\s+For address family: (?<afi>[\S ]+)$/, record: false },
  { re: /^\s+Prefixes Current:\s+(?<sent_prefixes>\d+)\s+(?<accepted_prefixes>\d+).*/, record: false },
  { re: /^\s+Saved (soft-reconfig):.+(?<received_prefixes>\d+).*/, record: true },
  { re: /^\s+Local Policy Denied Prefixes:.+/, record: true },
];
const NEIGHBORS_NO_FILL = ['received_prefixes', 'accepted_prefixes', 'sent_prefixes'];

type BgpFamily = { received_prefixes: number; accepted_prefixes: number; sent_prefixes: number };
interface BgpPeer {
  local_as: number;
  remote_as: number;
  remote_id: string;
  is_up: boolean;
  is_enabled: boolean;
  description: string;
  uptime: number;
  address_family: Record<string, BgpFamily>;
}

/** get_bgp_neighbors: `show bgp all summary` and `show bgp <afi> neighbors` per supported family. */
export async function getBgpNeighbors(cli: NapalmCli): Promise<Record<string, unknown>> {
  const summary = (await send(cli, 'show bgp all summary')).trim();
  if (['Invalid input', 'BGP not active'].some((s) => summary.includes(s))) return {};
  let neighborOutput = '';
  for (const afi of SUPPORTED_AFI) {
    const cmd = ['vpnv4 unicast', 'vpnv6 unicast', 'ipv4 mdt'].includes(afi)
      ? `show bgp ${afi} all neighbors`
      : `show bgp ${afi} neighbors`;
    neighborOutput += (await send(cli, cmd)).trim() + '\n';
  }
  const summaryRows = parseTable(summary, SUMMARY, SUMMARY_NO_FILL);
  const vrfs: string[] = [];
  const neighborRows = parseTable(neighborOutput, NEIGHBORS, NEIGHBORS_NO_FILL, (row) => {
    const vrf = row.vrf || 'global';
    if (!vrfs.includes(vrf)) vrfs.push(vrf);
  });

  let routerId: string | null = null;
  for (const entry of summaryRows) {
    if (!routerId) routerId = entry.router_id ?? null;
    else if (entry.router_id !== routerId) throw parseError('BGP router identifiers differ between address families');
  }
  const rid = ip(routerId ?? '', 4);
  const result: Record<string, { router_id: string; peers: Record<string, BgpPeer> }> = {};
  for (const vrf of vrfs) result[vrf] = { router_id: rid, peers: {} };

  for (const entry of summaryRows) {
    const remoteAddr = ip(entry.remote_addr ?? '');
    const afi = (entry.afi ?? '').toLowerCase();
    if (!SUPPORTED_AFI.includes(afi)) continue;
    const neighbor = neighborRows.find(
      (n) => (n.afi ?? '').toLowerCase() === afi && ip(n.remote_addr ?? '') === remoteAddr,
    );
    if (!neighbor) continue;
    const isEnabled = !(entry.state ?? '').includes('(Admin)');
    let uptime = bgpTimeConversion(entry.uptime ?? '');
    const isUp = (neighbor.state ?? '').includes('Established');
    let accepted = entry.accepted_prefixes != null ? Number.parseInt(entry.accepted_prefixes, 10) : -1;
    if (Number.isNaN(accepted)) accepted = -1;
    let received: number;
    let sent: number;
    if (isUp) {
      if (neighbor.accepted_prefixes != null) {
        const n = Number.parseInt(neighbor.accepted_prefixes, 10);
        if (!Number.isNaN(n)) accepted = n;
      }
      received = neighbor.received_prefixes != null ? Number(neighbor.received_prefixes) : accepted;
      sent = neighbor.sent_prefixes != null ? Number.parseInt(neighbor.sent_prefixes, 10) : -1;
    } else {
      received = -1;
      sent = -1;
      uptime = -1;
    }
    const description = neighbor.description ?? '';
    const remoteId = ip(neighbor.remote_id ?? '', 4);
    const vrf = neighbor.vrf || 'global';
    const peers = result[vrf].peers;
    const family = { received_prefixes: received, accepted_prefixes: accepted, sent_prefixes: sent };
    const existing = peers[remoteAddr];
    if (!existing) {
      peers[remoteAddr] = {
        local_as: asNumber(entry.local_as ?? ''),
        remote_as: asNumber(entry.remote_as ?? ''),
        remote_id: remoteId,
        is_up: isUp,
        is_enabled: isEnabled,
        description,
        uptime,
        address_family: { [afi]: family },
      };
    } else {
      existing.is_up = existing.is_up || isUp;
      existing.uptime = Math.max(existing.uptime, uptime);
      existing.address_family[afi] = family;
    }
  }
  return result;
}
