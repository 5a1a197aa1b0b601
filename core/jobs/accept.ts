import { randomUUID } from 'node:crypto';
import type { NewJob } from '../contracts/broker.ts';
import type { ConnectionArgs, QueueStrategy } from '../contracts/common.ts';
import { type Driver, type DriverRequestBase, hasCapability, requiredCapability } from '../contracts/driver.ts';
import type { NetPulseConfig } from '../config/types.ts';
import type { PluginRegistry } from '../plugin/registry.ts';
import { NetPulseError, type ValidationItem, validationError } from '../errors.ts';
import { compile, toItems } from '../validation.ts';
import { FIFO_QUEUE, hostQueue } from './names.ts';
import {
  connectionArgsFor,
  type JobRequest,
  type ParsingSpec,
  type RenderingSpec,
  toDriverRequest,
  type WebhookSpec,
} from './request.ts';
import { storePathProblems } from '../state/dir.ts';
import {
  ignoreUnknownDeviceKeys,
  ignoreUnknownKeys,
  ignoreUnknownKeysIfLenient,
  type WarningList,
} from './warnings.ts';
import { requestMeta } from './request-meta.ts';

const DRIVER_FIELDS = ['save', 'enable_mode', 'dry_run'] as const;

const CAPABILITY_LABEL = {
  getters: 'getters',
  transactions: 'configuration transactions',
  fileTransfer: 'file transfer',
};

/**
 * The one validation entry point of an exec request (after the route's JSON schema), in the
 * reference's order: command xor
 * config, rendering iff the payload is an object, a host, a known driver, capabilities the request
 * needs, the driver's own schemas (model chosen by operation) and `prepare`, known
 * renderer/parser/webhook names — all before anything is queued. Returns the typed request.
 * Ignored keys go to `warnings` (the request's list; none = dropped silently).
 */
export function acceptExec(
  body: Record<string, unknown>,
  registry: PluginRegistry,
  config: NetPulseConfig,
  warnings?: WarningList,
  locPrefix: (string | number)[] = ['body'],
): JobRequest {
  const items: ValidationItem[] = [];
  const hasCommand = body.command !== null && body.command !== undefined;
  const hasConfig = body.config !== null && body.config !== undefined;
  if (hasCommand === hasConfig)
    items.push({ loc: [...locPrefix], msg: 'Either `config` or `command` must be set, but not both' });
  const payload = (hasCommand ? body.command : body.config) as unknown;
  const isObjectPayload = typeof payload === 'object' && payload !== null && !Array.isArray(payload);
  const rendering = (body.rendering ?? null) as RenderingSpec | null;
  if (hasCommand !== hasConfig && isObjectPayload !== (rendering !== null)) {
    items.push({ loc: [...locPrefix, 'rendering'], msg: '`rendering` should be set when command/config is a dict' });
  }
  if (Array.isArray(payload) && payload.length === 0)
    items.push({ loc: [...locPrefix, hasCommand ? 'command' : 'config'], msg: 'List should have at least 1 item' });
  if (items.length) throw validationError(items);

  const driverName = String(body.driver);
  const named = registry.has('driver', driverName) ? registry.get('driver', driverName) : null;
  const conn = connectionArgsFor(named, body.connection_args);
  if (typeof conn.host !== 'string' || conn.host === '')
    throw validationError([
      { loc: [...locPrefix, 'connection_args', 'host'], msg: "'host' in connection_args is required" },
    ]);
  const driver = registry.get('driver', driverName);

  const operation = hasCommand ? 'command' : 'config';
  const strategy = (body.queue_strategy as QueueStrategy | null) ?? driver.defaultQueueStrategy;
  const lines = isObjectPayload ? null : typeof payload === 'string' ? [payload] : (payload as string[]);
  const parsing = (body.parsing as Record<string, unknown> | null) ?? null;
  const webhook = (body.webhook as Record<string, unknown> | null) ?? null;
  const req: JobRequest = {
    driver: driver.name,
    host: conn.host,
    connection_args: Object.assign(ownCopy(conn), { host: conn.host }),
    driver_args: ownCopy((body.driver_args as Record<string, unknown> | null) ?? {}),
    operation,
    payload: lines ?? (payload as Record<string, unknown>),
    rendering,
    parsing: parsing ? ({ ...parsing, name: String(parsing.name ?? '') } as ParsingSpec) : null,
    queue_strategy: strategy,
    ttl: (body.ttl as number | null) ?? config.job.ttl,
    execution_timeout: (body.execution_timeout as number | null) ?? config.job.timeout,
    result_ttl: (body.result_ttl as number | null) ?? config.job.result_ttl,
    webhook: webhook ? ({ ...webhook, name: String(webhook.name ?? 'basic') } as WebhookSpec) : null,
    options: {},
  };
  for (const f of DRIVER_FIELDS) if (body[f] !== undefined) req.options[f] = body[f];
  checkCapability(driver, req, lines);
  validateForDriver(driver, req, locPrefix, warnings);
  if (rendering) {
    if (!rendering.name)
      throw validationError([{ loc: [...locPrefix, 'rendering', 'name'], msg: 'Renderer name is required' }]);
    registry.get('renderer', rendering.name);
  }
  if (req.parsing) {
    if (!req.parsing.name)
      throw validationError([{ loc: [...locPrefix, 'parsing', 'name'], msg: 'Parser name is required' }]);
    registry.get('parser', req.parsing.name);
  }
  if (req.webhook) registry.get('webhook', req.webhook.name);
  return req;
}

