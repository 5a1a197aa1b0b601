import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';
import { redact, scrubText } from './redact.ts';

export type { PinoLogger };

const LEVELS: Record<string, string> = { WARNING: 'warn' };

export interface LoggerOptions {
  level: string;
  pretty?: boolean;
  /** Destination stream (default stdout); tests pass a capture stream. */
  destination?: NodeJS.WritableStream;
}

/**
 * pino logger whose every line passes through {@link redact}: objects are deep-masked and the
 * message text is scrubbed, so no call site can leak a password, key or token by mistake.
 */
export function createLogger(opts: LoggerOptions): PinoLogger {
  const level = LEVELS[opts.level.toUpperCase()] ?? opts.level.toLowerCase();
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => redact(obj),
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
      serializers: {
        err: (e: unknown) => redact(e),
        error: (e: unknown) => redact(e),
      },
    },
    (opts.destination ?? process.stdout) as DestinationStream,
  );
}
