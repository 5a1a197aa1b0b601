import type { PluginRegistry } from '../../plugin/registry.ts';

export interface DriverEntry {
  name: string;
  default_queue_strategy: string;
  /** The platform list (`connection_args.device_type` enum) when the driver declares one. */
  device_types: string[] | null;
  /** Extra top-level request fields the driver accepts (`save`, `enable_mode`, …). */
  request_fields: { name: string; type: string | null; description: string | null }[];
}

/** What the Run page and the template playground offer: loaded drivers with their platforms, renderers, parsers. */
export function catalog(registry: PluginRegistry, apiKeyName: string) {
  const drivers: DriverEntry[] = registry.names('driver').map((name) => {
    const d = registry.get('driver', name);
    const props = (d.schemas.connectionArgs as { properties?: Record<string, { enum?: unknown[] }> }).properties ?? {};
    const types = props.device_type?.enum?.filter((t): t is string => typeof t === 'string') ?? null;
    const fields = Object.entries(d.schemas.requestFields ?? {}).map(([field, schema]) => {
      const sc = schema as { type?: unknown; description?: unknown };
      return {
        name: field,
        type: typeof sc.type === 'string' ? sc.type : null,
        description: typeof sc.description === 'string' ? sc.description : null,
      };
    });
    return {
      name,
      default_queue_strategy: d.defaultQueueStrategy,
      device_types: types ? [...types].sort() : null,
      request_fields: fields,
    };
  });
  return {
    api_key_name: apiKeyName,
    drivers,
    renderers: registry.names('renderer'),
    parsers: registry.names('parser'),
  };
}
