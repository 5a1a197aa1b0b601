import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParseInput, TemplateContext, TemplateParser } from '../../../core/contracts/template.ts';
import { NetPulseError, isNetPulseError } from '../../../core/errors.ts';
import { TtpEngine, compileTemplates, type Structure } from './engine.ts';
import type { Template } from './template.ts';

const STRUCTURES: Structure[] = ['list', 'dictionary', 'flat_list'];
const CACHE_LIMIT = 256;

/**
 * NetPulse `ttp` parser: inline templates or ttp_templates-style library lookups
 * (`platform/<platform>_<command>.txt` under `templates.ttp_dir`).
 */
export class TtpParser implements TemplateParser {
  readonly name = 'ttp';
  /**
   * Compiled templates by text. Compiled templates are immutable (an engine keeps all per-parse
   * state), so one entry serves every parse of the same text.
   */
  private readonly cache = new Map<string, readonly Template[]>();

  async parse(req: ParseInput, ctx: TemplateContext): Promise<unknown> {
    const structure = (req.options.structure ?? 'dictionary') as Structure;
    if (!STRUCTURES.includes(structure)) {
      throw new NetPulseError(
        'NP_ERR_TEMPLATE',
        `Invalid structure '${String(structure)}', use one of: ${STRUCTURES.join(', ')}`,
      );
    }
    const templateText = req.options.use_ttp_template ? this.lookupTemplate(req, ctx) : req.template;
    if (!templateText?.trim()) {
      throw new NetPulseError('NP_ERR_TEMPLATE', 'TTP template must not be empty');
    }
    try {
      const engine = new TtpEngine(this.compile(templateText));
      // As ttp(data=...): empty data adds no input, so a template's own <input> data is parsed alone
      // (adding '' would append an extra empty result).
      if (req.text !== '') engine.addInput(req.text);
      engine.parse();
      return engine.result(structure);
    } catch (e) {
      if (isNetPulseError(e)) throw e;
      throw new NetPulseError('NP_ERR_TEMPLATE', `TTP parsing failed: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Validates and caches a template's compiled form (the templates a parse runs); returns it. */
  compile(templateText: string): readonly Template[] {
    let compiled = this.cache.get(templateText);
    if (compiled) {
      // Refresh the entry so the least recently used template is evicted first.
      this.cache.delete(templateText);
    } else {
      compiled = compileTemplates(templateText);
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    }
    this.cache.set(templateText, compiled);
    return compiled;
  }

  private lookupTemplate(req: ParseInput, ctx: TemplateContext): string {
    const args = (req.options.ttp_template_args ?? {}) as { platform?: string; command?: string };
    const platform = args.platform ?? req.defaults?.platform;
    const command = args.command ?? req.defaults?.command;
    if (!platform || !command) {
      throw new NetPulseError('NP_ERR_TEMPLATE', 'use_ttp_template needs ttp_template_args.platform and .command');
    }
    if (!ctx.dirs.ttp)
      throw new NetPulseError('NP_ERR_TEMPLATE', 'No TTP templates directory configured (templates.ttp_dir)');
    const fileName = `${platform}_${command.trim().replace(/\s+/g, '_')}.txt`;
    if (/[\\/]/.test(platform) || fileName.includes('..') || fileName.includes('/')) {
      throw new NetPulseError('NP_ERR_TEMPLATE', `Invalid TTP template name '${fileName}'`);
    }
    const path = join(ctx.dirs.ttp, 'platform', fileName);
    if (!existsSync(path)) throw new NetPulseError('NP_ERR_TEMPLATE', `TTP template not found: platform/${fileName}`);
    return readFileSync(path, 'utf8');
  }
}
