import type { Broker } from '../contracts/broker.ts';
import type { Logger } from '../contracts/common.ts';
import { NetPulseError } from '../errors.ts';

/** ioredis/network failures that mean "the broker cannot be reached" (not a bug in our code). */
const CONNECTION_FAILURE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|Connection is closed|Stream isn't writeable|connect|socket/i;

function isConnectionFailure(e: unknown): boolean {
  if (!(e instanceof Error) || e instanceof NetPulseError) return false;
  return e.name === 'MaxRetriesPerRequestError' || CONNECTION_FAILURE.test(e.message);
}

/**
 * The broker as the HTTP API sees it: every call answers within `timeoutMs` or fails with
 * NP_ERR_BROKER_UNAVAILABLE (503), and connection failures become that error instead of a 500.
 * After one failure the broker counts as down: calls fail at once (nothing piles up in the
 * client's offline queue, nothing submitted now is replayed later) while a background ping
 * every `probeMs` watches for it to come back; the first answer restores normal service.
 * Worker nodes use the broker unwrapped: their blocking reads are meant to wait out a restart.
 */
export function failFastBroker(broker: Broker, timeoutMs: number, log: Logger, probeMs = 500): Broker {
  let down = false;
  let probing = false;
  let closed = false;
  const unavailable = (why: string) =>
    new NetPulseError('NP_ERR_BROKER_UNAVAILABLE', `Broker unavailable: ${broker.name} ${why}`);

  const bounded = <T>(p: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(unavailable(`did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
  };

  const probe = async (): Promise<void> => {
    if (probing) return;
    probing = true;
    try {
      while (down && !closed) {
        const ok = await bounded(broker.ping()).catch(() => false);
        if (ok) {
          down = false;
          log.info({ broker: broker.name }, 'broker reachable again');
          break;
        }
        await new Promise((r) => setTimeout(r, probeMs).unref());
      }
    } finally {
      probing = false;
    }
  };

  const markDown = (): void => {
    if (!down) log.warn({ broker: broker.name }, 'broker unreachable: API requests answer 503 until it returns');
    down = true;
    void probe();
  };

  return new Proxy(broker, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'close') {
        return (...args: unknown[]) => {
          closed = true;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      if (prop === 'start') return (value as (...a: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => {
        if (down) return Promise.reject(unavailable('is unreachable'));
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        return bounded(result).catch((e: unknown) => {
          if (e instanceof NetPulseError && e.code === 'NP_ERR_BROKER_UNAVAILABLE') {
            markDown();
            throw e;
          }
          if (isConnectionFailure(e)) {
            markDown();
            throw unavailable('is unreachable');
          }
          throw e;
        });
      };
    },
  });
}