/**
 * A copy the request may change (driver defaults are filled in place): a shallow one when every
 * value is a primitive (the common case, and several times cheaper), else a deep one. Copied with
 * Object.assign, not `{...conn}`: in this V8 a spread of these objects gave each copy a map of its
 * own, which made every later property loop over it (ajv's, JSON.stringify's) several times slower.
 */
function ownCopy<T extends Record<string, unknown>>(conn: T): T {
  for (const k in conn) {
    const v = conn[k];
    if (v !== null && typeof v === 'object') return structuredClone(conn);
  }
  return Object.assign({}, conn);
}

/** A request that needs a capability the driver does not declare → 501 NP_ERR_NOT_IMPLEMENTED. */
function checkCapability(driver: Driver, req: DriverRequestBase, lines: readonly string[] | null): void {
  const cap = requiredCapability(req, lines);
  if (cap && !hasCapability(driver, cap, lines)) {
    throw new NetPulseError(
      'NP_ERR_NOT_IMPLEMENTED',
      `Driver ${driver.name} does not support ${CAPABILITY_LABEL[cap]} (capability ${cap})`,
    );
  }
}

/** Validates connection_args, driver_args (by operation), request fields and the driver's `prepare`. */
export function validateForDriver(
  driver: Driver,
  req: Partial<DriverRequestBase> & { connection_args: ConnectionArgs },
  locPrefix: (string | number)[],
  warnings?: WarningList,
): void {
  const items: ValidationItem[] = [];
  // The reference ignores extra connection_args keys (and pyeapi's free-form driver_args): warn, never fail.
  ignoreUnknownKeys(
    req.connection_args,
    driver.schemas.connectionArgs,
    [...locPrefix, 'connection_args'],
    `${driver.name} connection argument`,
    warnings,
  );
  const argsSchema = req.operation === 'config' ? driver.schemas.configArgs : driver.schemas.commandArgs;
  if (req.operation)
    ignoreUnknownKeysIfLenient(
      req.driver_args,
      argsSchema,
      [...locPrefix, 'driver_args'],
      `${driver.name} driver argument`,
      warnings,
    );
  items.push(...storePathProblems(req.connection_args, [...locPrefix, 'connection_args']));
  const connFn = compile(driver.schemas.connectionArgs);
  if (!connFn(req.connection_args)) items.push(...toItems(connFn.errors, [...locPrefix, 'connection_args']));
  if (req.operation) {
    const argsFn = compile(argsSchema);
    if (!argsFn(req.driver_args ?? {})) items.push(...toItems(argsFn.errors, [...locPrefix, 'driver_args']));
  }
  const fields = driver.schemas.requestFields ?? {};
  for (const [k, v] of Object.entries(req.options ?? {})) {
    const schema = fields[k];
    if (!schema) {
      items.push({ loc: [...locPrefix, k], msg: `Not supported by driver ${driver.name}` });
      continue;
    }
    const fn = compile(schema);
    if (!fn(v)) items.push(...toItems(fn.errors, [...locPrefix, k]));
  }
  if (items.length) throw validationError(items);
  if (req.operation) {
    toDriverRequest(driver, {
      connection_args: req.connection_args,
      driver_args: req.driver_args ?? {},
      operation: req.operation,
      options: req.options ?? {},
    });
  }
}

