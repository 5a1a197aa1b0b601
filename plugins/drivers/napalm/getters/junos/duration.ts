/** `1w2d 03:04`, `2d 03:04:05`, `03:04` (as in `(… ago)`) → seconds. */
export function junosDuration(text: string): number {
  let total = 0;
  const w = /(\d+)w/.exec(text);
  const d = /(\d+)d/.exec(text);
  if (w) total += Number(w[1]) * 604800;
  if (d) total += Number(d[1]) * 86400;
  const hms = /(\d+):(\d+)(?::(\d+))?/.exec(text);
  if (hms) total += Number(hms[1]) * 3600 + Number(hms[2]) * 60 + Number(hms[3] ?? 0);
  return total;
}
