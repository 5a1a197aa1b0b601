import type { JsonSchema } from './common.ts';

/**
 * Schema marker for objects whose unknown keys the server ignores with a warning instead of
 * rejecting (where the reference server accepts extras, e.g. pyeapi's free-form `driver_args`).
 * With `server.strict_requests` such keys are rejected after all. Driver plugins mark their
 * schemas with {@link lenient}; core/jobs/warnings.ts does the rest.
 */
export const LENIENT = 'x-netpulse-extra-keys';

/** Marks an object schema as lenient (see {@link LENIENT}). */
export function lenient<T extends JsonSchema>(schema: T): T {
  return { ...schema, [LENIENT]: 'ignore' };
}
