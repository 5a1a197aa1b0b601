import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The HTTP request a piece of controller work belongs to. The HTTP app enters it before the route
 * handler runs, so code deep in job submission (the broker wrapper stamping jobs) can read the
 * request id without every signature carrying it.
 */
export interface RequestContext {
  requestId: string;
}

const store = new AsyncLocalStorage<RequestContext>();

export function runInRequest<T>(ctx: RequestContext, fn: () => T): T {
  return store.run(ctx, fn);
}

export function currentRequestId(): string | null {
  return store.getStore()?.requestId ?? null;
}
