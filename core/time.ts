/**
 * ISO-8601 timestamps with offset in the zone of env `TZ` (default UTC),
 * microsecond field as the reference prints it: `2025-11-26T15:35:42.123000+08:00`.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** `TZ` as last read, and the zone it names (checked once per value, not per timestamp). */
let zoneOf: { env: string | undefined; zone: string } | null = null;

function zone(): string {
  const tz = process.env.TZ;
  if (zoneOf !== null && zoneOf.env === tz) return zoneOf.zone;
  let z = 'UTC';
  if (tz) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      z = tz;
    } catch {
      z = 'UTC';
    }
  }
  zoneOf = { env: tz, zone: z };
  return z;
}

/** Years 0000–9999: where `toISOString` prints the same fields as the formatter. */
const ISO_MAX_MS = 253_402_300_800_000;

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function isoTime(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  const tz = zone();
  // UTC (the default) needs no zone lookup: `toISOString` has the same fields, offset +00:00.
  if ((tz === 'UTC' || tz === 'Etc/UTC') && ms >= 0 && ms < ISO_MAX_MS && Number.isInteger(ms)) {
    return `${new Date(ms).toISOString().slice(0, 23)}000+00:00`;
  }
  const parts = Object.fromEntries(
    formatter(tz)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  const offsetMin = Math.round((wall - Math.floor(ms / 1000) * 1000) / 60000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const off = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  const frac = String(((ms % 1000) + 1000) % 1000).padStart(3, '0') + '000';
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.${frac}${off}`;
}
