import type { Logger } from '../contracts/common.ts';

type LevelCheck = (level: string) => boolean;

/**
 * `parent.child(bindings)`, made only when a line is actually written. A pino child serialises and
 * redacts its bindings when it is created; a node makes one per job, whose lines are mostly below
 * the configured level, so building it up front cost more than the job's own logging.
 */
export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  return new DeferredLogger(
    () => parent.child(bindings),
    (level) => levelEnabled(parent, level),
  );
}

/** Whether `log` writes lines of `level` (pino's `isLevelEnabled`; a logger without it writes all). */
export function levelEnabled(log: Logger, level: string): boolean {
  const check = (log as { isLevelEnabled?: LevelCheck }).isLevelEnabled;
  return typeof check !== 'function' || check.call(log, level);
}

/** A class, not an object of closures: one per job, and each closure would cost a property definition. */
class DeferredLogger implements Logger {
  private real: Logger | null = null;

  constructor(
    private readonly make: () => Logger,
    readonly isLevelEnabled: LevelCheck,
  ) {}

  private get target(): Logger {
    this.real ??= this.make();
    return this.real;
  }

  debug(obj: unknown, msg?: string): void {
    if (this.isLevelEnabled('debug')) this.write('debug', obj, msg);
  }
  info(obj: unknown, msg?: string): void {
    if (this.isLevelEnabled('info')) this.write('info', obj, msg);
  }
  warn(obj: unknown, msg?: string): void {
    if (this.isLevelEnabled('warn')) this.write('warn', obj, msg);
  }
  error(obj: unknown, msg?: string): void {
    if (this.isLevelEnabled('error')) this.write('error', obj, msg);
  }

  child(bindings: Record<string, unknown>): Logger {
    return new DeferredLogger(() => this.target.child(bindings), this.isLevelEnabled);
  }

  private write(level: 'debug' | 'info' | 'warn' | 'error', obj: unknown, msg: string | undefined): void {
    if (msg === undefined) this.target[level](obj);
    else this.target[level](obj, msg);
  }
}
