/**
 * The runtime surface compiled templates call as `env.np.<name>(…)` (see `compiler.ts`).
 */
import { lookup, methodLookup, slice } from './methods.ts';
import {
  PyError,
  PyNamespace,
  iterate,
  pyAdd,
  pyCompare,
  pyDiv,
  pyFloorDiv,
  pyIn,
  pyMod,
  pyMul,
  pyNeg,
  pyPow,
  pyStr,
  pySub,
  truthy,
  tuple,
  unwrap,
} from './py.ts';
import type { NjFrame } from './nunjucks-internals.ts';

interface NjContext {
  ctx: Record<string, unknown>;
  env: { globals: Record<string, unknown> };
}

/** Template variables: loop/macro/set frames first, then the render context, then globals. */
function variable(context: NjContext, frame: NjFrame, name: string): unknown {
  const local = frame.lookup(name);
  if (local !== undefined) return local;
  if (Object.hasOwn(context.ctx, name)) return context.ctx[name];
  if (Object.hasOwn(context.env.globals, name)) return context.env.globals[name];
  return undefined;
}

/** `for a, b in …`: Python tuple unpacking, with Python's errors on a length mismatch. */
function unpack(item: unknown, count: number): unknown[] {
  const parts = iterate(item);
  if (parts.length < count) throw new PyError(`not enough values to unpack (expected ${count}, got ${parts.length})`);
  if (parts.length > count) throw new PyError(`too many values to unpack (expected ${count})`);
  return parts;
}

function setAttribute(target: unknown, key: unknown, value: unknown): void {
  if (!(target instanceof PyNamespace)) throw new PyError('cannot assign attribute on non-namespace object');
  (target as unknown as Record<string, unknown>)[pyStr(key)] = value;
}

/** `loop.cycle('a', 'b')` for the iteration at `index`. */
function cycle(index: number): (...values: unknown[]) => unknown {
  return (...values: unknown[]) => {
    if (values.length === 0) throw new PyError('no items for cycling given');
    return values[index % values.length];
  };
}

export const templateHelpers = {
  variable,
  lookup,
  methodLookup,
  slice,
  unpack,
  setAttribute,
  cycle,
  iterate,
  truthy,
  tuple,
  pyIn,
  add: pyAdd,
  sub: pySub,
  mul: pyMul,
  div: pyDiv,
  floorDiv: pyFloorDiv,
  mod: pyMod,
  pow: pyPow,
  neg: pyNeg,
  compare: pyCompare,
  concat: (a: unknown, b: unknown): string => pyStr(a) + pyStr(b),
  output: (v: unknown): string => pyStr(v),
};

/** Jinja2's global functions: `range`, `namespace`, `dict`, `cycler`, `joiner`. */
export const templateGlobals: Record<string, unknown> = {
  range: (...args: unknown[]): number[] => {
    const n = args.map((a) => Number(unwrap(a)));
    const [start, stop, step] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] ?? 1];
    if (step === 0) throw new PyError('range() arg 3 must not be zero');
    const out: number[] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
      out.push(i);
      if (out.length > 100000) throw new PyError('range() result too large (more than 100000 items)');
    }
    return out;
  },
  namespace: (...args: unknown[]): PyNamespace => new PyNamespace(keywordObject(args)),
  dict: (...args: unknown[]): Record<string, unknown> => keywordObject(args),
  cycler: (...items: unknown[]) => {
    let pos = 0;
    const c: Record<string, unknown> = {
      current: items[0],
      next: () => {
        const v = items[pos];
        pos = (pos + 1) % items.length;
        c.current = items[pos];
        return v;
      },
      reset: () => {
        pos = 0;
        c.current = items[0];
        return null;
      },
    };
    return c;
  },
  joiner: (sep: unknown = ', ') => {
    let used = false;
    return () => {
      if (!used) {
        used = true;
        return '';
      }
      return pyStr(sep);
    };
  },
};

function keywordObject(args: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of args) {
    if (typeof a === 'object' && a !== null && !Array.isArray(a)) {
      for (const [k, v] of Object.entries(a)) if (k !== '__keywords') out[k] = v;
    }
  }
  return out;
}
