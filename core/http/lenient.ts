import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JsonSchema } from '../contracts/common.ts';
import { LENIENT, stripUnknownKeys, WarningList } from '../jobs/warnings.ts';
import type { RequestScope } from '../jobs/service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Keys ignored while accepting this request (see core/jobs/warnings.ts). */
    npWarnings?: WarningList;
  }
}

/**
 * Wires request leniency into Fastify: every request gets a warning scope; unknown top-level body
 * keys of a lenient route schema are removed before the route schema runs (so ajv's
 * `additionalProperties: false` still guards everything else); a success envelope gains
 * `warnings: [{loc, msg}]` when anything was ignored, and the ignored keys are logged.
 */
export function installLenientRequests(app: FastifyInstance, strict: boolean): void {
  app.addHook('preValidation', (req, _reply, done) => {
    req.npWarnings = new WarningList(strict);
    try {
      stripBody(req, req.npWarnings);
    } catch (e) {
      done(e as Error);
      return;
    }
    done();
  });
  app.addHook('preSerialization', async (req, _reply, payload) => {
    const warnings = req.npWarnings?.items;
    if (!warnings?.length || !isEnvelope(payload)) return payload;
    req.log.warn({ warnings }, 'request keys ignored');
    return { ...payload, warnings };
  });
}

/** What a route hands to job submission: the request's id and warning list. */
export function requestScope(req: FastifyRequest): RequestScope {
  return { requestId: req.id, warnings: req.npWarnings };
}

function stripBody(req: FastifyRequest, warnings: WarningList): void {
  const schema = req.routeOptions.schema?.body as JsonSchema | undefined;
  if (!schema || !req.body || typeof req.body !== 'object') return;
  if ((schema as Record<string, unknown>)[LENIENT] !== 'ignore') return;
  warnings.report(stripUnknownKeys(req.body, schema, ['body'], 'request field'));
}

function isEnvelope(payload: unknown): payload is Record<string, unknown> {
  return !!payload && typeof payload === 'object' && 'code' in payload && 'data' in payload;
}
