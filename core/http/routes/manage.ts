import type { FastifyInstance } from 'fastify';
import type { JobService } from '../../jobs/service.ts';
import { jobDeleteQuerySchema, jobQuerySchema, workerQuerySchema } from '../../jobs/schemas.ts';
import {
  batchExample,
  batchViewSchema,
  envelopeOf,
  errorEnvelopeSchema,
  jobExample,
  jobViewSchema,
} from '../../jobs/view-schemas.ts';
import { ok } from '../envelope.ts';

const batchParams = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
  required: ['id'],
};

/** Strips the API key parameter (it may arrive in the query) before the strict query schema sees it. */
export function manageRoutes(app: FastifyInstance, jobs: JobService): void {
  app.get(
    '/job',
    {
      schema: {
        tags: ['job'],
        summary: 'List jobs (newest first)',
        querystring: jobQuerySchema,
        response: {
          200: envelopeOf(
            { type: 'array', items: jobViewSchema },
            { code: 200, message: 'success', data: [jobExample] },
          ),
        },
      },
    },
    async (req) => ok(await jobs.list(req.query as Record<string, unknown>)),
  );
  app.get(
    '/batch/:id',
    {
      schema: {
        tags: ['job'],
        summary: 'Progress of a bulk request: job counts by status, done, ETA',
        params: batchParams,
        response: {
          200: envelopeOf(batchViewSchema, { code: 200, message: 'success', data: batchExample }),
          404: errorEnvelopeSchema,
        },
      },
    },
    async (req) => ok(await jobs.batch((req.params as { id: string }).id)),
  );
  app.delete(
    '/job',
    { schema: { tags: ['job'], summary: 'Cancel queued jobs', querystring: jobDeleteQuerySchema } },
    async (req) => ok(await jobs.cancel(req.query as Record<string, unknown>)),
  );
  app.get(
    '/worker',
    { schema: { tags: ['worker'], summary: 'List workers of every node', querystring: workerQuerySchema } },
    async (req) => ok(await jobs.workers(req.query as Record<string, unknown>)),
  );
  app.delete(
    '/worker',
    { schema: { tags: ['worker'], summary: 'Stop workers gracefully', querystring: workerQuerySchema } },
    async (req) => ok(await jobs.stopWorkers(req.query as Record<string, unknown>)),
  );
  app.get(
    '/health',
    {
      schema: {
        tags: ['manage'],
        summary: 'Broker reachability and node liveness (503 when the broker is down or no node is live)',
      },
    },
    async (_req, reply) => {
      const health = await jobs.health();
      // Degraded (no live node: nothing can run) answers 503 with the same detail, for load balancers and monitors.
      return health.status === 'ok' ? ok(health) : reply.status(503).send(ok(health, 503, 'degraded'));
    },
  );
}
