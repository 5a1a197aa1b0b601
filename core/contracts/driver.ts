import type { ConnectionArgs, JsonSchema, Logger, QueueStrategy } from './common.ts';

/**
 * Driver contract: how NetPulse talks to a device.
 *
 * A driver is stateless; each connection is a {@link DriverSession}. The worker decides whether a
 * session is kept between jobs (pinned) or closed after the job (fifo), so drivers never cache
 * sessions themselves. Errors must be thrown as `NetPulseError` with a device code
 * (`NP_ERR_DEVICE_CONNECT|AUTH|TIMEOUT|COMMAND|CLOSED|PROMPT`) and the device's own words.
 *
 * Plugin kind: `driver`. Other plugins look drivers up by name through the {@link DriverRegistry}
 * (DI token `DRIVER_REGISTRY`), e.g. a driver that builds its sessions on another driver's.
 */
export interface Driver<Prepared = unknown> {
  /** Name clients send in `driver` (e.g. `netmiko`). */
  readonly name: string;
  /** Queue strategy used when the request has no `queue_strategy`. */
  readonly defaultQueueStrategy: QueueStrategy;
  /** JSON schemas validated (ajv) at accept time, before anything is queued. */
  readonly schemas: DriverSchemas;
  /**
   * Optional operations this driver provides beyond send/config. A request that needs one the
   * driver does not declare is answered 501 `NP_ERR_NOT_IMPLEMENTED` before anything is queued
   * (see {@link requiredCapability}).
   */
  readonly capabilities?: DriverCapabilities;
  /**
   * Semantic checks beyond the schemas (e.g. "`save` needs config") and the one place where
   * `driver_args` become the driver's typed options. Called at accept time (throw
   * `validationError([...])` to reject with 400) and once more on the node, where the result
   * reaches the session as {@link DriverRequest.prepared}.
   */
  prepare?(req: DriverRequestBase): Prepared;
  /**
   * The platform name parsers (ntc-templates index, TTP) know this `device_type` by, aliases
   * resolved (e.g. netmiko `juniper` → `juniper_junos`); null when the driver has no mapping.
   */
  parserPlatform?(deviceType: string): string | null;
  /**
   * Optional: rewrites connection_args before anything else looks at them, for drivers whose
   * reference accepts aliases (napalm: `hostname` for `host`). Returns a new object. Core calls it
   * in one place, `connectionArgsFor` (core/jobs/request.ts), before the `host` check.
   */
  normalizeConnectionArgs?(args: ConnectionArgs): ConnectionArgs;
  /**
   * Identity of a session: two requests whose keys are equal may share a pinned session.
   * Must change when any credential or connection argument changes (e.g. a new password),
   * and must not contain secrets in clear (hash them).
   */
  sessionKey(args: ConnectionArgs): string;
  /** Opens a session. Honour `ctx.signal`: abort means give up and release everything. */
  connect(args: ConnectionArgs, ctx: DriverContext): Promise<DriverSession<Prepared>>;
  /** `POST /device/test`: connect, identify, close. Returns `{driver, host, ...}` without nulls. */
  test(args: ConnectionArgs, ctx: DriverContext): Promise<Record<string, unknown>>;
}

/** Optional capabilities a driver declares; absent means "not supported" (501 when requested). */
export interface DriverCapabilities {
  /** Structured getters (NAPALM-style `get_facts`, …): the names the driver answers. */
  getters?: readonly string[];
  /** Configuration transactions: candidate, diff, `dry_run` discard, commit with message/revert timer. */
  transactions?: boolean;
  /** File transfer (`driver_args.file_transfer`, SFTP/SCP). */
  fileTransfer?: boolean;
}

export type CapabilityName = keyof DriverCapabilities;

/**
 * NAPALM getter names a client may send as commands. A request made only of these needs the
 * `getters` capability; core never calls arbitrary names (an allow-list, not attribute lookup).
 */
