import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NetPulseError } from '../errors.ts';
import type { PluginRegistry } from './registry.ts';

/** npm package names (scoped or not), optionally with a subpath. */
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*(\/[A-Za-z0-9._~/-]+)?$/;
const MODULE_FILE = /\.(ts|mts|js|mjs)$/;

/**
 * Checks a configured plugin reference before anything is imported: a file path (absolute or
 * `./`/`../`, ending in .ts/.js/.mjs/.mts) or a package name. Only configuration reaches here —
 * request strings never name modules.
 */
export function validateModuleRef(ref: unknown): string {
  if (typeof ref !== 'string' || ref.length === 0 || ref.length > 512 || /[\0\n\r]/.test(ref)) {
    throw new NetPulseError('NP_ERR_PLUGIN_NAME', `Invalid plugin name: ${JSON.stringify(String(ref).slice(0, 64))}`);
  }
  const isPath = isAbsolute(ref) || ref.startsWith('./') || ref.startsWith('../');
  if (isPath ? !MODULE_FILE.test(ref) : !PACKAGE_NAME.test(ref)) {
    throw new NetPulseError(
      'NP_ERR_PLUGIN_NAME',
      `Invalid plugin name: ${JSON.stringify(ref.slice(0, 64))} (expected a .ts/.js file path or a package name)`,
    );
  }
  return ref;
}

/** Imports one module and adds every manifest it exports (default export, array, or `plugins`). */
export async function loadPluginModule(registry: PluginRegistry, ref: string, baseDir: string): Promise<number> {
  validateModuleRef(ref);
  const isPath = isAbsolute(ref) || ref.startsWith('./') || ref.startsWith('../');
  const target = isPath ? resolve(baseDir, ref) : ref;
  if (isPath && !existsSync(target))
    throw new NetPulseError('NP_ERR_PLUGIN_LOAD', `Cannot load plugin ${ref}: file ${target} does not exist`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(isPath ? pathToFileURL(target).href : target)) as Record<string, unknown>;
  } catch (e) {
    throw new NetPulseError('NP_ERR_PLUGIN_LOAD', `Cannot load plugin ${ref}: ${(e as Error).message.split('\n')[0]}`, {
      cause: e,
    });
  }
  const exported = mod.default ?? mod.plugins;
  const manifests = Array.isArray(exported) ? exported : [exported];
  for (const m of manifests) registry.add(m, ref);
  return manifests.length;
}

/**
 * Loads the built-in catalogue (a module whose default export is a list of module paths relative
 * to it) and then third-party modules, the same way.
 */
export async function loadPlugins(
  registry: PluginRegistry,
  opts: { root: string; builtin: string | null; modules: string[]; dirs: (string | null)[] },
): Promise<void> {
  if (opts.builtin) {
    const catalogue = resolve(opts.root, opts.builtin);
    const mod = (await import(pathToFileURL(catalogue).href)) as { default: string[] };
    const base = resolve(catalogue, '..');
    for (const ref of mod.default) await loadPluginModule(registry, ref, base);
  }
  for (const ref of opts.modules) await loadPluginModule(registry, ref, opts.root);
  for (const dir of opts.dirs) {
    if (!dir) continue;
    const abs = resolve(opts.root, dir);
    if (!existsSync(abs) || !statSync(abs).isDirectory())
      throw new NetPulseError('NP_ERR_PLUGIN_LOAD', `Cannot load plugin directory ${dir}: not a directory`);
    for (const f of readdirSync(abs).sort()) {
      const p = join(abs, f);
      if (MODULE_FILE.test(f) && !f.endsWith('.d.ts')) await loadPluginModule(registry, p, abs);
      else if (existsSync(join(p, 'index.ts'))) await loadPluginModule(registry, join(p, 'index.ts'), abs);
    }
  }
}
