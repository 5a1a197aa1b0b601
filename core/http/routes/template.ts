import type { FastifyInstance } from 'fastify';
import type { TemplateService } from '../../templates/service.ts';
import { parseRequestSchema, renderRequestSchema } from '../../jobs/schemas.ts';
import { ok } from '../envelope.ts';

const nameParam = {
  type: 'object',
  properties: { name: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$' } },
  required: ['name'],
};

export function templateRoutes(app: FastifyInstance, templates: TemplateService): void {
  const render = async (name: string, body: Record<string, unknown>) =>
    ok(
      await templates.render(
        name,
        body as { template: string; context?: Record<string, unknown> | null; args?: Record<string, unknown> | null },
      ),
    );
  const parse = async (name: string, body: Record<string, unknown>) =>
    ok(await templates.parse(name, body, typeof body.context === 'string' ? body.context : ''));

  app.post(
    '/template/render',
    {
      schema: {
        tags: ['template'],
        summary: 'Render a template (engine named in the body)',
        body: renderRequestSchema,
      },
    },
    async (req) => {
      const body = req.body as Record<string, unknown>;
      return render(String(body.name ?? ''), body);
    },
  );
  app.post(
    '/template/render/:name',
    {
      schema: {
        tags: ['template'],
        summary: 'Render with the named engine',
        body: renderRequestSchema,
        params: nameParam,
      },
    },
    async (req) => render((req.params as { name: string }).name, req.body as Record<string, unknown>),
  );
  app.post(
    '/template/parse',
    { schema: { tags: ['template'], summary: 'Parse text (engine named in the body)', body: parseRequestSchema } },
    async (req) => {
      const body = req.body as Record<string, unknown>;
      return parse(String(body.name ?? ''), body);
    },
  );
  app.post(
    '/template/parse/:name',
    {
      schema: {
        tags: ['template'],
        summary: 'Parse text with the named engine',
        body: parseRequestSchema,
        params: nameParam,
      },
    },
    async (req) => parse((req.params as { name: string }).name, req.body as Record<string, unknown>),
  );
}
