import { isIP } from 'node:net';
import { NetPulseError } from '../../../../core/errors.ts';

/**
 * NAPALM's value conventions (its `base/helpers.py` and `constants.py`), written for this
 * project: MAC and IP canonical forms, AS numbers, interface long names, LLDP capability names,
 * configuration sanitising.
 */

/** A getter could not make sense of the device output (NAPALM raises ValueError there). */
export function parseError(what: string): NetPulseError {
  return new NetPulseError('NP_ERR_DEVICE_COMMAND', `Unexpected device output: ${what.slice(0, 300)}`);
}

const HEX = /^[0-9a-f]+$/i;
/** `1:2:3:4:5:6` or `01-23-45-67-89-ab`: six 1-2 digit octets, one separator throughout. */
const SIX_OCTETS = new RegExp('^([0-9a-f]{1,2})([:-])' + '([0-9a-f]{1,2})\\2'.repeat(4) + '([0-9a-f]{1,2})$', 'i');

/**
 * MAC address in NAPALM's form `01:23:45:67:89:AB`, from the spellings netaddr's EUI-48 parser
 * accepts (`0123.4567.89ab`, `01-23-45-67-89-ab`, `1:2:3:4:5:6`, `012345-6789ab`, bare hex).
 * Throws on anything else.
 */
export function mac(raw: string): string {
  let s = raw.trim();
  if (s.endsWith(':')) {
    // NAPALM pads a MAC whose trailing zero octets were cut (`1c:6a:7a:af:57:`).
    const flat = s.replaceAll(':', '');
    s = flat.slice(0, 6).padStart(6, '0') + flat.slice(6).padStart(6, '0');
  }
  const octets = macOctets(s);
  if (!octets) throw parseError(`not a MAC address: ${raw}`);
  return octets.join(':').toUpperCase();
}

/** The six octets of a MAC address in one of the accepted spellings, or null. */
function macOctets(s: string): string[] | null {
  const six = SIX_OCTETS.exec(s);
  if (six) return [six[1], six[3], six[4], six[5], six[6], six[7]].map((o) => o.padStart(2, '0'));
  const dotted = /^([0-9a-f]{1,4})([.:])([0-9a-f]{1,4})\2([0-9a-f]{1,4})$/i.exec(s);
  if (dotted) {
    return [dotted[1], dotted[3], dotted[4]].flatMap((w) => {
      const p = w.padStart(4, '0');
      return [p.slice(0, 2), p.slice(2)];
    });
  }
  const halves = /^([0-9a-f]{5,6})[-:]([0-9a-f]{5,6})$/i.exec(s);
  if (halves) return (halves[1].padStart(6, '0') + halves[2].padStart(6, '0')).match(/../g);
  if (s.length === 12 && HEX.test(s)) return s.match(/../g);
  return null;
}

/** `mac()` when the text is a MAC address, else the text unchanged. */
export function macOrSelf(raw: string): string {
  try {
    return mac(raw);
  } catch {
    return raw;
  }
}

/** IPv6 in its canonical compressed lower-case form (RFC 5952), as netaddr prints it. */
function compressIpv6(addr: string): string {
  let text = addr.toLowerCase();
  let tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const o = v4[1].split('.').map(Number);
    tail = [(o[0] << 8) | o[1], (o[2] << 8) | o[3]];
    text = text.slice(0, -v4[1].length);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, null];
  const parse = (part: string): number[] => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const left = parse(head);
  const right = rest === null ? [] : parse(rest);
  const fill = 8 - tail.length - left.length - right.length;
  const words = rest === null ? [...left, ...tail] : [...left, ...Array(Math.max(0, fill)).fill(0), ...right, ...tail];
  if (words.length !== 8 || words.some((w) => Number.isNaN(w))) throw parseError(`not an IPv6 address: ${addr}`);
  // Longest run of two or more zero words becomes '::' (first one on ties).
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  // IPv4-mapped addresses keep their dotted tail, as netaddr prints them.
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    return `::ffff:${words[6] >> 8}.${words[6] & 255}.${words[7] >> 8}.${words[7] & 255}`;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** NAPALM `ip()`: canonical text of an IP address (scope `%x` kept); with `version`, it must match. */
export function ip(addr: string, version?: 4 | 6): string {
  let text = addr.trim();
  let scope = '';
  const pct = text.indexOf('%');
  if (pct >= 0) {
    scope = text.slice(pct);
    text = text.slice(0, pct);
  }
  const kind = isIP(text);
  if (kind === 0) throw parseError(`not an IP address: ${addr}`);
  if (version && kind !== version) throw parseError(`${addr} is not an IPv${version} address`);
  return (
    (kind === 4
      ? text
          .split('.')
          .map((o) => String(Number(o)))
          .join('.')
      : compressIpv6(text)) + scope
  );
}

