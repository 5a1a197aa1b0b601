import type { Broker } from '../contracts/broker.ts';
import type { Logger } from '../contracts/common.ts';
import { NetPulseError } from '../errors.ts';
import { wrapBrokerMethods } from './wrap-methods.ts';

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

  // Every call has the same time limit, so deadlines come in call order: one shared timer armed
  // for the oldest pending call replaces a timer per call (the API path makes several per request).
  interface Pending {
    deadline: number;
    reject: (e: Error) => void;
  }
  const pending = new Set<Pending>();
  let timer: NodeJS.Timeout | null = null;
  const arm = (): void => {
    if (timer || pending.size === 0) return;
    const first = pending.values().next().value as Pending;
    timer = setTimeout(sweep, Math.max(0, first.deadline - Date.now()));
  };
  const sweep = (): void => {
    timer = null;
    const now = Date.now();
    for (const p of pending) {
      if (p.deadline > now) break;
      pending.delete(p);
      p.reject(unavailable(`did not answer within ${timeoutMs / 1000} s`));
    }
    arm();
  };
  const bounded = <T>(p: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const entry: Pending = { deadline: Date.now() + timeoutMs, reject };
      pending.add(entry);
      arm();
      p.then(
        (v) => {
          pending.delete(entry);
          resolve(v);
        },
        (e: unknown) => {
          pending.delete(entry);
          reject(e);
        },
      );
    });

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

  const onFailure = (e: unknown): never => {
    if (e instanceof NetPulseError && e.code === 'NP_ERR_BROKER_UNAVAILABLE') {
      markDown();
      throw e;
    }
    if (isConnectionFailure(e)) {
      markDown();
      throw unavailable('is unreachable');
    }
    throw e;
  };
  const wrap = (prop: string | symbol, value: (...a: unknown[]) => unknown): unknown => {
    if (prop === 'close') {
      return (...args: unknown[]) => {
        closed = true;
        return value.apply(broker, args);
      };
    }
    if (prop === 'start') return value.bind(broker);
    return (...args: unknown[]) => {
      if (down) return Promise.reject(unavailable('is unreachable'));
      const result = value.apply(broker, args);
      if (!(result instanceof Promise)) return result;
      return bounded(result).catch(onFailure);
    };
  };
  return wrapBrokerMethods(broker, wrap);
}
