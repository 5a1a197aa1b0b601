/**
 * DI tokens of core services. Every one is registered by the composition root (core/app/bootstrap.ts)
 * and resolvable from the application container and from each plugin's child container. The
 * contract tokens `BROKER` and `NODE_SELECTOR` live beside their contracts in core/contracts.
 */
export const CONFIG = Symbol.for('netpulse.Config');
export const LOGGER = Symbol.for('netpulse.Logger');
export const PLUGIN_REGISTRY = Symbol.for('netpulse.PluginRegistry');
/** `DriverRegistry` (core/contracts/driver.ts): drivers by name (what a plugin needs to build on another driver). */
export const DRIVER_REGISTRY = Symbol.for('netpulse.DriverRegistry');
export const JOB_SERVICE = Symbol.for('netpulse.JobService');
export const TEMPLATE_SERVICE = Symbol.for('netpulse.TemplateService');
export const WEBHOOK_DISPATCHER = Symbol.for('netpulse.WebhookDispatcher');
export const NODE_RUNTIME = Symbol.for('netpulse.NodeRuntime');
/** The in-process job event source (core/events/job-events.ts): `subscribe`, `follow`, `replay`. */
export const JOB_EVENTS = Symbol.for('netpulse.JobEvents');
/**
 * The broker as the HTTP API uses it (core/broker/fail-fast.ts): bounded waits, 503 while it is
 * unreachable. Worker nodes use `BROKER` itself, whose blocking reads wait out a restart.
 */
export const API_BROKER = Symbol.for('netpulse.ApiBroker');
/** `Keyring` (core/security/sealed.ts): `server.secret_key` (+ previous) sealing stored job requests. */
export const SECRET_KEYRING = Symbol.for('netpulse.SecretKeyring');
/** `NetPulseMetrics` (core/observability/metrics.ts): this process's Prometheus registry; plugins may add metrics. */
export const METRICS = Symbol.for('netpulse.Metrics');
/** The OpenTelemetry `Tracer` NetPulse's spans come from (a no-op unless `telemetry.otlp_endpoint` is set). */
export const TRACER = Symbol.for('netpulse.Tracer');
/** The plugin's own name, `<kind>:<name>`, in a plugin's child container. */
export const PLUGIN_ID = Symbol.for('netpulse.PluginId');
