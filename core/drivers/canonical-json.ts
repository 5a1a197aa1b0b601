/**
 * JSON with object keys sorted at every level and `undefined` members dropped, so equal values give
 * equal text. Drivers hash it for `Driver.sessionKey`: equal connection arguments share a pinned
 * session, and any change (e.g. a new password) gives a new key.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}
