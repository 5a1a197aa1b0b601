/**
 * Catalogue of built-in plugins, loaded exactly like third-party ones (config `plugin.builtin`
 * points here). Paths are relative to this file.
 */
export default [
  './brokers/memory/index.ts',
  './brokers/redis/index.ts',
  './drivers/napalm/index.ts',
  './drivers/netmiko/index.ts',
  './drivers/paramiko/index.ts',
  './drivers/pyeapi/index.ts',
  './schedulers/greedy/index.ts',
  './schedulers/least_load/index.ts',
  './schedulers/least_load_random/index.ts',
  './schedulers/load_weighted_random/index.ts',
  './templates/jinja2/index.ts',
  './templates/jsonata/index.ts',
  './templates/textfsm/index.ts',
  './templates/ttp/index.ts',
  './webhooks/basic/index.ts',
] as string[];
