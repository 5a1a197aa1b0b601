/**
 * The slice of Python's `ipaddress` module that TTP's IP match functions expose
 * (`to_ip`, `to_net`, `ip_info`, `cidr_match`, and attribute access such as `with_prefixlen`).
 * IPv4 only; IPv6 input is reported as invalid, which makes the functions leave data unchanged.
 */
export type IpKind = 'address' | 'interface' | 'network';

export class IpValue {
  constructor(
    readonly kind: IpKind,
    /** Address as a 32-bit unsigned integer. */
    readonly address: number,
    readonly prefixlen: number,
  ) {}

  get version(): number {
    return 4;
  }
  get maxPrefixlen(): number {
    return 32;
  }
  get netmaskInt(): number {
    return this.prefixlen === 0 ? 0 : (0xffffffff << (32 - this.prefixlen)) >>> 0;
  }
  get networkAddress(): number {
    return (this.address & this.netmaskInt) >>> 0;
  }
  get broadcastAddress(): number {
    return (this.networkAddress | (~this.netmaskInt >>> 0)) >>> 0;
  }
  get numAddresses(): number {
    return 2 ** (32 - this.prefixlen);
  }
  get ip(): string {
    return intToIp(this.address);
  }
  get withPrefixlen(): string {
    return `${this.ip}/${this.prefixlen}`;
  }
  get network(): IpValue {
    return new IpValue('network', this.networkAddress, this.prefixlen);
  }
  get isPrivate(): boolean {
    return PRIVATE_V4.some(
      ([net, len]) =>
        inNetwork(this.kind === 'network' ? this.networkAddress : this.address, net, len) &&
        (this.kind !== 'network' || this.prefixlen >= len),
    );
  }

  toString(): string {
    if (this.kind === 'address') return this.ip;
    if (this.kind === 'network') return `${intToIp(this.networkAddress)}/${this.prefixlen}`;
    return this.withPrefixlen;
  }

  /** Python attribute access (`getattr(ip_obj, name)`), for the attributes TTP templates use. */
  attribute(name: string): unknown {
    const hostmask = intToIp(~this.netmaskInt >>> 0);
    const netmask = intToIp(this.netmaskInt);
    switch (name) {
      case 'with_prefixlen':
        return this.kind === 'address' ? undefined : this.kind === 'network' ? this.toString() : this.withPrefixlen;
      case 'with_netmask':
        return `${this.kind === 'network' ? intToIp(this.networkAddress) : this.ip}/${netmask}`;
      case 'with_hostmask':
        return `${this.kind === 'network' ? intToIp(this.networkAddress) : this.ip}/${hostmask}`;
      case 'network':
        return this.kind === 'interface' ? this.network : undefined;
      case 'ip':
        return this.kind === 'interface' ? new IpValue('address', this.address, 32) : undefined;
      case 'netmask':
        return netmask;
      case 'hostmask':
        return hostmask;
      case 'prefixlen':
        return this.prefixlen;
      case 'version':
        return 4;
      case 'max_prefixlen':
        return 32;
      case 'is_private':
        return this.isPrivate;
      case 'is_global':
        return !this.isPrivate;
      case 'is_loopback':
        return inNetwork(this.address, ipToInt('127.0.0.0')!, 8);
      case 'is_multicast':
        return inNetwork(this.address, ipToInt('224.0.0.0')!, 4);
      case 'is_link_local':
        return inNetwork(this.address, ipToInt('169.254.0.0')!, 16);
      case 'is_reserved':
        return inNetwork(this.address, ipToInt('240.0.0.0')!, 4);
      case 'is_unspecified':
        return this.address === 0;
      case 'compressed':
      case 'exploded':
        return this.toString();
      case 'broadcast_address':
        return new IpValue('address', this.broadcastAddress, 32);
      case 'network_address':
        return new IpValue('address', this.networkAddress, 32);
      case 'num_addresses':
        return this.numAddresses;
      default:
        return undefined;
    }
  }
}

const PRIVATE_V4: [number, number][] = (
  [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 29],
    ['192.0.0.170', 31],
    ['192.0.2.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['240.0.0.0', 4],
    ['255.255.255.255', 32],
  ] as [string, number][]
).map(([ip, len]) => [ipToInt(ip)!, len]);

