import type { FastifyInstance } from 'fastify';
import type { Broker } from '../../contracts/broker.ts';
import type { NetPulseMetrics } from '../../observability/metrics.ts';
import type { WebhookDispatcher } from '../../node/webhooks.ts';
import { isReady } from '../../observability/probes.ts';
import { systemStats } from '../../observability/stats.ts';
import { ok } from '../envelope.ts';

export interface OpsRouteDeps {
  broker: Broker;
  metrics: NetPulseMetrics;
  webhooks: WebhookDispatcher;
  /** Present when this process also runs a worker node (all-in-one). */
  nodeReady?: () => boolean;
  deadLetterLimit: number;
}

const deliveriesQuery = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['failed', 'delivered'] },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
  additionalProperties: false,
};
const deliveryParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' } },
  required: ['id'],
};

/**
 * Operations routes: Prometheus `/metrics`, the Kubernetes probes `/livez` and `/readyz` (no key,
 * a bare `ok`/`unavailable` and nothing else), `/system/stats`, and the webhook delivery log.
 */
export function opsRoutes(app: FastifyInstance, deps: OpsRouteDeps): void {
  app.get(
    '/metrics',
    { schema: { tags: ['manage'], summary: 'Prometheus metrics of this process (text format)' } },
    async (_req, reply) => {
      const m = await deps.metrics.render();
      return reply.type(m.contentType).send(m.body);
    },
  );
  app.get(
    '/livez',
    { schema: { tags: ['manage'], summary: 'Liveness probe: the process answers (no API key)', security: [] } },
    async (_req, reply) => reply.type('text/plain').send('ok\n'),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['manage'],
        summary: 'Readiness probe: broker reachable and at least one live node (no API key)',
        security: [],
      },
    },
    async (_req, reply) => {
      const ready = await isReady({ broker: deps.broker, nodeReady: deps.nodeReady, needsLiveNode: true });
      return reply
        .status(ready ? 200 : 503)
        .type('text/plain')
        .send(ready ? 'ok\n' : 'unavailable\n');
    },
  );
  app.get(
    '/system/stats',
    { schema: { tags: ['manage'], summary: 'Job counts by status, nodes, sessions, self-healing counters' } },
    async () => ok(await systemStats(deps.broker, deps.deadLetterLimit)),
  );
  app.get(
    '/webhook/deliveries',
    {
      schema: {
        tags: ['webhook'],
        summary: 'Webhook delivery log (newest first); status=failed lists the dead letters',
        querystring: deliveriesQuery,
      },
    },
    async (req) => {
      const q = req.query as { status?: 'failed' | 'delivered'; limit: number };
      return ok(await deps.webhooks.list(q.status, q.limit));
    },
  );
  app.post(
    '/webhook/deliveries/:id/retry',
    {
      schema: {
        tags: ['webhook'],
        summary: 'Replay a logged webhook event (same event id, new signature)',
        params: deliveryParams,
      },
    },
    async (req) => ok(await deps.webhooks.retry((req.params as { id: string }).id, req.log)),
  );
}
