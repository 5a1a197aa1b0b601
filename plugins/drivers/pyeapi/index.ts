import { outputCaps } from '../../../core/drivers/output-caps.ts';
import { definePlugin } from '../../../core/plugin/define.ts';
import { PyeapiDriver } from './driver.ts';

export { PyeapiDriver, PyeapiSession, toEapiCommand, type EnableResult } from './driver.ts';
export { EapiClient, EapiCommandError, type EapiCommand, type EapiEndpoint, type EapiFormat } from './client.ts';
export { pyeapiSchemas } from './schemas.ts';

export default definePlugin({
  kind: 'driver',
  name: 'pyeapi',
  version: '1.0.0',
  description: 'Arista eAPI driver (pyeapi-compatible): JSON-RPC runCmds over HTTP/HTTPS with Basic auth.',
  register: (ctx) => new PyeapiDriver(ctx.log, outputCaps(ctx.config)),
});