/** NAPALM `as_number()`: asplain from asplain or asdot (`1.10` → 65546). */
export function asNumber(value: string | number): number {
  const s = String(value).trim();
  if (s.includes('.')) {
    const [big, little] = s.split('.');
    return Number.parseInt(big, 10) * 65536 + Number.parseInt(little, 10);
  }
  const n = Number.parseInt(s, 10);
  if (Number.isNaN(n)) throw parseError(`not an AS number: ${s}`);
  return n;
}

/** Short interface type → long name (NAPALM's canonical map). */
const BASE_INTERFACES: Readonly<Record<string, string>> = {
  ATM: 'ATM',
  AT: 'ATM',
  EOBC: 'EOBC',
  EO: 'EOBC',
  Ethernet: 'Ethernet',
  Eth: 'Ethernet',
  Et: 'Ethernet',
  FastEthernet: 'FastEthernet',
  FastEth: 'FastEthernet',
  FastE: 'FastEthernet',
  Fast: 'FastEthernet',
  Fas: 'FastEthernet',
  FE: 'FastEthernet',
  Fa: 'FastEthernet',
  Fddi: 'Fddi',
  FD: 'Fddi',
  FortyGigabitEthernet: 'FortyGigabitEthernet',
  FortyGigEthernet: 'FortyGigabitEthernet',
  FortyGigEth: 'FortyGigabitEthernet',
  FortyGigE: 'FortyGigabitEthernet',
  FortyGig: 'FortyGigabitEthernet',
  FGE: 'FortyGigabitEthernet',
  FO: 'FortyGigabitEthernet',
  Fo: 'FortyGigabitEthernet',
  GigabitEthernet: 'GigabitEthernet',
  GigEthernet: 'GigabitEthernet',
  GigEth: 'GigabitEthernet',
  GigE: 'GigabitEthernet',
  Gig: 'GigabitEthernet',
  GE: 'GigabitEthernet',
  Gi: 'GigabitEthernet',
  HundredGigabitEthernet: 'HundredGigabitEthernet',
  HundredGigEthernet: 'HundredGigabitEthernet',
  HundredGigEth: 'HundredGigabitEthernet',
  HundredGigE: 'HundredGigabitEthernet',
  HundredGig: 'HundredGigabitEthernet',
  Hu: 'HundredGigabitEthernet',
  Loopback: 'Loopback',
  Lo: 'Loopback',
  Management: 'Management',
  Mgmt: 'Management',
  Ma: 'Management',
  MFR: 'MFR',
  Multilink: 'Multilink',
  Mu: 'Multilink',
  'Port-channel': 'Port-channel',
  PortChannel: 'Port-channel',
  'Port-Channel': 'Port-channel',
  Po: 'Port-channel',
  POS: 'POS',
  PO: 'POS',
  Serial: 'Serial',
  Se: 'Serial',
  S: 'Serial',
  TenGigabitEthernet: 'TenGigabitEthernet',
  TenGigEthernet: 'TenGigabitEthernet',
  TenGigEth: 'TenGigabitEthernet',
  TenGig: 'TenGigabitEthernet',
  TeGig: 'TenGigabitEthernet',
  Ten: 'TenGigabitEthernet',
  T: 'TenGigabitEthernet',
  Te: 'TenGigabitEthernet',
  TwentyFiveGigE: 'TwentyFiveGigE',
  TwentyFiveGig: 'TwentyFiveGigE',
  Twe: 'TwentyFiveGigE',
  TF: 'TwentyFiveGigE',
  Tunnel: 'Tunnel',
  Tun: 'Tunnel',
  Tu: 'Tunnel',
  'Virtual-Access': 'Virtual-Access',
  Vi: 'Virtual-Access',
  'Virtual-Template': 'Virtual-Template',
  Vt: 'Virtual-Template',
  VLAN: 'Vlan',
  Vlan: 'Vlan',
  V: 'Vlan',
  Vl: 'Vlan',
};

