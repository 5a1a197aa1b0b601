import type { PluginKind, PluginManifest } from '../contracts/plugin.ts';

/** Identity helper that gives a manifest literal its precise type. */
export function definePlugin<K extends PluginKind>(manifest: PluginManifest<K>): PluginManifest<K> {
  return manifest;
}
