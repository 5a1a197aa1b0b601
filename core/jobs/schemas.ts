import type { JsonSchema } from '../contracts/common.ts';
import { lenient } from './warnings.ts';
import { SECRET_PATTERN } from '../webhooks/signing.ts';

/**
 * JSON schemas of the request models (the reference's field names and defaults; see docs/compatibility.md), used by ajv at accept time and by the OpenAPI
 * document. Driver-specific fields are validated afterwards against the driver's own schemas.
 */
const nullable = (s: JsonSchema): JsonSchema => ({ anyOf: [s, { type: 'null' }] });

export const connectionArgsSchema: JsonSchema = {
  type: 'object',
  description: 'Device connection arguments; the driver validates its own extra keys.',
  properties: {
    device_type: { type: ['string', 'null'], maxLength: 64 },
    host: { type: ['string', 'null'], minLength: 1, maxLength: 255 },
    username: { type: ['string', 'null'], maxLength: 256 },
    password: { type: ['string', 'null'], maxLength: 4096, writeOnly: true },
  },
  additionalProperties: true,
};

export const renderRequestSchema: JsonSchema = lenient({
  type: 'object',
  properties: {
    name: { type: 'string', default: '', maxLength: 64 },
    template: {
      type: 'string',
      maxLength: 1048576,
      description:
        'Inline template text, `file://<path>` inside templates.dirs, or `http(s)://` when templates.remote_enabled.',
    },
    context: nullable({ type: 'object' }),
    args: nullable({ type: 'object', description: 'Engine options, e.g. jinja2 trim_blocks.' }),
  },
  required: ['template'],
  additionalProperties: false,
});

export const parseRequestSchema: JsonSchema = lenient({
  type: 'object',
  properties: {
    name: { type: 'string', default: '', maxLength: 64 },
    template: {
      type: 'string',
      default: '',
      maxLength: 1048576,
      description: 'Template text or source; may be empty with use_ntc_template / use_ttp_template.',
    },
    context: nullable({ type: 'string', description: 'The text to parse.' }),
    use_ntc_template: { type: 'boolean' },
    ntc_template_args: nullable({
      type: 'object',
      properties: { platform: { type: 'string' }, command: { type: 'string' } },
      additionalProperties: false,
    }),
    use_ttp_template: { type: 'boolean' },
    ttp_template_args: nullable({
      type: 'object',
      properties: { platform: { type: 'string' }, command: { type: 'string' } },
      additionalProperties: false,
    }),
    structure: { type: 'string', enum: ['list', 'dictionary', 'flat_list'] },
    args: nullable({ type: 'object' }),
    raise_parsing_error: {
      type: 'boolean',
      description:
        'In a job: fail the job when parsing fails. By default the job finishes with the raw output and a per-command `parse_error`.',
    },
  },
  additionalProperties: false,
});

export const webhookSchema: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', default: 'basic', maxLength: 64 },
    url: { type: 'string', format: 'uri', pattern: '^[hH][tT][tT][pP][sS]?://', maxLength: 2048 },
    method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'], default: 'POST' },
    headers: nullable({ type: 'object', additionalProperties: { type: 'string' } }),
    cookies: nullable({ type: 'object', additionalProperties: { type: 'string' } }),
    auth: nullable({ type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 }),
    timeout: { type: 'number', minimum: 0.5, maximum: 120, default: 5 },
    // Standard Webhooks signing secret(s) for this request: one, or two while rotating.
    secret: nullable({
      anyOf: [
        { type: 'string', pattern: SECRET_PATTERN },
        { type: 'array', items: { type: 'string', pattern: SECRET_PATTERN }, minItems: 1, maxItems: 2 },
      ],
    }),
  },
  required: ['url'],
  additionalProperties: false,
};

const payloadSchema: JsonSchema = {
  anyOf: [
    { type: 'string', maxLength: 1048576 },
    { type: 'array', items: { type: 'string' }, maxItems: 10000 },
    { type: 'object' },
    { type: 'null' },
  ],
};

const execProperties: Record<string, JsonSchema> = {
  driver: { type: 'string', maxLength: 64, description: 'netmiko, napalm, pyeapi, paramiko or a plugin driver.' },
  connection_args: connectionArgsSchema,
  driver_args: nullable({ type: 'object' }),
  command: payloadSchema,
  config: payloadSchema,
  rendering: nullable(renderRequestSchema),
  parsing: nullable(parseRequestSchema),
  queue_strategy: { type: ['string', 'null'], enum: ['fifo', 'pinned', null], default: null },
  ttl: {
    type: ['integer', 'null'],
    minimum: 1,
    maximum: 3600,
    default: 300,
    description: 'Seconds the job may wait in the queue.',
  },
  execution_timeout: {
    type: ['integer', 'null'],
    minimum: 1,
    maximum: 86400,
    default: null,
    description: 'Seconds the job may run (default job.timeout).',
  },
  result_ttl: {
    type: ['integer', 'null'],
    minimum: 1,
    maximum: 604800,
    default: null,
    description: 'Seconds the result is kept (default job.result_ttl).',
  },
  webhook: nullable(webhookSchema),
  // Driver request fields (reference top-level extras such as `save`): accepted here, checked against the driver's requestFields.
  save: { type: 'boolean' },
  enable_mode: { type: 'boolean' },
  dry_run: { type: 'boolean' },
};

export const execRequestSchema: JsonSchema = lenient({
  type: 'object',
  properties: execProperties,
  required: ['driver', 'connection_args'],
  additionalProperties: false,
});

export const bulkRequestSchema: JsonSchema = lenient({
  type: 'object',
  properties: {
    ...execProperties,
    ttl: { ...(execProperties.ttl as object), default: 600 },
    connection_args: { ...connectionArgsSchema, default: {} },
    devices: { type: 'array', items: connectionArgsSchema, maxItems: 20000 },
  },
  required: ['driver', 'devices'],
  additionalProperties: false,
});

export const testRequestSchema: JsonSchema = lenient({
  type: 'object',
  properties: { driver: { type: 'string', maxLength: 64 }, connection_args: connectionArgsSchema },
  required: ['driver', 'connection_args'],
  additionalProperties: false,
});

export const JOB_STATUSES = ['queued', 'started', 'finished', 'failed', 'canceled'] as const;

export const jobQuerySchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 10000, description: 'One job id, or several separated by commas.' },
    batch: { type: 'string', maxLength: 64, description: 'The `batch_id` a bulk request answered: its jobs.' },
    queue: { type: 'string', maxLength: 300 },
    status: { type: 'string', enum: [...JOB_STATUSES] },
    node: { type: 'string', maxLength: 255 },
    host: { type: 'string', maxLength: 255 },
    limit: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 },
    offset: { type: 'integer', minimum: 0, default: 0 },
  },
  additionalProperties: false,
};

/** Query of DELETE /job and GET|DELETE /worker: optional selectors (`name` only for workers). */
const selectorQuery = (extra: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  properties: {
    ...extra,
    queue: { type: 'string', maxLength: 300 },
    node: { type: 'string', maxLength: 255 },
    host: { type: 'string', maxLength: 255 },
  },
  additionalProperties: false,
});

export const jobDeleteQuerySchema: JsonSchema = selectorQuery({ id: { type: 'string', maxLength: 64 } });
export const workerQuerySchema: JsonSchema = selectorQuery({ name: { type: 'string', maxLength: 300 } });
