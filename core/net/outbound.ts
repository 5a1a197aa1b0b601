/**
 * Outbound HTTP(S) for URLs a request supplies (webhooks, remote templates), safe by default.
 *
 * - Loopback, link-local (incl. the cloud metadata address 169.254.169.254), unspecified and
 *   multicast targets (and their IPv4-mapped IPv6 forms) are refused unless the allow-list names
 *   the host or the address.
 * - DNS is resolved once per attempt, inside the connection's own `lookup`: the address checked is
 *   the address connected to, so a name that re-resolves to 127.0.0.1 afterwards (DNS rebinding)
 *   gains nothing. No connection is shared between attempts (`agent: false`).
 * - Redirects are followed only when the caller asks, at most `maxRedirects` hops, each hop
 *   checked like the first.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { NetPulseError } from '../errors.ts';
import { hostAllowed, type AllowList } from './allow-list.ts';

const DENIED = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network", incl. the unspecified 0.0.0.0
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, incl. cloud metadata 169.254.169.254
  ['224.0.0.0', 4], // multicast
  ['255.255.255.255', 32], // broadcast
] as const)
  DENIED.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const)
  DENIED.addSubnet(net, bits, 'ipv6');

/** True for loopback, link-local, unspecified, multicast and broadcast addresses. */
export function isDeniedAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return DENIED.check(ip, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return DENIED.check(mapped[1]!, 'ipv4');
  return DENIED.check(ip, 'ipv6');
}

/** Whether `ip` (what `host` resolved to) may be connected to under `allow`. */
export function addressAllowed(allow: AllowList, host: string, ip: string): boolean {
  if (!isDeniedAddress(ip)) return true;
  // A special address needs an explicit entry: an empty (open) list does not allow it.
  return !allow.open && (hostAllowed(allow, host) || hostAllowed(allow, ip));
}

function denied(what: string, host: string, ip: string, key: string): NetPulseError {
  const shown = host === ip ? ip : `${host} (${ip})`;
  return new NetPulseError(
    'NP_ERR_OUTBOUND_DENIED',
    `${what} target ${shown} is a loopback, link-local, unspecified or multicast address not named in ${key}`,
  );
}

export interface OutboundOptions {
  method?: string;
  headers?: Headers | Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  allow: AllowList;
  /** Config key named in refusals (e.g. `webhook.allow_hosts`). */
  allowKey: string;
  /** What the request is for, in refusals (e.g. `webhook`). */
  what: string;
  /** 0 (default) returns 3xx answers as they are. */
  maxRedirects?: number;
}

/** fetch-like request under the policy above. Refusals reject with NP_ERR_OUTBOUND_DENIED. */
export async function outboundFetch(url: string | URL, o: OutboundOptions): Promise<Response> {
  let target = new URL(url);
  for (let hop = 0; ; hop++) {
    const res = await once(target, o);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location || hop >= (o.maxRedirects ?? 0)) return res;
    await res.body?.cancel().catch(() => undefined);
    target = new URL(location, target);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new NetPulseError('NP_ERR_OUTBOUND_DENIED', `${o.what} redirect to a ${target.protocol} URL refused`);
    }
  }
}

function once(url: URL, o: OutboundOptions): Promise<Response> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !addressAllowed(o.allow, host, host)) return Promise.reject(denied(o.what, host, host, o.allowKey));
  // Resolve once, check every address, connect to the first allowed one.
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 4);
      const ok = addresses.find((a) => addressAllowed(o.allow, host, a.address));
      if (!ok) return callback(denied(o.what, host, addresses[0]?.address ?? '?', o.allowKey), '', 4);
      if ((options as { all?: boolean }).all)
        (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [ok]);
      else callback(null, ok.address, ok.family);
    });
  };
  const headers: Record<string, string> = {};
  new Headers(o.headers ?? {}).forEach((v, k) => {
    headers[k] = v;
  });
  if (o.body !== undefined && !('content-length' in headers))
    headers['content-length'] = String(Buffer.byteLength(o.body));
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise<Response>((resolve, reject) => {
    const req = mod.request(
      url,
      { method: o.method ?? 'GET', headers, agent: false, lookup, signal: o.signal },
      (res) => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (Array.isArray(v)) for (const x of v) h.append(k, x);
          else if (v !== undefined) h.set(k, v);
        }
        const status = res.statusCode ?? 502;
        const nullBody = status === 204 || status === 205 || status === 304 || (o.method ?? 'GET') === 'HEAD';
        if (nullBody) res.resume();
        resolve(
          new Response(nullBody ? null : (Readable.toWeb(res) as ReadableStream), {
            status,
            statusText: res.statusMessage,
            headers: h,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}
