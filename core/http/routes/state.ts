import type { FastifyInstance } from 'fastify';
import type { JobService } from '../../jobs/service.ts';
import { ok } from '../envelope.ts';

const forgetQuery = {
  type: 'object',
  properties: {
    host: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description: 'Device address as used in connection_args.host.',
    },
    port: {
      type: 'integer',
      minimum: 1,
      maximum: 65535,
      description: 'Only this port (default: every port of the host).',
    },
  },
  required: ['host'],
  additionalProperties: false,
};

/** Routes on the server's state (`server.state_dir`): forgetting SSH host keys and pinned TLS certificates. */
export function stateRoutes(app: FastifyInstance, jobs: JobService): void {
  app.delete(
    '/known-host',
    {
      schema: {
        tags: ['manage'],
        summary: 'Forget the SSH host keys and pinned eAPI TLS certificates of a host',
        description:
          'Use after a device was re-keyed or got a new certificate: its next connection is trusted on first use again. Applies to this process and to every live worker node.',
        querystring: forgetQuery,
      },
    },
    async (req) => {
      const q = req.query as { host: string; port?: number };
      return ok(await jobs.forgetKnownHost(q.host, q.port));
    },
  );
}
