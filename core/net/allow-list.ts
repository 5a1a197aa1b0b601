/**
 * Allow-lists of outbound targets (`webhook.allow_hosts`, `templates.remote_allow_hosts`).
 *
 * Entries:
 * - `hooks.example.com`: that exact hostname (case-insensitive);
 * - `*.example.com`: any subdomain of example.com (not example.com itself);
 * - `192.0.2.10`, `2001:db8::1`: that IP literal;
 * - `10.0.0.0/8`, `2001:db8::/32`: IP literals inside the block.
 */
import { BlockList, isIP } from 'node:net';
import { npError } from '../errors.ts';

export interface AllowList {
  /** True when no restriction is configured. */
  readonly open: boolean;
  readonly names: ReadonlySet<string>;
  readonly suffixes: readonly string[];
  readonly ips: BlockList;
}

const HOSTNAME = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/;

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function normalizeName(host: string): string {
  return unbracket(host.trim().toLowerCase()).replace(/\.$/, '');
}

/** Parses an allow-list setting (a list, or a comma-separated string from an env override). */
export function parseAllowList(value: unknown, key = 'webhook.allow_hosts'): AllowList {
  const entries: unknown[] =
    value === undefined || value === null
      ? []
      : typeof value === 'string'
        ? value.split(',').filter((s) => s.trim() !== '')
        : Array.isArray(value)
          ? value
          : [value];
  const names = new Set<string>();
  const suffixes: string[] = [];
  const ips = new BlockList();
  for (const raw of entries) {
    if (typeof raw !== 'string' || raw.trim() === '') {
      throw npError('NP_ERR_CONFIG', `${key} entries must be non-empty strings`);
    }
    const entry = normalizeName(raw);
    const slash = entry.indexOf('/');
    if (slash >= 0) {
      const addr = unbracket(entry.slice(0, slash));
      const prefixText = entry.slice(slash + 1);
      const family = isIP(addr);
      const prefix = Number(prefixText);
      const max = family === 6 ? 128 : 32;
      if (family === 0 || !/^\d{1,3}$/.test(prefixText) || prefix > max) {
        throw npError('NP_ERR_CONFIG', `${key} entry "${raw}" is not a valid CIDR block`);
      }
      ips.addSubnet(addr, prefix, family === 6 ? 'ipv6' : 'ipv4');
    } else if (isIP(entry) !== 0) {
      ips.addAddress(entry, isIP(entry) === 6 ? 'ipv6' : 'ipv4');
    } else if (entry.startsWith('*.') && HOSTNAME.test(entry.slice(2))) {
      suffixes.push(entry.slice(1));
    } else if (HOSTNAME.test(entry)) {
      names.add(entry);
    } else {
      throw npError('NP_ERR_CONFIG', `${key} entry "${raw}" is not a hostname, IP or CIDR`);
    }
  }
  return { open: entries.length === 0, names, suffixes, ips };
}

export function hostAllowed(list: AllowList, urlHostname: string): boolean {
  if (list.open) return true;
  const host = normalizeName(urlHostname);
  const family = isIP(host);
  if (family !== 0) return list.ips.check(host, family === 6 ? 'ipv6' : 'ipv4');
  return list.names.has(host) || list.suffixes.some((s) => host.endsWith(s));
}