/** NAPALM `split_interface`: `Gi0/1` → [`Gi`, `0/1`]. */
export function splitInterface(name: string): [string, string] {
  const head = name.replace(/[/\\0-9. ]+$/, '');
  return [head, name.slice(head.length).trimStart()];
}

/** NAPALM `canonical_interface_name`: `Gi0/1` → `GigabitEthernet0/1`; unknown types unchanged. */
export function canonicalInterfaceName(name: string): string {
  const [type, number] = splitInterface(name);
  const long = Object.hasOwn(BASE_INTERFACES, type) ? BASE_INTERFACES[type] : undefined;
  return long ? long + number : name;
}

const LLDP_CAPABILITIES: Readonly<Record<string, string>> = {
  o: 'other',
  p: 'repeater',
  b: 'bridge',
  w: 'wlan-access-point',
  r: 'router',
  t: 'telephone',
  c: 'docsis-cable-device',
  s: 'station',
};

/** NAPALM `transform_lldp_capab`: `B,R` → `["bridge", "router"]` (sorted). */
export function transformLldpCapab(capabilities: string): string[] {
  if (!capabilities) return [];
  return capabilities
    .trim()
    .toLowerCase()
    .split(',')
    .map((c) => {
      const name = LLDP_CAPABILITIES[c.trim()];
      if (!name) throw parseError(`unknown LLDP capability ${c}`);
      return name;
    })
    .sort();
}

/** A Python `re.sub` replacement (`\1`) as a JS replacement (`$1`). */
function jsReplacement(py: string): string {
  return py.replaceAll('$', '$$$$').replace(/\\(\d+)/g, (_m, n: string) => `$${n}`);
}

/** One sanitising rule: a multi-line regex and its replacement (Python `re.sub` syntax). */
export type SanitizeFilters = ReadonlyArray<readonly [pattern: string, replacement: string]>;

/** NAPALM's Cisco rules (IOS, NX-OS): secrets become `<removed>`. */
export const CISCO_SANITIZE_FILTERS: SanitizeFilters = [
  ['^(snmp-server community).*$', '\\1 <removed>'],
  ['^(snmp-server host \\S+( vrf \\S+)?( version (1|2c|3))?)\\s+\\S+((\\s+\\S*)*)\\s*$', '\\1 <removed> \\5'],
  [
    '^(snmp-server user \\S+( \\S+)? auth md5) \\S+ (priv) \\S+ (localizedkey( engineID \\S+)?)\\s*$',
    '\\1 <removed> \\3 <removed> \\4\\5',
  ],
  ['^(username .+ (password|secret) \\d) .+$', '\\1 <removed>'],
  ['^(enable (password|secret)( level \\d+)? \\d) .+$', '\\1 <removed>'],
  ['^(\\s+(?:password|secret)) (?:\\d )?\\S+$', '\\1 <removed>'],
  ['^(.*wpa-psk ascii \\d) (\\S+)$', '\\1 <removed>'],
  ['^(.*key 7) (\\d.+)$', '\\1 <removed>'],
  ['^(tacacs-server (.+ )?key) .+$', '\\1 <removed>'],
  ['^(crypto isakmp key) (\\S+) (.*)$', '\\1 <removed> \\3'],
  ['^(\\s+ip ospf message-digest-key \\d+ md5) .+$', '\\1 <removed>'],
  ['^(\\s+ip ospf authentication-key) .+$', '\\1 <removed>'],
  ['^(\\s+neighbor \\S+ password) .+$', '\\1 <removed>'],
  ['^(\\s+vrrp \\d+ authentication text) .+$', '\\1 <removed>'],
  ['^(\\s+standby \\d+ authentication) .{1,8}$', '\\1 <removed>'],
  ['^(\\s+standby \\d+ authentication md5 key-string) .+?( timeout \\d+)?$', '\\1 <removed> \\2'],
  ['^(\\s+key-string) .+$', '\\1 <removed>'],
  ['^((tacacs|radius) server [^\\n]+\\n(\\s+[^\\n]+\\n)*\\s+key) [^\\n]+$', '\\1 <removed>'],
  ['^(\\s+ppp (chap|pap) password \\d) .+$', '\\1 <removed>'],
];

