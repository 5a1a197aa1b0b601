/**
 * Secret redaction used by every log line, `config print`, job views and error bodies.
 * Key names are matched at any depth; string values are also scrubbed for `key=value` and
 * `"key": "value"` shapes so a secret inside a message or a repr does not leak either.
 */
export const MASK = '******';

const SECRET_KEY =
  /(pass(word|phrase|wd)?|secret|pkey|private[_-]?key|api[_-]?key|token|community|authorization|cookie|credential|auth$)/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

const INLINE =
  /((?:["']?)(?:[A-Za-z_-]*(?:pass(?:word|phrase|wd)?|secret|pkey|api[_-]?key|token|community)[A-Za-z_-]*)["']?\s*[:=]\s*)(["']?)([^"'\s,}&]+)\2/gi;

/** Masks `password=…`, `"secret": "…"`, `api_key: …` shapes inside free text. */
/** `Authorization: Bearer abc` / `authorization=Basic abc`: the scheme stays, the credential goes. */
const AUTH_HEADER = /(authorization["']?\s*[:=]\s*["']?)((?:bearer|basic|token|digest|negotiate)\s+)?([^"'\s,}&]+)/gi;

export function scrubText(text: string): string {
  return text
    .replace(INLINE, (_m, head: string, q: string) => `${head}${q}${MASK}${q}`)
    .replace(AUTH_HEADER, (_m, head: string, scheme: string | undefined) => `${head}${scheme ?? ''}${MASK}`);
}

/** Deep copy with secret-named keys masked and strings scrubbed. Handles cycles and Errors. */
export function redact<T>(value: T, seen = new WeakSet<object>()): T {
  if (typeof value === 'string') return scrubText(value) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]' as T;
  seen.add(value);
  if (value instanceof Error) {
    return {
      type: value.name,
      message: scrubText(value.message),
      ...(value.stack ? { stack: scrubText(value.stack) } : {}),
    } as T;
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, seen)) as T;
  if (Buffer.isBuffer(value)) return `[Buffer ${value.length}]` as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!isSecretKey(k)) out[k] = redact(v, seen);
    else if (Array.isArray(v))
      out[k] = v.map((x) => (isMaskable(x) ? MASK : redact(x, seen))); // e.g. webhook `auth: [user, password]`
    else out[k] = isMaskable(v) ? MASK : redact(v, seen);
  }
  return out as T;
}

function isMaskable(v: unknown): boolean {
  return v !== null && v !== undefined && v !== '' && typeof v !== 'object';
}