function inNetwork(address: number, network: number, prefixlen: number): boolean {
  const mask = prefixlen === 0 ? 0 : (0xffffffff << (32 - prefixlen)) >>> 0;
  return (address & mask) >>> 0 === (network & mask) >>> 0;
}

export function ipToInt(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p.startsWith('0'))) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

export function intToIp(value: number): string {
  return [24, 16, 8, 0].map((s) => (value >>> s) & 255).join('.');
}

function parsePrefix(text: string): number | undefined {
  if (/^\d{1,2}$/.test(text)) {
    const n = Number(text);
    return n <= 32 ? n : undefined;
  }
  const mask = ipToInt(text);
  if (mask === undefined) return undefined;
  const bits = mask.toString(2).padStart(32, '0');
  if (/^1*0*$/.test(bits)) return bits.indexOf('0') < 0 ? 32 : bits.indexOf('0');
  // Python also accepts host masks (0.0.0.255).
  if (/^0*1*$/.test(bits)) return bits.indexOf('1') < 0 ? 32 : bits.indexOf('1');
  return undefined;
}

export class IpError extends Error {}

/** `ipaddress.ip_interface(text)` / `ip_address(text)` as TTP's `to_ip` chooses them. */
export function toIp(text: string): IpValue {
  const value = text.replace(/ /g, '/');
  if (text.includes('/') || text.includes(' ')) {
    const [addr, prefix, ...rest] = value.split('/');
    const a = ipToInt(addr);
    const p = prefix === undefined ? 32 : parsePrefix(prefix);
    if (a === undefined || p === undefined || rest.length)
      throw new IpError(`'${text}' does not appear to be an IPv4 interface`);
    return new IpValue('interface', a, p);
  }
  const a = ipToInt(value);
  if (a === undefined) throw new IpError(`'${text}' does not appear to be an IPv4 address`);
  return new IpValue('address', a, 32);
}

/** `ipaddress.ip_network(text)` (strict: host bits must be zero). */
export function toNet(text: string): IpValue {
  const [addr, prefix, ...rest] = text.split('/');
  const a = ipToInt(addr);
  const p = prefix === undefined ? 32 : parsePrefix(prefix);
  if (a === undefined || p === undefined || rest.length)
    throw new IpError(`'${text}' does not appear to be an IPv4 network`);
  const net = new IpValue('network', a, p);
  if (net.networkAddress !== a) throw new IpError(`${text} has host bits set`);
  return net;
}

export function ipInfo(ip: IpValue): Record<string, unknown> {
  const s = (name: string): string => String(ip.attribute(name));
  if (ip.kind === 'interface') {
    return {
      compressed: ip.toString(),
      exploded: ip.toString(),
      hostmask: s('hostmask'),
      ip: ip.ip,
      is_link_local: ip.attribute('is_link_local'),
      is_loopback: ip.attribute('is_loopback'),
      is_multicast: ip.attribute('is_multicast'),
      is_private: ip.isPrivate,
      is_reserved: ip.attribute('is_reserved'),
      is_unspecified: ip.attribute('is_unspecified'),
      max_prefixlen: 32,
      netmask: s('netmask'),
      network: ip.network.toString(),
      version: 4,
      with_hostmask: s('with_hostmask'),
      with_netmask: s('with_netmask'),
      with_prefixlen: ip.withPrefixlen,
      broadcast_address: intToIp(ip.broadcastAddress),
      network_address: intToIp(ip.networkAddress),
      num_addresses: ip.numAddresses,
      hosts: ip.numAddresses - 2,
      prefixlen: ip.prefixlen,
    };
  }
  return {
    ip: ip.ip,
    compressed: ip.ip,
    exploded: ip.ip,
    is_link_local: ip.attribute('is_link_local'),
    is_loopback: ip.attribute('is_loopback'),
    is_multicast: ip.attribute('is_multicast'),
    is_private: ip.isPrivate,
    is_reserved: ip.attribute('is_reserved'),
    is_unspecified: ip.attribute('is_unspecified'),
    max_prefixlen: 32,
    version: 4,
  };
}

export function overlaps(a: IpValue, b: IpValue): boolean {
  return inNetwork(a.networkAddress, b.networkAddress, Math.min(a.prefixlen, b.prefixlen));
}