export const GETTER_NAMES: readonly string[] = [
  'get_arp_table',
  'get_bgp_config',
  'get_bgp_neighbors',
  'get_bgp_neighbors_detail',
  'get_config',
  'get_environment',
  'get_facts',
  'get_firewall_policies',
  'get_interfaces',
  'get_interfaces_counters',
  'get_interfaces_ip',
  'get_ipv6_neighbors_table',
  'get_lldp_neighbors',
  'get_lldp_neighbors_detail',
  'get_mac_address_table',
  'get_network_instances',
  'get_ntp_peers',
  'get_ntp_servers',
  'get_ntp_stats',
  'get_optics',
  'get_probes_config',
  'get_route_to',
  'get_snmp_information',
  'get_users',
  'get_vlans',
  // NAPALM's liveness check, answered from the driver's allow-list like a getter (never a CLI command).
  'is_alive',
];

/**
 * The capability a request needs, or null: `file_transfer` in driver_args → `fileTransfer`;
 * a config request with `dry_run`, a commit `message` or `revert_in` → `transactions`; a command
 * request made only of getter names → `getters`.
 */
export function requiredCapability(req: DriverRequestBase, commands: readonly string[] | null): CapabilityName | null {
  const a = req.driver_args ?? {};
  if (a.file_transfer !== undefined && a.file_transfer !== null) return 'fileTransfer';
  if (req.operation === 'config') {
    const tx = req.options.dry_run === true || (a.message ?? null) !== null || (a.revert_in ?? null) !== null;
    return tx ? 'transactions' : null;
  }
  if (commands && commands.length > 0 && commands.every((c) => GETTER_NAMES.includes(c))) return 'getters';
  return null;
}

/** Whether `driver` declares `cap` (for getters: declares every name asked for). */
export function hasCapability(driver: Driver, cap: CapabilityName, commands: readonly string[] | null): boolean {
  const c = driver.capabilities;
  if (cap === 'getters') return !!c?.getters && (commands ?? []).every((n) => c.getters?.includes(n));
  return c?.[cap] === true;
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

/** What a driver's `prepare` sees of a job request (already schema-validated, defaults applied). */
export interface DriverRequestBase {
  connection_args: ConnectionArgs;
  driver_args: Record<string, unknown>;
  operation: 'command' | 'config';
  /** Top-level extras declared in {@link DriverSchemas.requestFields}, e.g. `{save: true}`. */
  options: Record<string, unknown>;
}

/** What a session sees of a job request: the base plus what the driver's `prepare` returned. */
export interface DriverRequest<Prepared = unknown> extends DriverRequestBase {
  /** Absent when a caller drives a session directly (tests, scripts); the session then prepares itself. */
  prepared?: Prepared;
}

/** One command's result from a CLI-style driver: its text, or structured data when the driver parsed it. */
export type CommandOutput = string | Record<string, unknown> | unknown[];

/**
 * Result of `send`, in the reference shapes: `{[command]: output}` for CLI drivers (netmiko,
 * napalm getters), `{[command]: {output, error, exit_status}}` for exec drivers (paramiko), a list
 * of `{command, result, encoding}` for eAPI.
 */
export type SendResult = Record<string, CommandOutput | ExecOutput> | EapiEntry[];

/** Result of `config`: the device's output per step (e.g. netmiko `[output, commit?, save?]`, napalm `[diff]`). */
export type ConfigResult = unknown[] | Record<string, unknown>;

export interface ExecOutput {
  output: string;
  error: string;
  exit_status: number;
  /** paramiko file transfers: `{success, local_path, remote_path, bytes_transferred, total_bytes, resumed}`. */
  transfer_result?: object;
}

export interface EapiEntry {
  command: string;
  result: unknown;
  encoding: 'json' | 'text';
}

export interface DriverContext {
  log: Logger;
  /** Aborted when the job's execution_timeout expires or the worker stops. */
  signal: AbortSignal;
}

/** One open connection to a device. */
export interface DriverSession<Prepared = unknown> {
  /** Runs show/exec commands (or getters, for a driver with the `getters` capability). */
  send(commands: string[], req: DriverRequest<Prepared>, ctx: DriverContext): Promise<SendResult>;
  /** Applies configuration lines (a transaction, for a driver with the `transactions` capability). */
  config(lines: string[], req: DriverRequest<Prepared>, ctx: DriverContext): Promise<ConfigResult>;
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

/** Drivers by name, as a plugin sees them (DI token `DRIVER_REGISTRY`). Look up at connect time, not in `register`. */
export interface DriverRegistry {
  /** The driver, or `NP_ERR_UNKNOWN_DRIVER`. */
  get(name: string): Driver;
  names(): string[];
}
