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
/** The plugin's own name, `<kind>:<name>`, in a plugin's child container. */
export const PLUGIN_ID = Symbol.for('netpulse.PluginId');
