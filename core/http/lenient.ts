import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JsonSchema } from '../contracts/common.ts';
import type { ValidationItem } from '../errors.ts';
import { currentWarnings, LENIENT, report, stripUnknownKeys, withWarningScope } from '../jobs/warnings.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Keys ignored while accepting this request (see core/jobs/warnings.ts). */
    npWarnings?: ValidationItem[];
  }
}

/**
 * Wires request leniency into Fastify: every request gets a warning scope; unknown top-level body
 * keys of a lenient route schema are removed before the route schema runs (so ajv's
 * `additionalProperties: false` still guards everything else); a success envelope gains
 * `warnings: [{loc, msg}]` when anything was ignored, and the ignored keys are logged.
 */
export function installLenientRequests(app: FastifyInstance, strict: boolean): void {
  // preValidation, not onRequest: body parsing runs on stream callbacks that leave the async scope.
  app.addHook('preValidation', (req, _reply, done) => {
    withWarningScope(strict, () => {
      req.npWarnings = currentWarnings();
      try {
        stripBody(req);
      } catch (e) {
        done(e as Error);
        return;
      }
      done();
    });
  });
  app.addHook('preSerialization', async (req, _reply, payload) => {
    const warnings = req.npWarnings;
    if (!warnings?.length || !isEnvelope(payload)) return payload;
    req.log.warn({ warnings }, 'request keys ignored');
    return { ...payload, warnings };
  });
}

function stripBody(req: FastifyRequest): void {
  const schema = req.routeOptions.schema?.body as JsonSchema | undefined;
  if (!schema || !req.body || typeof req.body !== 'object') return;
  if ((schema as Record<string, unknown>)[LENIENT] !== 'ignore') return;
  report(stripUnknownKeys(req.body, schema, ['body'], 'request field'));
}

function isEnvelope(payload: unknown): payload is Record<string, unknown> {
  return !!payload && typeof payload === 'object' && 'code' in payload && 'data' in payload;
}
