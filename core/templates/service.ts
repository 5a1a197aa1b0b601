import type { Logger } from '../contracts/common.ts';
import type { TemplateContext } from '../contracts/template.ts';
import type { NetPulseConfig } from '../config/types.ts';
import type { PluginRegistry } from '../plugin/registry.ts';
import { NetPulseError } from '../errors.ts';
import { loadTemplateSource } from './source.ts';

/** Renders and parses through the template plugins; used by /template/* and inside jobs. */
export class TemplateService {
  private readonly ctx: TemplateContext;

  constructor(private readonly registry: PluginRegistry, private readonly config: NetPulseConfig, private readonly root: string, log: Logger) {
    const t = config.templates;
    this.ctx = { log, dirs: { ntc: t.ntc_dir ?? undefined, ttp: t.ttp_dir ?? undefined, templates: t.dirs.map((d) => (d.startsWith('/') ? d : `${root}/${d}`)) } };
  }

  async render(name: string, req: { template: string; context?: Record<string, unknown> | null; args?: Record<string, unknown> | null }): Promise<string> {
    if (!name) throw new NetPulseError('NP_ERR_VALIDATION', 'Validation Error', { data: [{ loc: ['body', 'name'], msg: 'Renderer name is required' }] });
    const renderer = this.registry.get('renderer', name);
    const template = await loadTemplateSource(req.template, this.config.templates, this.root);
    return renderer.render({ template, context: req.context ?? {}, args: req.args ?? {} }, this.ctx);
  }

  async parse(name: string, req: Record<string, unknown>, text: string, defaults?: { platform?: string; command?: string }): Promise<unknown> {
    if (!name) throw new NetPulseError('NP_ERR_VALIDATION', 'Validation Error', { data: [{ loc: ['body', 'name'], msg: 'Parser name is required' }] });
    const parser = this.registry.get('parser', name);
    const { name: _n, template: src, context: _c, ...options } = req;
    const template = typeof src === 'string' && src !== '' ? await loadTemplateSource(src, this.config.templates, this.root) : '';
    return parser.parse({ template, text, options, defaults }, this.ctx);
  }
}
