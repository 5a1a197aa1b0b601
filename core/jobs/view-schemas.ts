import type { JsonSchema } from '../contracts/common.ts';
import { JOB_STATUSES } from './schemas.ts';

/**
 * JSON schemas of what the job routes answer: the OpenAPI document shows them and the SDK's types
 * are generated from that document. Objects allow additional properties so that a field added to a
 * view is never silently dropped by the response serializer.
 */
const isoTime: JsonSchema = { type: ['string', 'null'], description: 'ISO 8601 time in the server time zone.' };

export const jobResultSchema: JsonSchema = {
  type: ['object', 'null'],
  description: 'Set when the job ended: type 1 successful (retval), 2 failed (error).',
  properties: {
    type: { type: 'integer', enum: [1, 2] },
    retval: { description: 'What the driver returned: output per command, or parsed data.' },
    error: {
      type: ['object', 'null'],
      properties: {
        type: { type: 'string' },
        message: { type: 'string' },
        partial_output: {
          description:
            'Only when an output cap failed the job (OutputLimitError): the output that fit, per command ' +
            '(commands that completed, then the text received so far of the one that hit the cap).',
        },
      },
      required: ['type', 'message'],
    },
  },
  required: ['type', 'retval', 'error'],
  additionalProperties: true,
};

export const jobViewSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: { type: 'string', enum: [...JOB_STATUSES] },
    created_at: isoTime,
    enqueued_at: isoTime,
    started_at: isoTime,
    ended_at: isoTime,
    queue: { type: 'string' },
    worker: { type: ['string', 'null'] },
    node: { type: ['string', 'null'] },
    host: { type: ['string', 'null'] },
    driver: { type: 'string' },
    batch_id: {
      type: ['string', 'null'],
      description: 'The bulk request this job belongs to (null for a single exec).',
    },
    result: jobResultSchema,
    duration: { type: ['number', 'null'], description: 'Seconds the job ran.' },
    queue_time: { type: ['number', 'null'], description: 'Seconds the job waited in the queue.' },
    ttl: { type: 'integer' },
    execution_timeout: { type: 'integer' },
  },
  required: ['id', 'status', 'queue', 'driver', 'batch_id', 'result', 'created_at', 'ended_at'],
  additionalProperties: true,
};

const count: JsonSchema = { type: 'integer', minimum: 0 };

export const batchViewSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    total: count,
    counts: {
      type: 'object',
      properties: { queued: count, started: count, finished: count, failed: count, canceled: count },
      required: [...JOB_STATUSES],
      additionalProperties: false,
    },
    done: { type: 'boolean', description: 'True once no job of the batch is queued or running.' },
    created_at: isoTime,
    eta_seconds: {
      type: ['number', 'null'],
      description: 'Seconds until every job ended at the pace so far; null before the first job ends, 0 when done.',
    },
  },
  required: ['id', 'total', 'counts', 'done', 'created_at', 'eta_seconds'],
  additionalProperties: true,
};

export const bulkResultSchema: JsonSchema = {
  type: 'object',
  properties: {
    batch_id: {
      type: 'string',
      format: 'uuid',
      description: 'Follow the request: GET /batch/{id}, GET /job?batch=, GET /events?batch=.',
    },
    succeeded: { type: 'array', items: jobViewSchema },
    failed: { type: 'array', items: { type: 'string' }, description: 'Hosts that were not queued.' },
    reasons: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Why each failed host was not queued.',
    },
  },
  required: ['batch_id', 'succeeded', 'failed', 'reasons'],
  additionalProperties: true,
};

/** The `{code, message, data}` envelope around a route's data. */
export function envelopeOf(data: JsonSchema, example?: unknown): JsonSchema {
  return {
    type: 'object',
    properties: { code: { type: 'integer' }, message: { type: ['string', 'null'] }, data },
    required: ['code', 'message', 'data'],
    additionalProperties: true,
    ...(example === undefined ? {} : { example }),
  };
}

/** The error envelope (`code` -1). */
export const errorEnvelopeSchema: JsonSchema = {
  type: 'object',
  properties: { code: { type: 'integer', enum: [-1] }, message: { type: 'string' }, data: {} },
  required: ['code', 'message'],
  additionalProperties: true,
};

export const jobExample = {
  id: '5f0c3c1e-2a4b-4c8e-9d7a-1b2c3d4e5f60',
  status: 'finished',
  created_at: '2026-01-01T10:00:00+00:00',
  enqueued_at: '2026-01-01T10:00:00+00:00',
  started_at: '2026-01-01T10:00:00+00:00',
  ended_at: '2026-01-01T10:00:01+00:00',
  queue: 'HostQ_192.0.2.10',
  worker: 'node1_HostQ_192.0.2.10',
  node: 'node1',
  host: '192.0.2.10',
  driver: 'netmiko',
  batch_id: '0b7e8a52-4c1d-4f0e-8a55-6c1f3e9d2a71',
  result: { type: 1, retval: { 'show version': 'Cisco IOS …' }, error: null },
  duration: 0.84,
  queue_time: 0.01,
  ttl: 600,
  execution_timeout: 30,
};

export const batchExample = {
  id: '0b7e8a52-4c1d-4f0e-8a55-6c1f3e9d2a71',
  total: 50,
  counts: { queued: 10, started: 4, finished: 34, failed: 2, canceled: 0 },
  done: false,
  created_at: '2026-01-01T10:00:00+00:00',
  eta_seconds: 3.5,
};
