import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * What the OpenAPI document (Swagger UI at /docs) says beyond the request schemas: a response
 * schema for every route and status (201 where the route answers 201), realistic request examples
 * (one per driver for exec) and descriptions. Added by an onRoute hook, so route files stay about
 * behaviour. Responses are serialised with JSON.stringify (see {@link installOpenApiDocs}), so these
 * schemas document and never filter or coerce what a route returns.
 */

const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type, nullable: true, ...extra });
const warnings = {
  type: 'array',
  description:
    'Request keys the server ignored (as the reference does); absent when none. `server.strict_requests` makes them 400s.',
  items: {
    type: 'object',
    properties: {
      loc: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'integer' }] } },
      msg: { type: 'string' },
    },
  },
};
const envelope = (data: Record<string, unknown>, code: number, description: string) => ({
  description,
  type: 'object',
  properties: {
    code: { type: 'integer', example: code },
    message: { type: 'string', example: 'success' },
    data,
    warnings,
  },
  additionalProperties: true,
});
const errorEnvelope = (description: string, example: string) => ({
  description,
  type: 'object',
  properties: {
    code: { type: 'integer', example: -1 },
    message: { type: 'string', example },
    data: { nullable: true, description: 'Validation errors: a list of {loc, msg}; otherwise detail or null.' },
  },
});

const jobResult = {
  type: 'object',
  nullable: true,
  description: 'null until the job ended (and again after result_ttl).',
  properties: {
    type: { type: 'integer', description: '1 successful, 2 failed.' },
    retval: {
      nullable: true,
      description:
        'Per command: the output (or parsed records; `{output, parse_error}` when parsing failed). Shape per driver: see docs/drivers.',
    },
    error: {
      type: 'object',
      nullable: true,
      properties: { type: { type: 'string', example: 'ConnectionError' }, message: { type: 'string' } },
    },
  },
};
export const jobSchema = {
  type: 'object',
  description: 'JobInResponse: the reference field names, ISO-8601 times.',
  properties: {
    id: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: ['queued', 'started', 'finished', 'failed', 'canceled'] },
    created_at: nullable('string', { format: 'date-time' }),
    enqueued_at: nullable('string', { format: 'date-time' }),
    started_at: nullable('string', { format: 'date-time' }),
    ended_at: nullable('string', { format: 'date-time' }),
    queue: { type: 'string', example: 'HostQ_192.0.2.10' },
    worker: nullable('string'),
    node: nullable('string'),
    host: nullable('string'),
    driver: nullable('string'),
    result: jobResult,
    duration: nullable('number', { description: 'ended_at − started_at, seconds.' }),
    queue_time: nullable('number', { description: 'started_at − enqueued_at, seconds.' }),
    ttl: { type: 'integer' },
    execution_timeout: { type: 'integer' },
  },
  additionalProperties: true,
};
const workerSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    status: { type: 'string' },
    pid: { type: 'integer' },
    hostname: { type: 'string' },
    node: { type: 'string' },
    queues: { type: 'array', items: { type: 'string' } },
    last_heartbeat: nullable('string'),
    birth_at: nullable('string'),
    successful_job_count: { type: 'integer' },
    failed_job_count: { type: 'integer' },
  },
  additionalProperties: true,
};
const deviceTest = {
  type: 'object',
  properties: {
    success: { type: 'boolean' },
    latency: { type: 'number', description: 'Seconds (also on failure).' },
    connection_time: { type: 'number', description: 'The same value under the name the reference documents.' },
    error: nullable('string'),
    error_message: nullable('string', { description: 'The same value under the name the reference documents.' }),
    result: {
      type: 'object',
      nullable: true,
      additionalProperties: true,
      description: '{driver, host, …driver facts}.',
    },
    device_info: {
      type: 'object',
      nullable: true,
      additionalProperties: true,
      description: 'The same value under the name the reference documents.',
    },
    timestamp: { type: 'string', format: 'date-time' },
  },
};

const COMMON_ERRORS = {
  400: errorEnvelope('Validation Error: `data` lists {loc, msg}; input values are never echoed.', 'Validation Error'),
  403: {
    description: 'Invalid or missing API key.',
    type: 'object',
    properties: {
      code: { type: 'integer', example: -1 },
      message: { type: 'string', example: 'Invalid or missing API key.' },
    },
  },
  500: errorEnvelope(
    'Unexpected error (details are logged with the request id, never returned).',
    'Internal Server Error',
  ),
};
const CAPACITY = errorEnvelope(
  'No live worker node, or pinned capacity is full: the message says how many slots exist and which setting raises it.',
  'No available node to run the job: pinned capacity is full (2048 of 2048 pinned sessions in use on 1 live node); raise worker.pinned_per_node …',
);
const NOT_FOUND_PLUGIN = errorEnvelope('Unknown renderer, parser or webhook name.', 'Parser foo not found');

const netmikoConn = {
  device_type: 'cisco_ios',
  host: '192.0.2.10',
  username: 'admin',
  password: 'admin',
  secret: 'enable-secret',
  port: 22,
};

