export { definePlugin, pluginContext } from './define.ts';
export { PluginRegistry, PLUGIN_KINDS, PLUGIN_NAME } from './registry.ts';
export { loadPlugins, loadPluginModule, validateModuleRef } from './loader.ts';
