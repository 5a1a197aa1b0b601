import type { FastifyInstance } from 'fastify';
import type { JobEvents, JobEvent } from '../../events/job-events.ts';
import { filterFromQuery } from '../../events/filter.ts';
import { jobViewSchema } from '../../jobs/view-schemas.ts';

/** A comment line every 15 s keeps proxies and idle timeouts from closing a quiet stream. */
export const KEEPALIVE_MS = 15_000;
/** A client that reads slower than events arrive is cut off past this much unsent data (it resumes). */
const MAX_BUFFERED = 8 * 1024 * 1024;
const EVENT_ID = '^[0-9]{1,20}-[0-9]{1,20}$';

const list = (what: string) => ({ type: 'string', maxLength: 10000, description: `${what} (comma list allowed).` });

const eventsQuerySchema = {
  type: 'object',
  properties: {
    job: list('Job ids'),
    batch: list('Batch ids (`batch_id` of a bulk answer)'),
    host: list('Device hosts'),
    queue: list('Queue names (`FifoQ`, `HostQ_<host>`)'),
    last_event_id: {
      type: 'string',
      pattern: EVENT_ID,
      description: 'Resume after this event (same as the `Last-Event-ID` header).',
    },
  },
  additionalProperties: false,
};

const eventDataSchema = {
  type: 'object',
  description: 'The `data:` line of each event, as JSON.',
  properties: {
    type: { type: 'string', enum: ['job.queued', 'job.started', 'job.finished', 'job.failed', 'job.canceled'] },
    job: jobViewSchema,
  },
  required: ['type', 'job'],
};

const STREAM_EXAMPLE = [
  'id: 1767261600000-0',
  'event: job.started',
  'data: {"type":"job.started","job":{"id":"5f0c3c1e-…","status":"started","host":"192.0.2.10","batch_id":null,…}}',
  '',
  ': keepalive',
  '',
].join('\n');

export function formatEvent(e: JobEvent): string {
  return `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify({ type: e.type, job: e.job })}\n\n`;
}

/**
 * GET /events: job state changes as Server-Sent Events, filtered by job, batch, host and queue,
 * resumable with `Last-Event-ID` within the broker's window. Authentication is the API's (the hook
 * runs before this route): header, `X-API-KEY` query parameter (EventSource cannot send headers),
 * or cookie.
 */
export function eventsRoutes(app: FastifyInstance, events: JobEvents, keepaliveMs = KEEPALIVE_MS): void {
  const open = new Set<AbortController>();
  // Streams never end on their own: close them first so the server can stop.
  app.addHook('preClose', async () => {
    for (const ac of open) ac.abort();
  });

  app.get(
    '/events',
    {
      schema: {
        tags: ['job'],
        summary: 'Live job events (Server-Sent Events)',
        description:
          'Streams `job.queued|started|finished|failed|canceled` events; `data` is `{type, job}` where `job` is the ' +
          'object GET /job returns (with `result` once ended). A `: keepalive` comment every 15 s. Reconnect with the ' +
          '`Last-Event-ID` header (or `last_event_id`) to receive what was missed, within the last 10,000 events.',
        querystring: eventsQuerySchema,
        headers: { type: 'object', properties: { 'last-event-id': { type: 'string', pattern: EVENT_ID } } },
        response: {
          200: {
            description: 'An endless text/event-stream.',
            content: { 'text/event-stream': { schema: { ...eventDataSchema, example: STREAM_EXAMPLE } } },
          },
        },
      },
    },
    async (req, reply) => {
      const q = req.query as Record<string, unknown>;
      const header = req.headers['last-event-id'];
      const after =
        (typeof header === 'string' && header) || (typeof q.last_event_id === 'string' ? q.last_event_id : null);
      const filter = filterFromQuery(q);
      const ac = new AbortController();
      open.add(ac);
      // Subscribed before the answer starts: a client that checks a job's state once the stream is open
      // cannot miss a change that happens in between.
      const stream = events.follow({ after, filter, signal: ac.signal });
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': connected\n\n');
      res.on('close', () => ac.abort());
      const keepalive = setInterval(() => res.write(': keepalive\n\n'), keepaliveMs);
      try {
        for await (const e of stream) {
          res.write(formatEvent(e));
          if (res.writableLength > MAX_BUFFERED) {
            req.log.warn({ buffered: res.writableLength }, 'events: client too slow, closing its stream');
            break;
          }
        }
      } catch (e) {
        req.log.warn({ err: (e as Error).message }, 'events: stream ended by an error');
      } finally {
        clearInterval(keepalive);
        open.delete(ac);
        res.end();
      }
    },
  );
}