/**
 * EOS rules for `show startup-config` (EOS sanitises the running configuration itself, with
 * `show running-config sanitized`): password hashes and keys become `<removed>`, the hash type
 * stays, lines may be indented.
 */
export const EOS_SANITIZE_FILTERS: SanitizeFilters = [
  ['^(\\s*snmp-server community).*$', '\\1 <removed>'],
  ['^(\\s*username .+ (?:password|secret) (?:\\d+|sha512)) .+$', '\\1 <removed>'],
  ['^(\\s*aaa root secret (?:\\d+|sha512)) .+$', '\\1 <removed>'],
  ['^(\\s*enable (?:password|secret) (?:\\d+|sha512)) .+$', '\\1 <removed>'],
  ['^(\\s*(?:tacacs|radius)-server (?:.+ )?key \\d+) .+$', '\\1 <removed>'],
  ['^(\\s*ntp authentication-key \\d+ \\S+ \\d+) .+$', '\\1 <removed>'],
  ['^(\\s+neighbor \\S+ password \\d+) .+$', '\\1 <removed>'],
  ['^(\\s+ip ospf (?:authentication-key|message-digest-key \\d+ md5) \\d+) .+$', '\\1 <removed>'],
];

/** NAPALM `sanitize_config`: every rule in order, multi-line. */
export function sanitizeConfig(config: string, filters: SanitizeFilters): string {
  let out = config;
  for (const [pattern, replacement] of filters)
    out = out.replace(new RegExp(pattern, 'gm'), jsReplacement(replacement));
  return out;
}

/** Python `str.split()` without arguments: runs of whitespace, no empty fields. */
export function words(line: string): string[] {
  return line.trim().split(/\s+/).filter(Boolean);
}

/** Python `str.splitlines()` (without the line ends). */
export function lines(text: string): string[] {
  if (text === '') return [];
  const out = text.split(/\r\n|\r|\n/);
  if (out[out.length - 1] === '') out.pop();
  return out;
}

/** Appends `item` to the list under `key`, creating the list (NAPALM's `setdefault(key, []).append`). */
export function appendTo<T>(table: Record<string, T[]>, key: string, item: T): void {
  const list = table[key] ?? [];
  list.push(item);
  table[key] = list;
}

/** Named groups of a match with Python's `groupdict()` semantics (unmatched → null). */
export function groups(m: RegExpExecArray): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(m.groups ?? {})) out[k] = v ?? null;
  return out;
}

/** get_snmp_information's result before any SNMP line is read. */
export interface SnmpInformation {
  chassis_id: string;
  contact: string;
  location: string;
  community: Record<string, { acl: string; mode: string }>;
}

export function emptySnmpInformation(): SnmpInformation {
  return { chassis_id: '', contact: '', location: '', community: {} };
}
