import type { Logger } from '../contracts/common.ts';

/**
 * A logger that writes nothing: for the template sandbox (template logs may quote context values,
 * so they never leave it) and for benchmarks, which measure work, not logging. pino's `trace` and
 * `fatal` are there too, for plugins that call a pino logger's full surface.
 */
export const silentLogger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  fatal() {},
  child: (): Logger => silentLogger,
} satisfies Logger & Record<'trace' | 'fatal', () => void>;
