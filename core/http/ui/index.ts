import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Broker } from '../../contracts/broker.ts';
import type { NetPulseConfig } from '../../config/types.ts';
import type { PluginRegistry } from '../../plugin/registry.ts';
import { NetPulseError } from '../../errors.ts';
import { ok } from '../envelope.ts';
import { uiBundle, type UiAsset } from './bundle.ts';
import { catalog } from './catalog.ts';
import { requestSummary } from './job-request.ts';
import { UI_PREFIX } from './paths.ts';
import { sessionRoutes } from './session.ts';
import { shellHtml, UI_CSP } from './shell.ts';

export interface UiDeps {
  config: NetPulseConfig;
  registry: PluginRegistry;
  broker: Broker;
}

const idParam = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9-]{1,64}$' } },
  required: ['id'],
};
const assetParam = {
  type: 'object',
  properties: { file: { type: 'string', enum: ['app.js', 'app.css'] } },
  required: ['file'],
};

function secureHeaders(reply: FastifyReply): void {
  void reply
    .header('Content-Security-Policy', UI_CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer');
}

function sendAsset(req: FastifyRequest, reply: FastifyReply, asset: UiAsset) {
  secureHeaders(reply);
  void reply.header('ETag', asset.etag).header('Cache-Control', 'no-cache').type(asset.type);
  if (req.headers['if-none-match'] === asset.etag) return reply.status(304).send();
  return reply.send(asset.body);
}

/**
 * The web console at /ui: the HTML shell and its assets (built in memory by esbuild on first use),
 * sign-in/sign-out, and two read-only helpers the public API has no route for: the plugin
 * catalogue and a job's request summary. All are left out of the OpenAPI document: they serve the
 * console, not API clients (docs/web.md describes them).
 */
export function uiRoutes(app: FastifyInstance, deps: UiDeps): void {
  const hide = { hide: true };
  const shell = async (_req: FastifyRequest, reply: FastifyReply) => {
    const b = await uiBundle();
    secureHeaders(reply);
    void reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8');
    return reply.send(
      shellHtml(UI_PREFIX, b.assets.get('app.js')!.etag.slice(1, 9), b.assets.get('app.css')!.etag.slice(1, 9)),
    );
  };
  app.get(UI_PREFIX, { schema: hide }, shell);
  app.get(`${UI_PREFIX}/`, { schema: hide }, shell);
  app.get(`${UI_PREFIX}/assets/:file`, { schema: { ...hide, params: assetParam } }, async (req, reply) => {
    const asset = (await uiBundle()).assets.get((req.params as { file: string }).file);
    if (!asset) throw new NetPulseError('NP_ERR_NOT_FOUND');
    return sendAsset(req, reply, asset);
  });

  sessionRoutes(app, deps.config);

  app.get(
    `${UI_PREFIX}/api/catalog`,
    {
      schema: {
        hide: true,
        tags: ['ui'],
        summary: 'Drivers with their platform lists, renderers and parsers (web console)',
      },
    },
    async () => ok(catalog(deps.registry, deps.config.server.api_key_name)),
  );
  app.get(
    `${UI_PREFIX}/api/job/:id/request`,
    {
      schema: {
        hide: true,
        tags: ['ui'],
        summary: 'A job\u2019s request summary without secrets (web console)',
        params: idParam,
      },
    },
    async (req) => {
      const [job] = await deps.broker.listJobs({ id: (req.params as { id: string }).id });
      if (!job) throw new NetPulseError('NP_ERR_NOT_FOUND', 'Job not found');
      return ok(requestSummary(job));
    },
  );
}
