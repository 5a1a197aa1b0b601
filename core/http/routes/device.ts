import type { FastifyInstance } from 'fastify';
import type { JobService } from '../../jobs/service.ts';
import { bulkRequestSchema, execRequestSchema, testRequestSchema } from '../../jobs/schemas.ts';
import { bulkResultSchema, envelopeOf } from '../../jobs/view-schemas.ts';
import { ok } from '../envelope.ts';
import { requestScope } from '../lenient.ts';

export function deviceRoutes(app: FastifyInstance, jobs: JobService): void {
  app.post(
    '/device/exec',
    {
      schema: {
        tags: ['device'],
        summary: 'Queue a command or configuration job for one device',
        body: execRequestSchema,
      },
    },
    async (req, reply) => {
      const job = await jobs.exec(req.body as Record<string, unknown>, requestScope(req));
      return reply.status(201).send(ok(job, 201));
    },
  );

  app.post(
    '/device/bulk',
    {
      schema: {
        tags: ['device'],
        summary: 'Queue one job per device (duplicate hosts merged)',
        body: bulkRequestSchema,
        response: { 201: envelopeOf({ ...bulkResultSchema, type: ['object', 'null'] }) },
      },
    },
    async (req, reply) => {
      const data = await jobs.bulk(req.body as Record<string, unknown>, requestScope(req));
      return reply.status(201).send(ok(data, 201));
    },
  );

  app.post(
    '/device/test',
    {
      schema: { tags: ['device'], summary: 'Connect, identify and disconnect (synchronous)', body: testRequestSchema },
    },
    async (req) => {
      const data = await jobs.test(req.body as Record<string, unknown>, requestScope(req));
      return ok(data, 200, data.success ? 'Connection test completed' : 'Connection test failed');
    },
  );
}
