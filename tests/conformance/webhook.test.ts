import { runWebhookConformance, captureLogger } from './webhook.ts';
import basic from '../../plugins/webhooks/basic/index.ts';
import { pluginContext } from '../../core/plugin/define.ts';

const { log } = captureLogger();

runWebhookConformance('basic', () =>
  basic.register(
    pluginContext({ config: { webhook: { retries: 1, backoff_ms: 10, allow_hosts: ['127.0.0.1'] } }, log }),
  ),
);
