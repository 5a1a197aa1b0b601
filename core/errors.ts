/**
 * One coded error table for all of NetPulse (in the spirit of Fastify's FST_ERR_*).
 *
 * Every error NetPulse raises on purpose is a {@link NetPulseError} with a code from
 * {@link ERROR_TABLE}; the HTTP layer maps the code to a status and the envelope
 * `{code:-1, message, data}`. `docs/errors.md` is kept in sync with this table by a test
 * (`tests/unit/core/errors-doc.test.ts`), so add a row there when you add one here.
 */

export interface ErrorSpec {
  /** HTTP status the error maps to when it reaches the API. */
  status: number;
  /** Default human message; `%s` is replaced by the arguments given to {@link npError}. */
  message: string;
  /** One line for docs/errors.md: when it happens and what to do. */
  doc: string;
  /**
   * Whether the message and `data` reach an API client. When false the client gets
   * `NP_ERR_INTERNAL` (500, a plain "Internal Server Error") and the details are only logged.
   */
  expose: boolean;
  /** The reference answers this error without a `data` key (`{code:-1, message}`). */
  omitData?: true;
}

export const ERROR_TABLE = {
  NP_ERR_VALIDATION: {
    status: 400,
    expose: true,
    message: 'Validation Error',
    doc: 'A request body, query or configuration value does not match its schema. `data` lists `{loc, msg}`; input values are never echoed.',
  },
  NP_ERR_BAD_JSON: {
    status: 400,
    expose: true,
    message: 'Validation Error',
    doc: 'The request body is not valid JSON.',
  },
  NP_ERR_UNAUTHORIZED: {
    status: 403,
    expose: true,
    omitData: true,
    message: 'Invalid or missing API key.',
    doc: 'The API key is missing or wrong (header, query or cookie named by `server.api_key_name`).',
  },
  NP_ERR_BAD_REQUEST: {
    status: 400,
    expose: true,
    message: '%s',
    doc: 'The HTTP layer rejected the request before routing (e.g. a malformed URL or header); the status is the one the framework chose.',
  },
  NP_ERR_NOT_FOUND: { status: 404, expose: true, message: 'Not Found', doc: 'No route matches the path.' },
  NP_ERR_METHOD_NOT_ALLOWED: {
    status: 405,
    expose: true,
    message: 'Method Not Allowed',
    doc: 'The path exists but not with this HTTP method.',
  },
  NP_ERR_BODY_TOO_LARGE: {
    status: 413,
    expose: true,
    message: 'Request body too large',
    doc: 'The body exceeds `server.body_limit` bytes.',
  },
  NP_ERR_UNSUPPORTED_MEDIA: {
    status: 415,
    expose: true,
    message: 'Unsupported Media Type: send application/json',
    doc: 'The body is not `application/json`.',
  },
  NP_ERR_UNKNOWN_DRIVER: {
    status: 400,
    expose: true,
    message: 'Unsupported driver: %s',
    doc: 'The request names a driver no plugin provides.',
  },
  NP_ERR_UNKNOWN_PLUGIN: {
    status: 404,
    expose: true,
    message: '%s',
    doc: 'A renderer, parser, webhook or scheduler name that no plugin provides (e.g. `Renderer foo not found`).',
  },
  NP_ERR_UNKNOWN_WORKER: {
    status: 404,
    expose: true,
    message: 'Worker %s not found',
    doc: '`DELETE /worker?name=` names a worker that is not registered.',
  },
  NP_ERR_UNKNOWN_BATCH: {
    status: 404,
    expose: true,
    message: 'Batch %s not found',
    doc: '`GET /batch/{id}` names no bulk request, or every job record of it has expired (`result_ttl`).',
  },
  NP_ERR_NO_CAPACITY: {
    status: 503,
    expose: true,
    message: '%s',
    doc: 'No live worker node or no free pinned capacity can take the job.',
  },
  NP_ERR_BROKER_UNAVAILABLE: {
    status: 503,
    expose: true,
    message: 'Broker unavailable: %s',
    doc: 'Redis (or the configured broker) cannot be reached.',
  },
  NP_ERR_NOT_IMPLEMENTED: {
    status: 501,
    expose: true,
    message: '%s',
    doc: 'The endpoint or operation is not available in this build or with this driver.',
  },
  NP_ERR_INTERNAL: {
    status: 500,
    expose: false,
    message: 'Internal Server Error',
    doc: 'An unexpected error; details are logged with the request id, never returned.',
  },
  NP_ERR_CONFIG: {
    status: 500,
    expose: false,
    message: 'Invalid configuration: %s',
    doc: 'Start-up stops: a configuration key has the wrong type or a required value is missing.',
  },
  NP_ERR_PLUGIN_NAME: {
    status: 500,
    expose: false,
    message: 'Invalid plugin name: %s',
    doc: 'A plugin reference in the configuration is not a valid name, path or package.',
  },
  NP_ERR_PLUGIN_DUPLICATE: {
    status: 500,
    expose: false,
    message: 'Duplicate plugin: %s',
    doc: 'Two plugins register the same kind and name.',
  },
  NP_ERR_PLUGIN_LOAD: {
    status: 500,
    expose: false,
    message: 'Cannot load plugin %s',
    doc: 'A configured plugin module cannot be imported or has no valid manifest.',
  },
  NP_ERR_MISSING_BINDING: {
    status: 500,
    expose: false,
    message: 'Missing binding: %s',
    doc: 'Start-up stops: a required contract has no implementation registered; the message says what to register.',
  },
  NP_ERR_TEMPLATE: {
    status: 400,
    expose: true,
    message: '%s',
    doc: 'A template cannot be loaded, rendered or parsed (syntax error, missing ntc template, bad source).',
  },
  NP_ERR_TEMPLATE_SOURCE: {
    status: 400,
    expose: true,
    message: '%s',
    doc: 'A template source is not allowed: `file://` outside the template directories, remote sources switched off, timeout or size limit.',
  },
  NP_ERR_TEMPLATE_LIMIT: {
    status: 400,
    expose: true,
    message: '%s',
    doc: 'A template, JSONata expression or template regex exceeded the sandbox limits (`templates.sandbox.*`: time, memory, result size); only that request or job fails.',
  },
  NP_ERR_SANDBOX_BUSY: {
    status: 429,
    expose: true,
    message: '%s',
    doc: 'Every template sandbox process is busy and `templates.sandbox.queue` tasks already wait; retry later.',
  },
  NP_ERR_REGEX_LIMIT: {
    status: 400,
    expose: true,
    message: '%s',
    doc: 'A regex from the request (`expect_string`, `error_pattern`, `terminator`, …) cannot run in linear time (lookaround, backreference) or is too long.',
  },
  NP_ERR_OUTBOUND_DENIED: {
    status: 400,
    expose: true,
    message: '%s',
    doc: 'A webhook or remote template URL targets a loopback, link-local, unspecified or multicast address that no allow-list names.',
  },
  NP_ERR_DEVICE_CONNECT: {
    status: 502,
    expose: false,
    message: '%s',
    doc: 'The device cannot be reached (refused, unreachable, DNS) — job error type `ConnectionError`.',
  },
  NP_ERR_DEVICE_AUTH: {
    status: 502,
    expose: false,
    message: '%s',
    doc: 'The device rejected the credentials — job error type `AuthenticationError`.',
  },
  NP_ERR_DEVICE_TIMEOUT: {
    status: 504,
    expose: false,
    message: '%s',
    doc: 'The device did not answer in time (connect, prompt or read timeout) — job error type `TimeoutError`.',
  },
  NP_ERR_DEVICE_COMMAND: {
    status: 502,
    expose: false,
    message: '%s',
    doc: 'The device reported an error for a command or configuration line — job error type `CommandError`.',
  },
  NP_ERR_DEVICE_CLOSED: {
    status: 502,
    expose: false,
    message: '%s',
    doc: 'The device closed the session mid-operation — job error type `ConnectionClosedError`.',
  },
  NP_ERR_DEVICE_PROMPT: {
    status: 502,
    expose: false,
    message: '%s',
    doc: 'The device prompt was not recognised for the platform — job error type `PromptError`.',
  },
  NP_ERR_OUTPUT_LIMIT: {
    status: 502,
    expose: false,
    message: '%s',
    doc: 'A command or job produced more output than `drivers.output.max_command_bytes` / `max_job_bytes`; the job fails and keeps the output that fit in `result.error.partial_output`.',
  },
  NP_ERR_JOB_TIMEOUT: {
    status: 504,
    expose: false,
    message: 'Job exceeded execution_timeout of %s s',
    doc: 'A job ran longer than its `execution_timeout`; the device session was closed.',
  },
  NP_ERR_JOB_EXPIRED: {
    status: 410,
    expose: true,
    message: 'Job waited longer than its ttl of %s s in the queue',
    doc: 'A queued job was not started within its `ttl`; it ends `failed`.',
  },
  NP_ERR_WORKER_LOST: {
    status: 500,
    expose: false,
    message: 'Worker lost: node %s stopped while the job was running',
    doc: 'The node running the job died; the job is failed, never re-run silently.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_TABLE;

/** The one error root. `type` is the short class-like name shown in job results (`result.error.type`). */
export class NetPulseError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Safe, non-secret detail for the envelope's `data` (e.g. validation items). */
  readonly data: unknown;
  readonly type: string;

  constructor(code: ErrorCode, message?: string, opts: { data?: unknown; type?: string; cause?: unknown } = {}) {
    super(message ?? ERROR_TABLE[code].message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'NetPulseError';
    this.code = code;
    this.status = ERROR_TABLE[code].status;
    this.data = opts.data ?? null;
    this.type = opts.type ?? defaultType(code);
  }
}

const TYPE_BY_CODE: Partial<Record<ErrorCode, string>> = {
  NP_ERR_DEVICE_CONNECT: 'ConnectionError',
  NP_ERR_DEVICE_AUTH: 'AuthenticationError',
  NP_ERR_DEVICE_TIMEOUT: 'TimeoutError',
  NP_ERR_DEVICE_COMMAND: 'CommandError',
  NP_ERR_DEVICE_CLOSED: 'ConnectionClosedError',
  NP_ERR_DEVICE_PROMPT: 'PromptError',
  NP_ERR_JOB_TIMEOUT: 'JobTimeoutError',
  NP_ERR_JOB_EXPIRED: 'JobExpiredError',
  NP_ERR_WORKER_LOST: 'WorkerLostError',
  NP_ERR_VALIDATION: 'ValidationError',
  NP_ERR_TEMPLATE: 'TemplateError',
  NP_ERR_TEMPLATE_SOURCE: 'TemplateSourceError',
  NP_ERR_NO_CAPACITY: 'WorkerUnavailableError',
  NP_ERR_TEMPLATE_LIMIT: 'TemplateLimitError',
  NP_ERR_REGEX_LIMIT: 'RegexLimitError',
  NP_ERR_OUTPUT_LIMIT: 'OutputLimitError',
};

function defaultType(code: ErrorCode): string {
  return TYPE_BY_CODE[code] ?? 'NetPulseError';
}

/** The table message of `code` with its `%s` placeholders filled in order. */
export function messageOf(code: ErrorCode, ...args: unknown[]): string {
  let i = 0;
  return ERROR_TABLE[code].message.replace(/%s/g, () => String(args[i++] ?? ''));
}

/** Builds a coded error, filling `%s` placeholders of the table message in order. */
export function npError(code: ErrorCode, ...args: unknown[]): NetPulseError {
  return new NetPulseError(code, messageOf(code, ...args));
}

/** The `{type, message}` a job result stores for `code` (e.g. an expired or worker-lost job). */
export function jobError(code: ErrorCode, ...args: unknown[]): { type: string; message: string } {
  return { type: defaultType(code), message: messageOf(code, ...args) };
}

/** The short type name of `code` in job results, e.g. `ConnectionError`. */
export function typeOf(code: ErrorCode): string {
  return defaultType(code);
}

/** One item of a validation error list: `loc` is the path to the field, `msg` what is wrong. */
export interface ValidationItem {
  loc: (string | number)[];
  msg: string;
}

export function validationError(items: ValidationItem[]): NetPulseError {
  return new NetPulseError('NP_ERR_VALIDATION', 'Validation Error', { data: items });
}

export function isNetPulseError(e: unknown): e is NetPulseError {
  return e instanceof NetPulseError;
}
