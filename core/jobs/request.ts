import type { ConnectionArgs, JsonSchema, QueueStrategy } from '../contracts/common.ts';
import type { Driver, DriverRequest, DriverRequestBase } from '../contracts/driver.ts';
import { NetPulseError, validationError } from '../errors.ts';
import { isSealed, type Keyring, open, seal } from '../security/sealed.ts';
import { compile, toItems } from '../validation.ts';
import { isPatched, openPatched, sealBatch } from './shared-seal.ts';
import { parseRequestSchema, renderRequestSchema, webhookSchema } from './schemas.ts';

/**
 * The typed job request: built and validated once at accept time (core/jobs/accept.ts), stored
 * by the broker in its serialised form, parsed back (validated again) on the node that runs it.
 * Everything between accept and the driver uses this one type.
 */
export interface JobRequest {
  driver: string;
  /** `connection_args.host`, checked once at accept time. */
  host: string;
  connection_args: ConnectionArgs & { host: string };
  driver_args: Record<string, unknown>;
  operation: 'command' | 'config';
  /** The payload: lines after string→list, or an object to render. */
  payload: string[] | Record<string, unknown>;
  rendering: RenderingSpec | null;
  parsing: ParsingSpec | null;
  queue_strategy: QueueStrategy;
  ttl: number;
  execution_timeout: number;
  result_ttl: number;
  webhook: WebhookSpec | null;
  /** Top-level request fields the driver declared (`save`, `enable_mode`, `dry_run`). */
  options: Record<string, unknown>;
}

export interface RenderingSpec {
  name: string;
  template: string;
  context: Record<string, unknown> | null;
  args: Record<string, unknown> | null;
}

/** A parse request (`name` + template options); the parser plugin validates its own options. */
export type ParsingSpec = { name: string } & Record<string, unknown>;

/** A webhook request (`name` defaults to `basic`); the webhook plugin reads the rest. */
export type WebhookSpec = { name: string } & Record<string, unknown>;

/** Format version of the stored request; {@link parseJobRequest} refuses any other. */
export const JOB_REQUEST_VERSION = 1;

/** The stored form: what brokers keep (with the credentials) until the job starts. */
export interface StoredJobRequest extends Record<string, unknown> {
  v: number;
  request: JobRequest;
}

const obj = { type: 'object' };
const nullable = (s: JsonSchema): JsonSchema => ({ anyOf: [s, { type: 'null' }] });
const seconds = { type: 'number', exclusiveMinimum: 0 };

/** Schema of the stored form, checked on the node before anything runs. */
export const storedJobRequestSchema: JsonSchema = {
  type: 'object',
  required: ['v', 'request'],
  properties: {
    v: { const: JOB_REQUEST_VERSION },
    request: {
      type: 'object',
      required: [
        'driver',
        'host',
        'connection_args',
        'driver_args',
        'operation',
        'payload',
        'rendering',
        'parsing',
        'queue_strategy',
        'ttl',
        'execution_timeout',
        'result_ttl',
        'webhook',
        'options',
      ],
      additionalProperties: false,
      properties: {
        driver: { type: 'string', minLength: 1 },
        host: { type: 'string', minLength: 1 },
        connection_args: { type: 'object', required: ['host'], properties: { host: { type: 'string', minLength: 1 } } },
        driver_args: obj,
        operation: { enum: ['command', 'config'] },
        payload: { anyOf: [{ type: 'array', items: { type: 'string' } }, obj] },
        rendering: nullable({ ...renderRequestSchema, required: ['name', 'template'] }),
        parsing: nullable({ ...parseRequestSchema, required: ['name'] }),
        queue_strategy: { enum: ['fifo', 'pinned'] },
        ttl: seconds,
        execution_timeout: seconds,
        result_ttl: seconds,
        webhook: nullable({ ...webhookSchema, required: ['name', 'url'] }),
        options: obj,
      },
    },
  },
};

/**
 * The broker's form of a request, and the one place credentials are protected at rest: with a
 * keyring (`server.secret_key`) the whole stored form is sealed with AES-256-GCM, so nothing in
 * the broker (Redis keys, AOF, RDB) holds a submitted password. Without one it is stored as is.
 */
export function serializeJobRequest(req: JobRequest, keyring?: Keyring): Record<string, unknown> {
  // Sealing serialises the request, which is already a copy: no clone first.
  if (keyring) return seal({ v: JOB_REQUEST_VERSION, request: req }, keyring);
  return { v: JOB_REQUEST_VERSION, request: structuredClone(req) } satisfies StoredJobRequest;
}

/**
 * The stored forms of one submission's requests (a bulk request's jobs), in order. With a keyring
 * the batch shares one seal where the requests differ only in connection arguments
 * (core/jobs/shared-seal.ts); each form opens on its own with {@link parseJobRequest}.
 */
export function serializeJobRequests(reqs: JobRequest[], keyring?: Keyring): Record<string, unknown>[] {
  const whole = (r: JobRequest) => serializeJobRequest(r, keyring);
  return keyring ? sealBatch(reqs, keyring, whole) : reqs.map(whole);
}

/**
 * Parses a stored request back on the node: opens it if sealed (current or previous key), then
 * validates it; a bad or foreign-version one is a validation error.
 */
export function parseJobRequest(stored: unknown, keyring?: Keyring): JobRequest {
  if (isSealed(stored) && !keyring) {
    throw new NetPulseError(
      'NP_ERR_CONFIG',
      'Invalid configuration: the job request is sealed but this node has no server.secret_key',
    );
  }
  const check = compile(storedJobRequestSchema);
  // Validate a copy: ajv's defaults must not change what the broker handed us (open() makes a new object).
  const copy =
    keyring && isSealed(stored)
      ? isPatched(stored)
        ? openPatched(stored, keyring)
        : open(stored, keyring)
      : structuredClone(stored);
  if (!check(copy)) throw validationError(toItems(check.errors, ['request']));
  return (copy as StoredJobRequest).request;
}

/**
 * The body's `connection_args` as its driver reads them: the driver's `normalizeConnectionArgs`
 * applied (aliases such as napalm's `hostname` for `host`). The one place that hook runs, before
 * the `host` check, for the typed request (acceptExec) and for `/device/test`. `driver` is null
 * when the name is unknown; the caller reports that after its own checks.
 */
export function connectionArgsFor(driver: Driver | null, raw: unknown): ConnectionArgs {
  const conn = (raw ?? {}) as ConnectionArgs;
  return driver?.normalizeConnectionArgs ? driver.normalizeConnectionArgs(conn) : conn;
}

/**
 * What the driver sees of a request, with `driver_args` resolved into the driver's typed options
 * by its `prepare` (once per request on each side: at accept time to reject bad input with 400,
 * on the node to run). Drivers without `prepare` get `prepared: undefined`.
 */
export function toDriverRequest(driver: Driver, req: DriverRequestBase): DriverRequest {
  const base = {
    connection_args: req.connection_args,
    driver_args: req.driver_args,
    operation: req.operation,
    options: req.options,
  };
  const prepared = driver.prepare ? driver.prepare(base) : undefined;
  // A literal, not `{...base, prepared}`: in this V8 the spread gives each request a map of its own.
  return {
    connection_args: base.connection_args,
    driver_args: base.driver_args,
    operation: base.operation,
    options: base.options,
    prepared,
  };
}
