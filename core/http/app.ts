import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyHelmet from '@fastify/helmet';
import type { Socket } from 'node:net';
import type { PinoLogger } from '../log/logger.ts';
import type { NetPulseConfig } from '../config/types.ts';
import type { JobService } from '../jobs/service.ts';
import type { TemplateService } from '../templates/service.ts';
import type { JobEvents } from '../events/job-events.ts';
import { bodyAjv, queryAjv } from '../validation.ts';
import { NetPulseError } from '../errors.ts';
import { authorized, isPublicPath } from './auth.ts';
import { installErrorHandling } from './error-handler.ts';
import { installLenientRequests } from './lenient.ts';
import { installOpenApiDocs } from './openapi-docs.ts';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth.ts';
import { fail } from './envelope.ts';
import { deviceRoutes } from './routes/device.ts';
import { templateRoutes } from './routes/template.ts';
import { manageRoutes } from './routes/manage.ts';
import { stateRoutes } from './routes/state.ts';
import { uiRoutes, type UiDeps } from './ui/index.ts';
import { eventsRoutes } from './routes/events.ts';
import { opsRoutes, type OpsRouteDeps } from './routes/ops.ts';
import { installObservabilityHooks } from './observability-hooks.ts';

export interface AppDeps {
  config: NetPulseConfig;
  logger: PinoLogger;
  jobs: JobService;
  templates: TemplateService;
  /** Live job events for GET /events. */
  events: JobEvents;
  version: string;
  /** The web console's extra services; the console is served when given and `server.ui` is on. */
  ui?: Omit<UiDeps, 'config'>;
  /** Metrics, probes, stats and the webhook delivery log (absent: those routes are not served). */
  ops?: OpsRouteDeps;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Builds the Fastify application: auth, envelope, schemas on every route, OpenAPI at /openapi.json, Swagger UI at /docs. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    // The same key the job log lines use, so one search finds a request and its jobs.
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    bodyLimit: config.server.body_limit,
    requestTimeout: config.server.request_timeout * 1000,
    // Malformed HTTP (bad request line, oversized headers, …) never reaches a route; answer it in
    // the envelope as far as Node lets us write to the socket.
    clientErrorHandler: answerClientError,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  // Fastify parses text/plain by default; the API takes JSON only, so anything else is a 415.
  app.removeContentTypeParser('text/plain');
  // JSON bodies: nesting depth checked before parsing, then Fastify's own parser (which keeps
  // its __proto__/constructor poisoning protection).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (typeof body === 'string' && exceedsJsonDepth(body, MAX_JSON_DEPTH)) {
      done(
        new NetPulseError('NP_ERR_VALIDATION', 'Validation Error', {
          data: [{ loc: ['body'], msg: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` }],
        }),
        undefined,
      );
      return;
    }
    parseJson(req, body as string, done);
  });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? bodyAjv : queryAjv).compile(schema as object),
  );
  installErrorHandling(app);
  installObservabilityHooks(app);
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'NetPulse API',
        version: deps.version,
        description:
          'Network automation controller: run commands and configuration on network devices asynchronously. ' +
          'Every answer is the envelope `{code, message, data}` (errors: `code: -1`). Send the API key in the header, query or cookie named by `server.api_key_name`.',
      },
      tags: [
        { name: 'device', description: 'Jobs on devices: exec, bulk, and a synchronous connection test.' },
        { name: 'template', description: 'Render (Jinja2) and parse (TextFSM, TTP, JSONata) without a device.' },
        { name: 'job', description: 'Read and cancel jobs.' },
        { name: 'worker', description: 'Worker nodes and their workers.' },
        { name: 'manage', description: 'Health and server state.' },
      ],
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: config.server.api_key_name } } },
      security: [{ apiKey: [] }],
    },
  });
  // Security headers on every answer. Swagger UI serves its scripts and styles from /docs/static,
  // so the default same-origin CSP holds; only the validator badge image is external.
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      // NetPulse serves plain HTTP unless a proxy terminates TLS: no forced upgrade, no HSTS.
      directives: { imgSrc: ["'self'", 'data:', 'validator.swagger.io'], upgradeInsecureRequests: null },
    },
    strictTransportSecurity: false,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  installOpenApiDocs(app);

  app.addHook('onRequest', async (req, reply) => {
    void reply.header('X-Request-Id', req.id);
    if (isPublicPath(req.url, config.server.metrics_public)) return;
    const expected = config.server.api_key;
    if (!expected || !authorized(req, config.server.api_key_name, expected)) {
      throw new NetPulseError('NP_ERR_UNAUTHORIZED');
    }
  });
  // The key may arrive as a query parameter; remove it so strict query schemas do not reject it.
  app.addHook('preValidation', async (req) => {
    const q = req.query as Record<string, unknown> | undefined;
    if (q && config.server.api_key_name in q) delete q[config.server.api_key_name];
    // An empty query value counts as absent (as in the reference).
    if (q) for (const [k, v] of Object.entries(q)) if (v === '') delete q[k];
  });

  installLenientRequests(app, config.server.strict_requests);

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  deviceRoutes(app, deps.jobs);
  templateRoutes(app, deps.templates);
  manageRoutes(app, deps.jobs);
  stateRoutes(app, deps.jobs);
  if (config.server.ui && deps.ui) uiRoutes(app, { config, ...deps.ui });
  eventsRoutes(app, deps.events);
  if (deps.ops) opsRoutes(app, deps.ops);
  await app.ready();
  return app;
}

/** Answers a malformed HTTP request with a 400 (431 for oversized headers) in the envelope, then closes. */
function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify(fail(tooLarge ? 'Request header fields too large' : 'Malformed HTTP request'));
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
  );
}