/** Request examples; each must be accepted by the server (tests/http/openapi-examples.test.ts). */
export const EXAMPLES: Record<string, Record<string, { summary: string; value: Record<string, unknown> }>> = {
  'POST /device/exec': {
    netmiko: {
      summary: 'netmiko: show commands on Cisco IOS (pinned session)',
      value: { driver: 'netmiko', connection_args: netmikoConn, command: ['show version', 'show ip interface brief'] },
    },
    netmiko_config: {
      summary: 'netmiko: configuration with save',
      value: {
        driver: 'netmiko',
        connection_args: netmikoConn,
        config: ['interface GigabitEthernet0/1', 'description uplink'],
        save: true,
        enable_mode: true,
      },
    },
    netmiko_textfsm: {
      summary: 'netmiko: output parsed by TextFSM (ntc-templates)',
      value: {
        driver: 'netmiko',
        connection_args: netmikoConn,
        command: 'show ip interface brief',
        parsing: { name: 'textfsm', template: '', use_ntc_template: true },
      },
    },
    pyeapi: {
      summary: 'pyeapi: Arista eAPI, JSON results',
      value: {
        driver: 'pyeapi',
        connection_args: {
          device_type: 'arista_eos',
          host: '192.0.2.20',
          username: 'admin',
          password: 'admin',
          transport: 'https',
        },
        command: ['show version'],
        driver_args: { encoding: 'json' },
      },
    },
    paramiko: {
      summary: 'paramiko: Linux commands over SSH',
      value: {
        driver: 'paramiko',
        connection_args: { host: '192.0.2.30', username: 'ops', password: 'ops', port: 22 },
        command: ['uname -a', 'uptime'],
      },
    },
    jinja2: {
      summary: 'netmiko: configuration rendered from a Jinja2 template',
      value: {
        driver: 'netmiko',
        connection_args: netmikoConn,
        config: { interfaces: [{ name: 'Gi0/1', description: 'uplink' }] },
        rendering: {
          name: 'jinja2',
          template: '{% for i in interfaces %}interface {{ i.name }}\n description {{ i.description }}\n{% endfor %}',
        },
      },
    },
  },
  'POST /device/bulk': {
    netmiko: {
      summary: 'netmiko: one job per device; devices overlay connection_args',
      value: {
        driver: 'netmiko',
        connection_args: { device_type: 'cisco_ios', username: 'admin', password: 'admin' },
        devices: [{ host: '192.0.2.11' }, { host: '192.0.2.12', port: 2222 }],
        command: 'show version',
        ttl: 600,
      },
    },
  },
  'POST /device/test': {
    netmiko: {
      summary: 'netmiko: connect, read the prompt, disconnect',
      value: { driver: 'netmiko', connection_args: netmikoConn },
    },
  },
  'POST /template/render': {
    jinja2: {
      summary: 'Jinja2',
      value: { name: 'jinja2', template: 'hostname {{ hostname }}', context: { hostname: 'edge-1' } },
    },
  },
  'POST /template/render/{name}': {
    jinja2: {
      summary: 'Jinja2 (engine in the path)',
      value: { template: 'ntp server {{ ntp }}', context: { ntp: '192.0.2.123' } },
    },
  },
  'POST /template/parse': {
    textfsm: {
      summary: 'TextFSM',
      value: {
        name: 'textfsm',
        template: 'Value HOST (\\S+)\n\nStart\n  ^hostname ${HOST} -> Record\n',
        context: 'hostname edge-1\n',
      },
    },
  },
  'POST /template/parse/{name}': {
    ttp: {
      summary: 'TTP (engine in the path)',
      value: {
        template: 'interface {{ interface }}\n description {{ description | ORPHRASE }}',
        context: 'interface Gi0/1\n description uplink to core\n',
      },
    },
  },
};

