import { definePlugin } from '../../../core/plugin/define.ts';
import { assertDrivers, NapalmDriver } from './driver.ts';

export { NapalmDriver, NapalmSession } from './driver.ts';
export type { NapalmCli, NapalmDevice, NapalmEapi } from './device.ts';
export { GETTER_NAMES, GETTER_PARAMS, gettersOf } from './getters/index.ts';
export { napalmSchemas } from './schemas.ts';
export { NAPALM_DEVICE_TYPES, napalmPlatformOf } from './settings.ts';

export default definePlugin({
  kind: 'driver',
  name: 'napalm',
  version: '1.0.0',
  description: 'NAPALM-style driver: vendor-neutral getters and configuration transactions over the SSH CLI and eAPI.',
  register: (ctx) => new NapalmDriver(ctx.log, assertDrivers(ctx.drivers)),
});
