import type { ConnectionArgs, JsonSchema, Logger, QueueStrategy } from './common.ts';

/**
 * Driver contract: how NetPulse talks to a device.
 *
 * A driver is stateless; each connection is a {@link DriverSession}. The worker decides whether a
 * session is kept between jobs (pinned) or closed after the job (fifo), so drivers never cache
 * sessions themselves. Errors must be thrown as `NetPulseError` with a device code
 * (`NP_ERR_DEVICE_CONNECT|AUTH|TIMEOUT|COMMAND|CLOSED|PROMPT`) and the device's own words.
 *
 * DI token: {@link DRIVER}. Plugin kind: `driver`.
 */
export interface Driver {
  /** Name clients send in `driver` (e.g. `netmiko`). */
  readonly name: string;
  /** Queue strategy used when the request has no `queue_strategy`. */
  readonly defaultQueueStrategy: QueueStrategy;
  /** JSON schemas validated (ajv) at accept time, before anything is queued. */
  readonly schemas: DriverSchemas;
  /**
   * Optional semantic checks beyond the schemas (e.g. "`save` needs config").
   * Throw `validationError([...])` to reject with 400.
   */
  validate?(req: DriverRequest): void;
  /**
   * Optional: rewrites connection_args before anything else looks at them, for drivers whose
   * reference accepts aliases (napalm: `hostname` for `host`). Returns a new object.
   */
  normalizeConnectionArgs?(args: ConnectionArgs): ConnectionArgs;
  /**
   * Identity of a session: two requests whose keys are equal may share a pinned session.
   * Must change when any credential or connection argument changes (e.g. a new password),
   * and must not contain secrets in clear (hash them).
   */
  sessionKey(args: ConnectionArgs): string;
  /** Opens a session. Honour `ctx.signal`: abort means give up and release everything. */
  connect(args: ConnectionArgs, ctx: DriverContext): Promise<DriverSession>;
  /** `POST /device/test`: connect, identify, close. Returns `{driver, host, ...}` without nulls. */
  test(args: ConnectionArgs, ctx: DriverContext): Promise<Record<string, unknown>>;
}

export interface DriverSchemas {
  /** Schema of `connection_args` (after defaults). */
  connectionArgs: JsonSchema;
  /** Schema of `driver_args` for `command` requests. Unknown keys should be rejected. */
  commandArgs: JsonSchema;
  /** Schema of `driver_args` for `config` requests. */
  configArgs: JsonSchema;
  /** Extra top-level request fields the driver accepts (e.g. `save`, `enable_mode`, `dry_run`). */
  requestFields?: Record<string, JsonSchema>;
}

/** What a driver sees of a job request (already validated, defaults applied). */
export interface DriverRequest {
  connection_args: ConnectionArgs;
  driver_args: Record<string, unknown>;
  operation: 'command' | 'config';
  /** Top-level extras declared in {@link DriverSchemas.requestFields}, e.g. `{save: true}`. */
  options: Record<string, unknown>;
}

export interface DriverContext {
  log: Logger;
  /** Aborted when the job's execution_timeout expires or the worker stops. */
  signal: AbortSignal;
}

/** One open connection to a device. */
export interface DriverSession {
  /**
   * Runs show/exec commands. Returns the reference result shape: for CLI drivers
   * `{[command]: output}` (output structured when the driver parsed it).
   */
  send(commands: string[], req: DriverRequest, ctx: DriverContext): Promise<unknown>;
  /** Applies configuration lines. Returns the reference result shape (e.g. netmiko: `[output, commit?, save?]`). */
  config(lines: string[], req: DriverRequest, ctx: DriverContext): Promise<unknown>;
  /**
   * Cheap liveness probe used for pinned keepalive (e.g. send a newline and see a prompt).
   * Resolves false (never throws) when the session is dead.
   */
  probe(ctx: DriverContext): Promise<boolean>;
  /** Discards stale output so the next job starts clean. Called before each job on a reused session. */
  reset?(ctx: DriverContext): Promise<void>;
  /** Idempotent; never throws. */
  close(): Promise<void>;
  /** False once the transport is known to be closed. */
  readonly alive: boolean;
}

export const DRIVER = Symbol.for('netpulse.Driver');
