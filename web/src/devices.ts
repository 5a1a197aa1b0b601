import { parseCsv } from '../../core/cli/client/csv.ts';

/**
 * Devices for a bulk run, pasted or uploaded as CSV. Either one device per line (`host`,
 * `host:port` or `host,port`), or CSV with a header row naming the columns (`host` required;
 * `port` is a number; any other column, e.g. `device_type`, `username`, `password`, is passed on).
 * Lines starting with `#` are comments. The CSV reader is the CLI's (RFC 4180, browser-safe).
 */
export const MAX_DEVICES = 10_000;

export function parseDevices(text: string): { devices: Record<string, unknown>[]; errors: string[] } {
  const errors: string[] = [];
  const devices: Record<string, unknown>[] = [];
  let rows: string[][];
  try {
    rows = parseCsv(text)
      .map((r) => r.map((c) => c.trim()))
      .filter((r) => r.some((c) => c) && !r[0].startsWith('#'));
  } catch (e) {
    return { devices, errors: [`CSV: ${(e as Error).message}`] };
  }
  if (!rows.length) return { devices, errors };
  const head = rows[0].map((c) => c.toLowerCase());
  const hasHeader = head.includes('host');
  const body = hasHeader ? rows.slice(1) : rows;
  for (const [i, cells] of body.slice(0, MAX_DEVICES).entries()) {
    const where = `row ${i + (hasHeader ? 2 : 1)}`;
    const d: Record<string, unknown> = {};
    if (hasHeader) {
      head.forEach((k, j) => {
        if (k && cells[j]) d[k] = cells[j];
      });
    } else if (cells.length === 1) {
      const m = /^([^\s:]+|\[[0-9a-fA-F:]+\])(?::(\d+))?$/.exec(cells[0]);
      if (m) {
        d.host = m[1].replace(/^\[|\]$/g, '');
        if (m[2]) d.port = m[2];
      }
    } else if (/^\S+$/.test(cells[0])) {
      d.host = cells[0];
      if (cells[1]) d.port = cells[1];
    }
    if (!d.host) {
      errors.push(`${where}: no host`);
      continue;
    }
    if (typeof d.port === 'string') {
      const n = Number(d.port);
      if (!Number.isInteger(n) || n < 1 || n > 65535) {
        errors.push(`${where}: port must be a number`);
        continue;
      }
      d.port = n;
    }
    devices.push(d);
  }
  if (body.length > MAX_DEVICES) errors.push(`only the first ${MAX_DEVICES} devices are used`);
  return { devices, errors };
}
