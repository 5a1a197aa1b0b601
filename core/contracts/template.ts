import type { Logger } from './common.ts';

/**
 * Template contracts: renderers (data → text) and parsers (text → structure).
 *
 * Core resolves the template *source* (inline text, `file://` inside the configured template
 * directories, `http(s)://` when allowed) before calling the plugin, so plugins never do I/O for
 * the main template. Library lookups (ntc-templates, TTP templates) read from
 * {@link TemplateContext.dirs}.
 *
 * Plugin kinds: `renderer`, `parser` (core reaches them through the plugin registry, DI token
 * `PLUGIN_REGISTRY`).
 */
export interface TemplateRenderer {
  readonly name: string;
  /** Renders `req.template` with `req.context`. Throws `NetPulseError('NP_ERR_TEMPLATE', …)` on bad templates. */
  render(req: RenderInput, ctx: TemplateContext): Promise<string>;
}

export interface TemplateParser {
  readonly name: string;
  /** Parses `req.text`. Returns records (list) or a dictionary. Throws `NP_ERR_TEMPLATE` on bad templates. */
  parse(req: ParseInput, ctx: TemplateContext): Promise<unknown>;
}

export interface RenderInput {
  /** Template text (already loaded from its source). */
  template: string;
  /** Variables. */
  context: Record<string, unknown>;
  /** Engine options (`args` in the request), e.g. jinja2 `trim_blocks`. */
  args: Record<string, unknown>;
}

export interface ParseInput {
  /** Template text (already loaded); may be empty when the engine looks one up (ntc/ttp libraries). */
  template: string;
  /** The text to parse (command output). */
  text: string;
  /**
   * Every other field of the parse request, e.g. `use_ntc_template`, `ntc_template_args
   * {platform, command}`, `structure`.
   */
  options: Record<string, unknown>;
  /**
   * Defaults inside exec jobs: the job's `device_type` and the command whose output is parsed.
   * Engines use them when the request leaves platform/command out.
   */
  defaults?: { platform?: string; command?: string };
}

export interface TemplateContext {
  log: Logger;
  /** Template library directories from config. */
  dirs: {
    /** ntc-templates directory holding `index` and `*.textfsm` (config `templates.ntc_dir`). */
    ntc?: string;
    /** TTP templates directory (config `templates.ttp_dir`). */
    ttp?: string;
    /** Directories `file://` and `include` may read from (config `templates.dirs`). */
    templates: string[];
  };
}
