/**
 * Devices for a bulk run, pasted or uploaded as CSV. Either one device per line (`host`,
 * `host:port` or `host,port`), or CSV with a header row naming the columns (`host` required;
 * `port` is a number; any other column, e.g. `device_type`, `username`, `password`, is passed on).
 */
export const MAX_DEVICES = 10_000;

export function parseDevices(text: string): { devices: Record<string, unknown>[]; errors: string[] } {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const errors: string[] = [];
  const devices: Record<string, unknown>[] = [];
  if (!lines.length) return { devices, errors };
  const head = splitCsv(lines[0]).map((c) => c.toLowerCase());
  const hasHeader = head.includes('host');
  const rows = hasHeader ? lines.slice(1) : lines;
  rows.slice(0, MAX_DEVICES).forEach((line, i) => {
    const cells = splitCsv(line);
    const d: Record<string, unknown> = {};
    if (hasHeader) {
      head.forEach((k, j) => {
        if (k && cells[j] !== undefined && cells[j] !== '') d[k] = cells[j];
      });
    } else {
      const m = /^([^\s,:]+|\[[0-9a-fA-F:]+\])(?:[:,]\s*(\d+))?$/.exec(line);
      if (m) {
        d.host = m[1].replace(/^\[|\]$/g, '');
        if (m[2]) d.port = m[2];
      }
    }
    const where = `line ${i + (hasHeader ? 2 : 1)}`;
    if (!d.host) return void errors.push(`${where}: no host`);
    if (typeof d.port === 'string') {
      const n = Number(d.port);
      if (!Number.isInteger(n) || n < 1 || n > 65535) return void errors.push(`${where}: port must be a number`);
      d.port = n;
    }
    devices.push(d);
  });
  if (rows.length > MAX_DEVICES) errors.push(`only the first ${MAX_DEVICES} devices are used`);
  return { devices, errors };
}

/** Splits one CSV line (double quotes may wrap a cell; "" is a quote inside one). */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}
