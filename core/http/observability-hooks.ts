import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SpanKind, SpanStatusCode, context, trace, type Span } from '@opentelemetry/api';
import { tracer, tracingOn } from '../observability/tracing.ts';

const spans = new WeakMap<FastifyRequest, Span>();
const QUIET = new Set(['/livez', '/readyz', '/metrics']);

/**
 * Every request gets a server span when tracing is on, entered in `preHandler`, after the body is
 * parsed (body parsing runs in the socket's async context, which would lose it), so the route
 * handler and everything it awaits see it. Probe and scrape requests get no span. With tracing off
 * no span or context object is made at all. (The request id reaches jobs explicitly, through the
 * route's `requestScope`: an AsyncLocalStorage for it would tax every promise of the process.)
 */
export function installObservabilityHooks(app: FastifyInstance): void {
  app.addHook('onRequest', (req, _reply, done) => {
    if (!tracingOn()) {
      done();
      return;
    }
    const path = req.url.split('?')[0];
    if (!QUIET.has(path)) {
      spans.set(
        req,
        tracer().startSpan(`${req.method} ${req.routeOptions.url ?? path}`, {
          kind: SpanKind.SERVER,
          attributes: { 'http.request.method': req.method, 'url.path': path, 'netpulse.request_id': req.id },
        }),
      );
    }
    done();
  });
  app.addHook('preHandler', (req, _reply, done) => {
    const span = spans.get(req);
    if (!span) {
      done();
      return;
    }
    context.with(trace.setSpan(context.active(), span), done);
  });
  app.addHook('onResponse', (req, reply, done) => {
    const span = spans.get(req);
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      spans.delete(req);
    }
    done();
  });
}
