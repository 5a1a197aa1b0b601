import { definePlugin } from '../../../core/plugin/define.ts';
import { NetmikoDriver } from './driver.ts';
import { outputCaps } from '../../../core/drivers/output-caps.ts';

export { NetmikoDriver, NetmikoSession, NetmikoConnection, canonicalJson } from './driver.ts';
export { PLATFORMS, DEVICE_TYPES, findPlatform } from './platforms/index.ts';
export { netmikoSchemas } from './schemas.ts';

/** ntc-templates platform name for a device_type (for parser lookups), or undefined. */
export { parserPlatformFor } from './parser-platform.ts';

export default definePlugin({
  kind: 'driver',
  name: 'netmiko',
  version: '1.0.0',
  description: 'Multi-vendor SSH CLI driver (netmiko-compatible), prompt-driven, with persistent sessions.',
  register: (ctx) => new NetmikoDriver(ctx.log, outputCaps(ctx.config)),
});