const DOCS: Record<string, { description: string; response: Record<string, unknown> }> = {
  'POST /device/exec': {
    description:
      'Validates the request (driver schemas included), then queues one job. Poll `GET /job?id=` for the result. Unknown keys the reference accepts are ignored and listed in `warnings`.',
    response: { 201: envelope(jobSchema, 201, 'Queued.'), 404: NOT_FOUND_PLUGIN, 503: CAPACITY },
  },
  'POST /device/bulk': {
    description:
      'One job per device (duplicate hosts merged, last wins). Devices refused for capacity or invalid device args are listed in `failed` with `reasons`; when nothing could be queued for capacity the answer is 503.',
    response: {
      201: envelope(
        {
          type: 'object',
          nullable: true,
          properties: {
            succeeded: { type: 'array', items: jobSchema },
            failed: { type: 'array', items: { type: 'string' } },
            reasons: { type: 'object', additionalProperties: { type: 'string' } },
          },
          additionalProperties: true,
        },
        201,
        'Queued (data null when devices is empty).',
      ),
      404: NOT_FOUND_PLUGIN,
      503: CAPACITY,
    },
  },
  'POST /device/test': {
    description:
      'Connects, identifies the device and disconnects, synchronously in the API process. HTTP 200 even when the device cannot be reached (`success: false`).',
    response: {
      200: envelope(deviceTest, 200, 'Test result (message "Connection test completed" or "Connection test failed").'),
    },
  },
  'POST /template/render': {
    description: 'Renders a template with the engine named in the body.',
    response: { 200: envelope({ type: 'string' }, 200, 'The rendered text.'), 404: NOT_FOUND_PLUGIN },
  },
  'POST /template/render/{name}': {
    description: 'Renders a template with the engine named in the path.',
    response: { 200: envelope({ type: 'string' }, 200, 'The rendered text.'), 404: NOT_FOUND_PLUGIN },
  },
  'POST /template/parse': {
    description: 'Parses text with the engine named in the body (textfsm, ttp, jsonata).',
    response: {
      200: envelope({ description: 'Records (list) or a dict, per engine.' }, 200, 'Parsed data.'),
      404: NOT_FOUND_PLUGIN,
    },
  },
  'POST /template/parse/{name}': {
    description: 'Parses text with the engine named in the path.',
    response: {
      200: envelope({ description: 'Records (list) or a dict, per engine.' }, 200, 'Parsed data.'),
      404: NOT_FOUND_PLUGIN,
    },
  },
  'GET /job': {
    description: 'Lists jobs, newest first; `id` wins over the other filters, which combine.',
    response: { 200: envelope({ type: 'array', items: jobSchema }, 200, 'Jobs.') },
  },
  'DELETE /job': {
    description: 'Cancels queued jobs matching the filter; returns their ids. No filter cancels nothing.',
    response: { 200: envelope({ type: 'array', items: { type: 'string' } }, 200, 'Canceled job ids.') },
  },
  'GET /worker': {
    description: "Lists the workers of every node (one per pinned host plus the node's FIFO worker).",
    response: { 200: envelope({ type: 'array', items: workerSchema }, 200, 'Workers.') },
  },
  'DELETE /worker': {
    description: 'Stops workers gracefully (a pinned worker releases its host; the node worker stops the node).',
    response: {
      200: envelope({ type: 'array', items: { type: 'string' } }, 200, 'Names of the workers asked to stop.'),
      404: errorEnvelope('No worker of that name.', 'Worker x not found'),
    },
  },
  'GET /health': {
    description: 'Broker reachability and node liveness.',
    response: {
      200: envelope(
        {
          type: 'object',
          properties: {
            status: { type: 'string', enum: ['ok', 'degraded'] },
            broker: { type: 'object', additionalProperties: true },
            nodes: { type: 'object', additionalProperties: true },
          },
        },
        200,
        'Status.',
      ),
      503: errorEnvelope('The broker does not answer.', 'Broker unavailable: redis does not answer'),
    },
  },
  'DELETE /known-host': {
    description:
      'Forgets the SSH host keys and pinned TLS certificates of a host (this process and every live node), so its next connection is trusted on first use again.',
    response: {
      200: envelope(
        {
          type: 'object',
          additionalProperties: true,
          properties: {
            host: { type: 'string' },
            port: { type: 'integer', nullable: true },
            removed: { type: 'object', additionalProperties: { type: 'integer' } },
            nodes: { type: 'array', items: { type: 'string' } },
          },
        },
        200,
        'Lines removed per store.',
      ),
    },
  },
};

/** The OpenAPI path of a Fastify URL (`/template/render/:name` → `/template/render/{name}`). */
const openapiPath = (url: string) => url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

/**
 * Installs the documentation hook (before routes are added) and a plain JSON serializer: a
 * response schema in Fastify would otherwise compile a serializer that drops undeclared fields and
 * coerces types, changing answers just by documenting them.
 */
export function installOpenApiDocs(app: FastifyInstance): void {
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = (route.schema ?? {}) as Record<string, unknown>;
    if (schema.hide) return;
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      if (method === 'HEAD') continue;
      const key = `${method} ${openapiPath(route.url)}`;
      const doc = DOCS[key];
      const success = method === 'POST' && key.startsWith('POST /device/') && key !== 'POST /device/test' ? 201 : 200;
      // A route's own response schemas (e.g. the job views) win; the table and the common errors fill the rest.
      const response = {
        ...(doc?.response ?? {
          [success]: envelope({ description: 'See the route description.' }, success, 'Success.'),
        }),
        ...COMMON_ERRORS,
        ...((schema.response as Record<string, unknown> | undefined) ?? {}),
      };
      const body = schema.body as Record<string, unknown> | undefined;
      const examples = EXAMPLES[key];
      route.schema = {
        ...schema,
        // Routes without an entry here (plugins, later additions) still get a description and a tag.
        ...(schema.description
          ? {}
          : { description: doc?.description ?? (schema.summary as string | undefined) ?? `${method} ${route.url}` }),
        ...(schema.tags ? {} : { tags: ['manage'] }),
        response,
        ...(body && examples ? { body: { ...body, 'x-examples': examples } } : {}),
      };
    }
  });
}
