import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { Ajv } from 'ajv';
import type { JsonSchema } from '../contracts/common.ts';
import { NetPulseError } from '../errors.ts';
import { CONFIG_SCHEMA } from './schema.ts';
import type { NetPulseConfig, NetPulseConfigInput } from './types.ts';
import { parseDotenv } from './dotenv.ts';

export interface LoadOptions {
  /** Project root holding netpulse.config.ts (default: cwd). */
  cwd?: string;
  /** Environment (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Extra overrides applied last (tests, CLI flags). */
  overrides?: NetPulseConfigInput;
  /** Skip netpulse.config.ts (tests that want pure defaults). */
  skipConfigTs?: boolean;
}

export interface LoadedConfig {
  config: NetPulseConfig;
  /** Where values came from, for `config print`. */
  sources: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep-merges `src` into `dst` (objects merge, everything else replaces). */
export function deepMerge(dst: Obj, src: Obj): Obj {
  for (const [k, v] of Object.entries(src)) {
    if (v === undefined) continue;
    if (isObj(v) && isObj(dst[k])) deepMerge(dst[k] as Obj, v);
    else dst[k] = isObj(v) ? deepMerge({}, v) : v;
  }
  return dst;
}

/** `${VAR}` and `${VAR:-default}` in string values, from the merged environment (env > .env). */
export function expandVars(value: unknown, vars: Record<string, string | undefined>, loc: string[] = []): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
      (_m, name: string, def: string | undefined) => {
        const v = vars[name];
        if (v !== undefined && v !== '') return v;
        if (def !== undefined) return def;
        throw new NetPulseError(
          'NP_ERR_CONFIG',
          `Invalid configuration: ${loc.join('.')} references \${${name}}, which is not set in the environment or .env`,
        );
      },
    );
  }
  if (Array.isArray(value)) return value.map((v, i) => expandVars(v, vars, [...loc, String(i)]));
  if (isObj(value)) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) out[k] = expandVars(v, vars, [...loc, k]);
    return out;
  }
  return value;
}

function schemaAt(path: string[]): JsonSchema | null {
  let s: JsonSchema | undefined = CONFIG_SCHEMA;
  for (const p of path) {
    const props = s?.properties as Record<string, JsonSchema> | undefined;
    s = props?.[p];
    if (!s) return null;
  }
  return s ?? null;
}

/** Resolves a case-insensitive env path (`['REDIS','TLS','ENABLED']`) to real schema keys. */
function resolveEnvPath(parts: string[]): string[] | null {
  const out: string[] = [];
  let s: JsonSchema = CONFIG_SCHEMA;
  for (const raw of parts) {
    const props = s.properties as Record<string, JsonSchema> | undefined;
    if (!props) return null;
    const key = Object.keys(props).find((k) => k.toLowerCase() === raw.toLowerCase());
    if (!key) return null;
    out.push(key);
    s = props[key];
  }
  return out;
}

/** Coerces an env string to the key's schema type. Invalid values are left as strings so validation names them. */
export function coerceEnv(raw: string, schema: JsonSchema): unknown {
  const types = ([] as unknown[]).concat(schema.type ?? 'string') as string[];
  if (types.includes('null') && (raw === '' || raw.toLowerCase() === 'null')) return null;
  if (types.includes('boolean')) {
    const v = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    return raw;
  }
  if (types.includes('integer') || types.includes('number')) {
    const n = Number(raw.trim());
    return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
  }
  if (types.includes('array')) {
    const t = raw.trim();
    if (t.startsWith('[')) {
      try {
        return JSON.parse(t);
      } catch {
        return raw;
      }
    }
    return t === ''
      ? []
      : t
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
  }
  return raw;
}

/** `NETPULSE_<SECTION>__<KEY>[__<SUB>]` variables → a nested override object. Unknown keys are errors. */
export function envOverrides(vars: Record<string, string | undefined>): Obj {
  const out: Obj = {};
  for (const [name, raw] of Object.entries(vars)) {
    if (raw === undefined || !/^NETPULSE_/i.test(name)) continue;
    const rest = name.slice('NETPULSE_'.length);
    if (!rest.includes('__')) continue; // NETPULSE_CONFIG_FILE, NETPULSE_CORPORA_DIR, … are not config keys
    const path = resolveEnvPath(rest.split('__'));
    if (!path)
      throw new NetPulseError(
        'NP_ERR_CONFIG',
        `Invalid configuration: environment variable ${name} names no configuration key`,
      );
    const schema = schemaAt(path)!;
    let cur = out;
    for (const p of path.slice(0, -1)) {
      cur[p] ??= {};
      cur = cur[p] as Obj;
    }
    const leaf = path[path.length - 1];
    if (schema.type === 'object') {
      try {
        cur[leaf] = JSON.parse(raw);
      } catch {
        throw new NetPulseError('NP_ERR_CONFIG', `Invalid configuration: ${name} must be a JSON object`);
      }
    } else cur[leaf] = coerceEnv(raw, schema);
  }
  return out;
}

