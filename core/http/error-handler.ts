import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_TABLE, NetPulseError, npError, validationError, type ValidationItem } from '../errors.ts';
import { toItems } from '../validation.ts';
import { fail } from './envelope.ts';

/** Fastify's own body errors, as coded NetPulse errors (the table holds status and wording). */
const BODY_ERRORS: Record<string, (app: FastifyInstance) => NetPulseError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => bodyError('NP_ERR_BAD_JSON', 'JSON decode error'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => bodyError('NP_ERR_BAD_JSON', 'Body is empty'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => bodyError('NP_ERR_VALIDATION', 'Content-Length does not match the body'),
  FST_ERR_CTP_BODY_TOO_LARGE: (app) =>
    new NetPulseError('NP_ERR_BODY_TOO_LARGE', undefined, { data: { limit: app.initialConfig.bodyLimit } }),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => npError('NP_ERR_UNSUPPORTED_MEDIA'),
};

function bodyError(code: 'NP_ERR_BAD_JSON' | 'NP_ERR_VALIDATION', msg: string): NetPulseError {
  return new NetPulseError(code, undefined, { data: [{ loc: ['body'], msg }] });
}

/** Turns anything thrown into a coded error; unknown errors become `NP_ERR_INTERNAL`. */
function toCoded(err: FastifyError | Error, app: FastifyInstance): { error: NetPulseError; status: number } {
  if (err instanceof NetPulseError) return { error: err, status: err.status };
  const fe = err as FastifyError;
  if (fe.validation) {
    const items: ValidationItem[] = toItems(fe.validation as never, [fe.validationContext ?? 'body']);
    return { error: validationError(items), status: 400 };
  }
  const known = fe.code ? BODY_ERRORS[fe.code] : undefined;
  if (known) {
    const error = known(app);
    return { error, status: error.status };
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify client errors (e.g. a malformed URL); their messages hold no input values.
    return { error: npError('NP_ERR_BAD_REQUEST', fe.message), status: fe.statusCode };
  }
  return { error: new NetPulseError('NP_ERR_INTERNAL', undefined, { cause: err }), status: 500 };
}

/**
 * One handler shapes every error into the envelope `{code:-1, message, data}` from the coded
 * table: a code whose `expose` is false answers as `NP_ERR_INTERNAL` (details only logged, with the
 * request id); 400 validation lists `{loc, msg}` without input values.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | NetPulseError | Error, req: FastifyRequest, reply: FastifyReply) => {
    const { error, status } = toCoded(err, app);
    const spec = ERROR_TABLE[error.code];
    if (!spec.expose) {
      req.log.error({ err }, 'request failed');
      const internal = ERROR_TABLE.NP_ERR_INTERNAL;
      return reply.status(internal.status).send(fail(internal.message));
    }
    if ('omitData' in spec) return reply.status(status).send({ code: -1, message: error.message });
    return reply.status(status).send(fail(error.message, error.data));
  });

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    const methods = (['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const).filter(
      (m) => m !== req.method && app.hasRoute({ method: m, url: path }),
    );
    if (methods.length) void reply.header('Allow', methods.join(', '));
    const error = npError(methods.length ? 'NP_ERR_METHOD_NOT_ALLOWED' : 'NP_ERR_NOT_FOUND');
    return reply.status(error.status).send(fail(error.message));
  });
}
