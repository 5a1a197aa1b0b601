import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NetPulseError, type ValidationItem } from '../errors.ts';
import { toItems } from '../validation.ts';
import { fail } from './envelope.ts';

/**
 * Names the NP_ERR_* code of an error answer, so clients can branch on the code while the body keeps
 * the reference envelope `{code:-1, message, data}`.
 */
export const ERROR_CODE_HEADER = 'X-NetPulse-Error-Code';

/**
 * One handler shapes every error into the envelope (SPEC Decision 1): 400 validation lists
 * `{loc, msg}` without input values; 5xx never shows internals (logged with the request id).
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | NetPulseError | Error, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof NetPulseError) {
      void reply.header(ERROR_CODE_HEADER, err.code);
      if (err.status >= 500 && err.code !== 'NP_ERR_NO_CAPACITY' && err.code !== 'NP_ERR_BROKER_UNAVAILABLE' && err.code !== 'NP_ERR_NOT_IMPLEMENTED') {
        req.log.error({ err }, 'request failed');
        return reply.status(500).header(ERROR_CODE_HEADER, 'NP_ERR_INTERNAL').send(fail('Internal Server Error'));
      }
      if (err.code === 'NP_ERR_UNAUTHORIZED') return reply.status(403).send({ code: -1, message: err.message });
      return reply.status(err.status).send(fail(err.message, err.data));
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const items: ValidationItem[] = toItems(fe.validation as never, [fe.validationContext ?? 'body']);
      return reply.status(400).header(ERROR_CODE_HEADER, 'NP_ERR_VALIDATION').send(fail('Validation Error', items));
    }
    switch (fe.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        void reply.header(ERROR_CODE_HEADER, fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'NP_ERR_VALIDATION' : 'NP_ERR_BAD_JSON');
        return reply.status(400).send(fail('Validation Error', [{ loc: ['body'], msg: fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'Body is empty' : 'JSON decode error' }]));
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.status(413).header(ERROR_CODE_HEADER, 'NP_ERR_BODY_TOO_LARGE').send(fail('Request body too large', { limit: app.initialConfig.bodyLimit }));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.status(415).header(ERROR_CODE_HEADER, 'NP_ERR_UNSUPPORTED_MEDIA').send(fail('Unsupported Media Type: send application/json'));
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return reply.status(400).header(ERROR_CODE_HEADER, 'NP_ERR_VALIDATION').send(fail('Validation Error', [{ loc: ['body'], msg: 'Content-Length does not match the body' }]));
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      // Fastify client errors (e.g. malformed URL); their messages hold no input values.
      return reply.status(fe.statusCode).send(fail(fe.message));
    }
    req.log.error({ err }, 'unexpected error');
    return reply.status(500).header(ERROR_CODE_HEADER, 'NP_ERR_INTERNAL').send(fail('Internal Server Error'));
  });

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    const methods = (['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const).filter((m) => m !== req.method && app.hasRoute({ method: m, url: path }));
    if (methods.length) {
      void reply.header('Allow', methods.join(', '));
      return reply.status(405).header(ERROR_CODE_HEADER, 'NP_ERR_METHOD_NOT_ALLOWED').send(fail('Method Not Allowed'));
    }
    return reply.status(404).header(ERROR_CODE_HEADER, 'NP_ERR_NOT_FOUND').send(fail('Not Found'));
  });
}