let ajvInstance: Ajv | null = null;
function validator() {
  if (!ajvInstance) {
    ajvInstance = new Ajv({ allErrors: true, useDefaults: true, strict: false });
    ajvInstance.addKeyword({ keyword: 'secret', schemaType: 'boolean' });
  }
  return ajvInstance.compile(CONFIG_SCHEMA);
}

/** Validates and fills defaults. Messages name the key and the expected type, never the value. */
export function validateConfig(raw: Obj): NetPulseConfig {
  const validate = validator();
  if (!validate(raw)) {
    const msgs = (validate.errors ?? []).map((e) => {
      const key = e.instancePath.split('/').filter(Boolean).join('.');
      if (e.keyword === 'additionalProperties')
        return `${[key, (e.params as { additionalProperty: string }).additionalProperty].filter(Boolean).join('.')}: unknown key`;
      if (e.keyword === 'type')
        return `${key}: expected ${String((e.params as { type: string }).type).replace(',', ' or ')}`;
      return `${key || '(root)'}: ${e.message}`;
    });
    throw new NetPulseError('NP_ERR_CONFIG', `Invalid configuration: ${msgs.join('; ')}`, { data: msgs });
  }
  return raw as unknown as NetPulseConfig;
}

/**
 * Loads the effective configuration. Precedence (highest first): overrides > env > .env >
 * YAML file (`NETPULSE_CONFIG_FILE`) > netpulse.config.ts > schema defaults.
 */
export async function loadConfig(opts: LoadOptions = {}): Promise<LoadedConfig> {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const sources: string[] = ['defaults'];
  const merged: Obj = {};

  const tsPath = resolve(cwd, 'netpulse.config.ts');
  if (!opts.skipConfigTs && existsSync(tsPath)) {
    const mod = (await import(pathToFileURL(tsPath).href)) as { default?: Obj };
    if (mod.default) {
      deepMerge(merged, mod.default);
      sources.push(tsPath);
    }
  }

  const dotenvPath = resolve(cwd, env.NETPULSE_DOTENV ?? '.env');
  const dotenv = existsSync(dotenvPath) ? parseDotenv(readFileSync(dotenvPath, 'utf8')) : {};
  if (Object.keys(dotenv).length) sources.push(dotenvPath);
  // env wins over .env for both ${VAR} expansion and NETPULSE_* overrides.
  const vars: Record<string, string | undefined> = { ...dotenv, ...env };

  const file = vars.NETPULSE_CONFIG_FILE;
  if (file) {
    const p = isAbsolute(file) ? file : resolve(cwd, file);
    if (!existsSync(p))
      throw new NetPulseError('NP_ERR_CONFIG', `Invalid configuration: NETPULSE_CONFIG_FILE ${p} does not exist`);
    let doc: unknown;
    try {
      doc = parseYaml(readFileSync(p, 'utf8'));
    } catch (e) {
      throw new NetPulseError(
        'NP_ERR_CONFIG',
        `Invalid configuration: ${p} is not valid YAML: ${(e as Error).message.split('\n')[0]}`,
      );
    }
    if (doc != null && !isObj(doc))
      throw new NetPulseError('NP_ERR_CONFIG', `Invalid configuration: ${p} must hold a mapping`);
    const expanded = expandVars(doc ?? {}, vars) as Obj;
    resolvePluginPaths(expanded, dirname(p));
    deepMerge(merged, expanded);
    sources.push(p);
  }

  deepMerge(merged, envOverrides(dotenv));
  deepMerge(merged, envOverrides(env));
  if (opts.overrides) deepMerge(merged, opts.overrides as Obj);
  return { config: validateConfig(merged), sources };
}

/** Relative plugin module paths in a YAML file are relative to that file. */
function resolvePluginPaths(doc: Obj, base: string): void {
  const plugin = doc.plugin;
  if (!isObj(plugin) || !Array.isArray(plugin.modules)) return;
  plugin.modules = plugin.modules.map((m) =>
    typeof m === 'string' && (m.startsWith('./') || m.startsWith('../')) ? resolve(base, m) : m,
  );
}
