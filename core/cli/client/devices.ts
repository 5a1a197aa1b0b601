import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseCsv } from './csv.ts';
import { UsageError } from './exit.ts';

export type Device = Record<string, unknown>;

const MAX_FILE = 32 * 1024 * 1024;

/** Vendor column of the reference client's device sheet → device_type. */
const VENDOR_TYPES: Record<string, string> = {
  CISCO: 'cisco_ios',
  HUAWEI: 'huawei',
  H3C: 'hp_comware',
  ARISTA: 'arista_eos',
  FORTINET: 'fortinet',
};
/** Connection fields that are numbers; every other cell stays text (a password may be digits). */
const NUMERIC = new Set([
  'port',
  'timeout',
  'conn_timeout',
  'auth_timeout',
  'banner_timeout',
  'read_timeout',
  'session_timeout',
  'blocking_timeout',
  'keepalive',
  'global_delay_factor',
]);
/** Fields never turned into booleans. */
const TEXT = new Set(['host', 'username', 'password', 'secret', 'device_type', 'passphrase', 'key_file', 'name']);

/**
 * Reads a device list: CSV (our columns — host, username, password, device_type, port and any other
 * connection field as a per-device override — or the reference client's sheet with
 * Selected/Vendor/IP/Port/Username/Password/Keepalive), YAML or JSON (a list, or `{devices: [...]}`).
 * Empty cells are left out, so the command's defaults apply.
 */
export function readDevices(path: string): Device[] {
  let text: string;
  try {
    if (statSync(path).size > MAX_FILE) throw new UsageError(`${path} is larger than ${MAX_FILE} bytes`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `cannot read devices file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  const ext = extname(path).toLowerCase();
  let devices: Device[];
  try {
    if (ext === '.csv') devices = fromCsv(text);
    else if (ext === '.json' || ext === '.yaml' || ext === '.yml')
      devices = fromList(ext === '.json' ? JSON.parse(text) : parseYaml(text));
    else throw new UsageError(`devices file must end in .csv, .yaml, .yml or .json (got ${path})`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!devices.length) throw new UsageError(`${path} lists no devices`);
  return devices;
}

function fromList(doc: unknown): Device[] {
  const list = Array.isArray(doc) ? doc : (doc as { devices?: unknown })?.devices;
  if (!Array.isArray(list)) throw new UsageError('expected a list of devices (or {devices: [...]})');
  return list.map((d, i) => {
    if (!d || typeof d !== 'object' || Array.isArray(d)) throw new UsageError(`device ${i + 1} is not an object`);
    if (typeof (d as Device).host !== 'string' || !(d as Device).host)
      throw new UsageError(`device ${i + 1} has no host`);
    return d as Device;
  });
}

function fromCsv(text: string): Device[] {
  const rows = parseCsv(text);
  if (rows.length < 1) return [];
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const reference = header.includes('ip') && !header.includes('host');
  const out: Device[] = [];
  rows.slice(1).forEach((cells, r) => {
    const row: Record<string, string> = {};
    header.forEach((h, i) => {
      const v = (cells[i] ?? '').trim();
      if (h && v !== '') row[h] = v;
    });
    const line = r + 2;
    if (reference) {
      if ('selected' in row && !/^(true|1|yes|y|x)$/i.test(row.selected)) return;
      const vendor = (row.vendor ?? '').toUpperCase();
      if (vendor && !VENDOR_TYPES[vendor])
        throw new UsageError(`line ${line}: unknown Vendor "${row.vendor}" (${Object.keys(VENDOR_TYPES).join(', ')})`);
      if (!row.ip) throw new UsageError(`line ${line}: IP is empty`);
      const d: Device = { host: row.ip, port: row.port ? toInt(row.port, line, 'Port') : 22 };
      if (vendor) d.device_type = VENDOR_TYPES[vendor];
      if (row.username) d.username = row.username;
      if (row.password) d.password = row.password;
      if (row.keepalive) d.keepalive = toInt(row.keepalive, line, 'Keepalive');
      out.push(d);
      return;
    }
    if (!row.host) throw new UsageError(`line ${line}: host is empty`);
    const d: Device = {};
    for (const [k, v] of Object.entries(row)) d[k] = typed(k, v, line);
    out.push(d);
  });
  return out;
}

function typed(key: string, v: string, line: number): unknown {
  if (NUMERIC.has(key)) return toNumber(v, line, key);
  if (!TEXT.has(key) && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  return v;
}

function toInt(v: string, line: number, what: string): number {
  if (!/^\d{1,6}$/.test(v))
    throw new UsageError(`line ${line}: ${what} must be a whole number (got "${v.slice(0, 20)}")`);
  return Number(v);
}

function toNumber(v: string, line: number, what: string): number {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`line ${line}: ${what} must be a number (got "${v.slice(0, 20)}")`);
  return n;
}
