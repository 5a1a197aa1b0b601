import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The HTTP request a piece of controller work belongs to. The HTTP app enters it before the route
 * handler runs, so code deep in job submission (the broker wrapper stamping jobs, validation
 * reporting ignored keys) can read it without every signature carrying it.
 *
 * One AsyncLocalStorage for everything a request carries: while any is in use Node runs a hook on
 * every promise the process makes, once per storage, so each extra one taxes all async code.
 */
export interface RequestContext {
  /** Set once the request's handler is about to run (null before). */
  requestId: string | null;
  /** The request's ignored-key warnings (core/jobs/warnings.ts); null outside a warning scope. */
  warnings: WarningScope | null;
}

export interface WarningScope {
  strict: boolean;
  warnings: { loc: (string | number)[]; msg: string }[];
  seen: Set<string>;
}

const store = new AsyncLocalStorage<RequestContext>();

export function runInRequest<T>(ctx: RequestContext, fn: () => T): T {
  return store.run(ctx, fn);
}

/** The current request's context, if any. */
export function currentRequest(): RequestContext | undefined {
  return store.getStore();
}

export function currentRequestId(): string | null {
  return store.getStore()?.requestId ?? null;
}

/**
 * Names the current request. The request's earlier hooks opened its context for its warnings (with
 * no id yet), which then simply gains the id; any other context (none, or one already named, which
 * belongs to another request) is replaced by a fresh one.
 */
export function enterRequest<T>(requestId: string, fn: () => T): T {
  const ctx = store.getStore();
  if (ctx && ctx.requestId === null) {
    ctx.requestId = requestId;
    return fn();
  }
  return store.run({ requestId, warnings: null }, fn);
}
