import { definePlugin } from '../../../core/plugin/define.ts';
import { RedisBroker } from './broker.ts';
import type { RedisSettings } from './connection.ts';

export default definePlugin({
  kind: 'broker',
  name: 'redis',
  version: '1.0.0',
  description: 'Redis broker (standalone, TLS, Sentinel) for controllers and worker nodes.',
  register: (ctx) => {
    const redis = ctx.config.redis as RedisSettings & {
      key: { prefix: string; host_to_node_map: string; node_info_map: string };
    };
    return new RedisBroker(redis, redis.key);
  },
});
