import type { Logger } from '../contracts/common.ts';

type Level = 'debug' | 'info' | 'warn' | 'error';
type LevelCheck = (level: string) => boolean;

/**
 * `parent.child(bindings)`, made only when a line is actually written. A pino child serialises and
 * redacts its bindings when it is created; a node makes one per job, whose lines are mostly below
 * the configured level, so building it up front cost more than the job's own logging.
 */
export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  const check = (parent as { isLevelEnabled?: LevelCheck }).isLevelEnabled;
  const enabled: LevelCheck = typeof check === 'function' ? (l) => check.call(parent, l) : () => true;
  return deferred(() => parent.child(bindings), enabled);
}

function deferred(make: () => Logger, enabled: LevelCheck): Logger {
  let real: Logger | null = null;
  const get = () => (real ??= make());
  const line =
    (level: Level) =>
    (obj: unknown, msg?: string): void => {
      if (!enabled(level)) return;
      if (msg === undefined) get()[level](obj);
      else get()[level](obj, msg);
    };
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    child: (more) => deferred(() => get().child(more), enabled),
    isLevelEnabled: enabled,
  } as Logger;
}
