import { definePlugin } from '../../../core/plugin/define.ts';
import { MemoryBroker } from './broker.ts';

export default definePlugin({
  kind: 'broker',
  name: 'memory',
  version: '1.0.0',
  description: 'Embedded in-process broker for the all-in-one server (no Redis needed).',
  register: () => new MemoryBroker(),
});
