import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';
import { MASK, redact, scrubText } from './redact.ts';

export type { PinoLogger };

const LEVELS: Record<string, string> = { WARNING: 'warn' };

export interface LoggerOptions {
  level: string;
  pretty?: boolean;
  /** Destination stream (default stdout); tests pass a capture stream. */
  destination?: NodeJS.WritableStream;
  /**
   * Literal secret values (configured API key, Redis passwords) masked wherever they appear in a
   * line, also URL- and JSON-escaped: key-name redaction cannot catch a custom key name in a URL.
   */
  secrets?: (string | null | undefined)[];
}

/**
 * pino logger whose every line passes through {@link redact}: objects are deep-masked and the
 * message text is scrubbed, so no call site can leak a password, key or token by mistake.
 */
export function createLogger(opts: LoggerOptions): PinoLogger {
  const level = LEVELS[opts.level.toUpperCase()] ?? opts.level.toLowerCase();
  return redactChildBindings(
    pino(
      {
        level,
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: {
          level: (label) => ({ level: label }),
          // pino runs this before serializers: flatten Fastify's request/reply objects first (a deep copy
          // of them would be empty) so their fields survive and the URL is scrubbed (key in the query).
          log: (obj) => redact(flattenHttp(obj)),
        },
        hooks: {
          logMethod(args, method) {
            // pino takes the message of a lone Error (`log.error(err)`) as `msg` without passing it here.
            const first = args[0] as unknown;
            const norm0 =
              first instanceof Error && typeof args[1] !== 'string'
                ? [{ err: first }, first.message, ...args.slice(1)]
                : args;
            const norm = [withoutBoundKeys(this as unknown as PinoLogger, norm0[0]), ...norm0.slice(1)];
            const scrubbed = norm.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>;
            method.apply(this, scrubbed);
          },
        },
        serializers: {
          err: (e: unknown) => redact(e),
          error: (e: unknown) => redact(e),
        },
      },
      maskingDestination(
        opts.pretty
          ? prettyDestination((opts.destination ?? process.stdout) as DestinationStream)
          : ((opts.destination ?? process.stdout) as DestinationStream),
        opts.secrets ?? [],
      ),
    ),
  );
}

/**
 * Child bindings (`log.child({conn})`) bypass `formatters.log`, and pino applies
 * `formatters.bindings` to the root only, so every `child` redacts its bindings itself.
 */
function redactChildBindings(root: PinoLogger): PinoLogger {
  // pino's own child(), called on the logger the child is made of (a wrapper inherited through the
  // prototype chain must not bind to the root, or grandchildren would lose their parent's bindings).
  const pinoChild = root.child;
  const wrap = (target: PinoLogger): PinoLogger => {
    (target as { child: unknown }).child = (bindings: Record<string, unknown>, options?: object) => {
      // pino writes a key once per binding level, so `child({host})` under a logger already bound to
      // `host` would print the key twice: keys already bound are left out (the outer value stays).
      const parent = boundOf(target);
      const fresh = Object.fromEntries(Object.entries(redact(bindings)).filter(([k]) => !parent.has(k)));
      const c = wrap(pinoChild.call(target, fresh, options as never) as unknown as PinoLogger);
      (c as unknown as Record<symbol, unknown>)[BOUND] = new Map([...parent, ...Object.entries(fresh)]);
      return c;
    };
    return target;
  };
  return wrap(root);
}

const BOUND = Symbol('netpulse.boundKeys');

function boundOf(logger: PinoLogger): Map<string, unknown> {
  return ((logger as unknown as Record<symbol, unknown>)[BOUND] as Map<string, unknown> | undefined) ?? new Map();
}

/**
 * One key per field on every line: a call object that repeats a bound key drops it when the value
 * is the same and renames it `<key>_2` when it differs (so neither value is lost).
 */
function withoutBoundKeys(logger: PinoLogger, obj: unknown): unknown {
  const bound = boundOf(logger);
  if (!bound.size || typeof obj !== 'object' || obj === null || obj instanceof Error) return obj;
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(obj)) {
    if (!bound.has(k)) continue;
    out ??= { ...(obj as Record<string, unknown>) };
    delete out[k];
    if (bound.get(k) !== v) out[`${k}_2`] = v;
  }
  return out ?? obj;
}

/** Wraps the destination so every line has the literal secret values replaced by the mask. */
function maskingDestination(dest: DestinationStream, secrets: (string | null | undefined)[]): DestinationStream {
  // Short values would mask unrelated text; configured keys and passwords are longer.
  const needles = [
    ...new Set(
      secrets
        .filter((v): v is string => typeof v === 'string' && v.length >= 4)
        .flatMap((v) => [
          v,
          encodeURIComponent(v),
          JSON.stringify(v).slice(1, -1),
          JSON.stringify(encodeURIComponent(v)).slice(1, -1),
        ]),
    ),
  ].sort((a, b) => b.length - a.length);
  if (needles.length === 0) return dest;
  return {
    write(line: string) {
      let out = line;
      for (const n of needles) if (out.includes(n)) out = out.split(n).join(MASK);
      return dest.write(out);
    },
  } as DestinationStream;
}

/**
 * `log.pretty`: one human-readable line per record (`10:01:02.345 INFO  message key=value …`)
 * instead of JSON. Written here rather than with pino-pretty to keep the dependency list short;
 * masking runs before it, so secrets stay masked.
 */
function prettyDestination(dest: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return dest.write(line);
      }
      const { time, level, msg, pid: _pid, ...rest } = rec;
      const t = typeof time === 'string' ? time.slice(11, 23) : '';
      const extra = Object.entries(rest)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      return dest.write(`${t} ${String(level).toUpperCase().padEnd(5)} ${msg ?? ''}${extra ? ` ${extra}` : ''}\n`);
    },
  } as DestinationStream;
}

/** Plain copies of Fastify's `req`/`res` log fields, with the fields Fastify's serializers read. */
function flattenHttp(obj: Record<string, unknown>): Record<string, unknown> {
  const req = obj.req as Record<string, unknown> | undefined;
  const res = obj.res as Record<string, unknown> | undefined;
  const isInstance = (v: unknown) =>
    typeof v === 'object' && v !== null && Object.getPrototypeOf(v) !== Object.prototype;
  if (!isInstance(req) && !isInstance(res)) return obj;
  const out = { ...obj };
  if (isInstance(req)) out.req = { method: req!.method, url: req!.url, host: req!.host, ip: req!.ip };
  if (isInstance(res)) out.res = { statusCode: res!.statusCode };
  return out;
}
