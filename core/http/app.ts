import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { PinoLogger } from '../log/logger.ts';
import type { NetPulseConfig } from '../config/types.ts';
import type { JobService } from '../jobs/service.ts';
import type { TemplateService } from '../templates/service.ts';
import { bodyAjv, queryAjv } from '../validation.ts';
import { NetPulseError } from '../errors.ts';
import { authorized, isPublicPath } from './auth.ts';
import { installErrorHandling } from './error-handler.ts';
import { deviceRoutes } from './routes/device.ts';
import { templateRoutes } from './routes/template.ts';
import { manageRoutes } from './routes/manage.ts';
import { opsRoutes, type OpsRouteDeps } from './routes/ops.ts';
import { installObservabilityHooks } from './observability-hooks.ts';

export interface AppDeps {
  config: NetPulseConfig;
  logger: PinoLogger;
  jobs: JobService;
  templates: TemplateService;
  version: string;
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
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  // Fastify parses text/plain by default; the API takes JSON only, so anything else is a 415.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : queryAjv).compile(schema as object));
  installErrorHandling(app);
  installObservabilityHooks(app);
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'NetPulse API', version: deps.version, description: 'Network automation controller: run commands and configuration on network devices asynchronously.' },
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: config.server.api_key_name } } },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

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
    // An empty query value counts as absent (SPEC 1.3).
    if (q) for (const [k, v] of Object.entries(q)) if (v === '') delete q[k];
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  deviceRoutes(app, deps.jobs);
  templateRoutes(app, deps.templates);
  manageRoutes(app, deps.jobs);
  if (deps.ops) opsRoutes(app, deps.ops);
  await app.ready();
  return app;
}
