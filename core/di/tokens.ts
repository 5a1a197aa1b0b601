/** DI tokens of core services (contract tokens live beside their contracts in core/contracts). */
export const CONFIG = Symbol.for('netpulse.Config');
export const LOGGER = Symbol.for('netpulse.Logger');
export const PLUGIN_REGISTRY = Symbol.for('netpulse.PluginRegistry');
export const JOB_SERVICE = Symbol.for('netpulse.JobService');
export const TEMPLATE_SERVICE = Symbol.for('netpulse.TemplateService');
export const NODE_RUNTIME = Symbol.for('netpulse.NodeRuntime');
/** The in-process job event source (core/events/job-events.ts): `subscribe`, `follow`, `replay`. */
export const JOB_EVENTS = Symbol.for('netpulse.JobEvents');
