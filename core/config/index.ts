export { defineConfig } from './define.ts';
export { loadConfig, validateConfig, deepMerge, envOverrides, expandVars, coerceEnv } from './load.ts';
export type { LoadOptions, LoadedConfig } from './load.ts';
export { CONFIG_SCHEMA, secretKeyPaths } from './schema.ts';
export type { NetPulseConfig, NetPulseConfigInput } from './types.ts';
