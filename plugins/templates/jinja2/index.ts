/** Built-in `jinja2` renderer plugin: Jinja2-compatible templates on nunjucks. */
import { definePlugin } from '../../../core/plugin/define.ts';
import { Jinja2Renderer } from './renderer.ts';

export { Jinja2Renderer } from './renderer.ts';

export default definePlugin({
  kind: 'renderer',
  name: 'jinja2',
  version: '1.0.0',
  description: 'Jinja2-compatible template renderer (nunjucks with Python semantics)',
  register: (ctx) => new Jinja2Renderer({ cacheSize: Number(ctx.config?.templates?.jinja2_cache_size ?? 500) || 500 }),
});
