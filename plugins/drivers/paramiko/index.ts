import { definePlugin } from '../../../core/plugin/define.ts';
import { ParamikoDriver } from './driver.ts';

export {
  ParamikoDriver,
  ParamikoSession,
  canonicalJson,
  transferDirFromConfig,
  type ParamikoDriverOptions,
} from './driver.ts';
export { paramikoSchemas } from './schemas.ts';

export default definePlugin({
  kind: 'driver',
  name: 'paramiko',
  version: '1.0.0',
  description:
    'Linux servers over SSH: exec channels with exit status, sudo, SFTP file transfer (paramiko-compatible).',
  register: (ctx) => new ParamikoDriver(ctx.config, ctx.log),
});
