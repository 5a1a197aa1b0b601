/**
 * The only importer of tsyringe. tsx/esbuild emits no decorator metadata, so constructor injection
 * needs `@inject(TOKEN)` on every parameter, or a factory registration (what core uses).
 */
import 'reflect-metadata';
import {
  container as rootContainer,
  inject,
  injectable,
  instanceCachingFactory,
  type DependencyContainer,
  type InjectionToken,
} from 'tsyringe';

export { inject, injectable, instanceCachingFactory };
export type { DependencyContainer, InjectionToken };

/** A fresh container per application instance, so tests can run several apps in one process. */
export function createContainer(): DependencyContainer {
  return rootContainer.createChildContainer();
}

/** Resolves a token or stops start-up with a message that says what to register. */
export function resolveRequired<T>(c: DependencyContainer, token: InjectionToken<T>, what: string): T {
  if (!c.isRegistered(token, true)) {
    throw Object.assign(
      new Error(
        `Missing binding: ${what} — no loaded plugin provides it; fix the name or list a module that provides it in netpulse.config.ts plugin.modules`,
      ),
      { code: 'NP_ERR_MISSING_BINDING' },
    );
  }
  return c.resolve(token);
}
