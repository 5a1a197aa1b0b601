/**
 * Built-in `basic` webhook plugin: HTTP delivery of job events as JSON, with method, headers,
 * cookies, HTTP Basic auth, a per-attempt timeout, retries with exponential backoff and a target
 * allow-list. Settings: see `options.ts` and docs/webhooks.md.
 */
import { definePlugin } from '../../../core/plugin/define.ts';
import { BasicWebhookCaller } from './caller.ts';
import { readOptions } from './options.ts';

export { BasicWebhookCaller } from './caller.ts';
export { readOptions } from './options.ts';

export default definePlugin({
  kind: 'webhook',
  name: 'basic',
  version: '1.0.0',
  description: 'HTTP(S) delivery of job events as JSON with retries',
  register: (ctx) => new BasicWebhookCaller(readOptions(ctx.config), ctx.log),
});
