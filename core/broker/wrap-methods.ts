import type { Broker } from '../contracts/broker.ts';

/**
 * A proxy of `broker` whose methods are replaced by `wrap(name, method)`. One wrapper per method,
 * made on first use and remade only if the method itself changes: a proxy `get` runs on every
 * call, and a fresh closure (or bound function) per call is measurable on the job path. The
 * broker wrappers (fail-fast for the API, metrics) share this.
 */
export function wrapBrokerMethods<B extends Broker>(
  broker: B,
  wrap: (prop: string | symbol, method: (...a: unknown[]) => unknown) => unknown,
): B {
  const wrappers = new Map<string | symbol, { raw: unknown; fn: unknown }>();
  return new Proxy(broker, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      let w = wrappers.get(prop);
      if (w === undefined || w.raw !== value) {
        w = { raw: value, fn: wrap(prop, value as (...a: unknown[]) => unknown) };
        wrappers.set(prop, w);
      }
      return w.fn;
    },
  });
}
