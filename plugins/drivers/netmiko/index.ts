import { definePlugin } from '../../../core/plugin/define.ts';
import { NetmikoDriver } from './driver.ts';

export { NetmikoDriver, canonicalJson } from './driver.ts';
export { NetmikoSession } from './session.ts';
export { NetmikoConnection } from './operations.ts';
export { PLATFORMS, DEVICE_TYPES, findPlatform } from './platforms/index.ts';
export { netmikoSchemas } from './schemas.ts';

export default definePlugin({
  kind: 'driver',
  name: 'netmiko',
  version: '1.0.0',
  description: 'Multi-vendor SSH CLI driver (netmiko-compatible), prompt-driven, with persistent sessions.',
  register: (ctx) => new NetmikoDriver(ctx.log),
});
