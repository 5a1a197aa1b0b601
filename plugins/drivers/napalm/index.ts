import type { DriverRegistry } from '../../../core/contracts/driver.ts';
import { DRIVER_REGISTRY } from '../../../core/di/tokens.ts';
import { definePlugin } from '../../../core/plugin/define.ts';
import { NapalmDriver } from './driver.ts';

export { NapalmDriver, NapalmSession } from './driver.ts';
export type { NapalmCli, NapalmDevice, NapalmEapi } from './device.ts';
export { GETTER_PARAMS, gettersOf, NAPALM_GETTER_NAMES } from './getters/index.ts';
export type { NapalmPrepared } from './options.ts';
export { napalmSchemas } from './schemas.ts';
export { NAPALM_DEVICE_TYPES, napalmPlatformOf } from './settings.ts';

export default definePlugin({
  kind: 'driver',
  name: 'napalm',
  version: '1.0.0',
  description: 'NAPALM-style driver: vendor-neutral getters and configuration transactions over the SSH CLI and eAPI.',
  register: ({ log, container }) => new NapalmDriver(log, container.resolve<DriverRegistry>(DRIVER_REGISTRY)),
});
