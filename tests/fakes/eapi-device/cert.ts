/**
 * Self-signed TLS certificate for the simulator's HTTPS mode, built with
 * node:crypto alone. Node can make keys and signatures but has no X.509
 * builder, so the certificate's DER is assembled here (ECDSA P-256 /
 * SHA-256, subjectAltName IP 127.0.0.1 and DNS localhost). No openssl
 * binary and no key material in the repository are needed. One key and
 * certificate are made per process and shared by all simulated devices.
 */
import crypto from 'node:crypto';

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

const seq = (...c: Buffer[]): Buffer => tlv(0x30, ...c);
const set = (...c: Buffer[]): Buffer => tlv(0x31, ...c);

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes: number[] = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const enc: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) enc.unshift(0x80 | (v & 0x7f));
    bytes.push(...enc);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function integer(bytes: Buffer): Buffer {
  // DER INTEGERs are signed: keep a positive serial positive
  return tlv(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function utcTime(d: Date): Buffer {
  const p = (n: number): string => String(n).padStart(2, '0');
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(s, 'ascii'));
}

function name(cn: string): Buffer {
  return seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(cn, 'utf8')))));
}

/** Positive, minimally encoded serial: first byte in 0x01..0x7f. */
function serial(): Buffer {
  const b = crypto.randomBytes(12);
  b[0] = (b[0] & 0x7f) | 0x01;
  return b;
}

export interface TlsMaterial {
  key: string;
  cert: string;
}

let cached: TlsMaterial | undefined;

export function selfSignedCert(): TlsMaterial {
  if (cached) return cached;
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const sigAlg = seq(oid('1.2.840.10045.4.3.2')); // ecdsa-with-SHA256
  const now = Date.now();
  const san = seq(
    tlv(0x87, Buffer.from([127, 0, 0, 1])), // [7] iPAddress
    tlv(0x82, Buffer.from('localhost', 'ascii')), // [2] dNSName
  );
  const extensions = tlv(0xa3, seq(seq(oid('2.5.29.17'), tlv(0x04, san))));
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))), // v3
    integer(serial()),
    sigAlg,
    name('eapi-simulator'),
    seq(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + 30 * 86400_000))),
    name('eapi-simulator'),
    publicKey.export({ format: 'der', type: 'spki' }),
    extensions,
  );
  const signature = crypto.sign('sha256', tbs, privateKey);
  const der = seq(tbs, sigAlg, tlv(0x03, Buffer.from([0]), signature));
  const pem = `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  cached = { key: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), cert: pem };
  return cached;
}