/**
 * Expands a bulk request (the reference's overlay; unlike it, hosts are deduplicated and every
 * device is validated): each device overlays the keys it sets (non-null) on `connection_args`; duplicate hosts are merged (last definition wins, one job per host); every
 * expanded device is validated. Returns the requests and the hosts rejected with a reason.
 */
export function expandBulk(
  body: Record<string, unknown>,
  registry: PluginRegistry,
  config: NetPulseConfig,
  warnings?: WarningList,
): { requests: JobRequest[]; failed: { host: string | null; reason: string }[] } {
  const devices = (body.devices ?? []) as ConnectionArgs[];
  const driver = registry.get('driver', String(body.driver));
  ignoreUnknownDeviceKeys(
    devices,
    driver.schemas.connectionArgs,
    ['body', 'devices'],
    `${driver.name} connection argument`,
    warnings,
  );
  // Built without `delete`, which would leave every per-device copy in slow dictionary mode.
  const base: Record<string, unknown> = {};
  for (const k in body) if (k !== 'devices') base[k] = body[k];
  const baseConn = (base.connection_args ?? {}) as ConnectionArgs;
  const byHost = new Map<string, ConnectionArgs>();
  const failed: { host: string | null; reason: string }[] = [];
  devices.forEach((d, i) => {
    const merged: ConnectionArgs = Object.assign({}, baseConn);
    for (const [k, v] of Object.entries(d)) if (v !== null && v !== undefined) merged[k] = v;
    if (typeof d.host !== 'string' || d.host === '') {
      failed.push({ host: null, reason: `devices[${i}]: 'host' is required for each device` });
      return;
    }
    byHost.set(merged.host as string, merged);
  });
  const requests: JobRequest[] = [];
  let first = true;
  for (const [host, conn] of byHost) {
    try {
      requests.push(acceptExec(Object.assign({}, base, { connection_args: conn }), registry, config, warnings));
    } catch (e) {
      // A request-level problem (not device-specific) fails the whole bulk request, as a 400.
      if (first || !(e instanceof NetPulseError) || !isDeviceSpecific(e)) throw e;
      failed.push({ host, reason: describe(e) });
    }
    first = false;
  }
  return { requests, failed };
}

function isDeviceSpecific(e: NetPulseError): boolean {
  return (
    e.code === 'NP_ERR_VALIDATION' &&
    Array.isArray(e.data) &&
    (e.data as ValidationItem[]).every((i) => i.loc.includes('connection_args'))
  );
}

function describe(e: NetPulseError): string {
  if (Array.isArray(e.data))
    return (e.data as ValidationItem[]).map((i) => `${i.loc.slice(1).join('.')}: ${i.msg}`).join('; ');
  return e.message;
}

/**
 * Builds the broker job for a request and its stored form (serializeJobRequests). Non-secret
 * metadata only in `meta`, with the id of the HTTP request that submitted it.
 */
export function toNewJob(
  req: JobRequest,
  stored: Record<string, unknown>,
  now: number,
  batchId: string | null = null,
  requestId: string | null = null,
): NewJob {
  return {
    id: randomUUID(),
    batch_id: batchId,
    queue: req.queue_strategy === 'pinned' ? hostQueue(req.host) : FIFO_QUEUE,
    host: req.host,
    driver: req.driver,
    ttl: req.ttl,
    execution_timeout: req.execution_timeout,
    result_ttl: req.result_ttl,
    created_at: now,
    request: stored,
    meta: requestMeta(req, requestId),
  };
}
