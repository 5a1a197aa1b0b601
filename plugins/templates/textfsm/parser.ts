import type { ParseInput, TemplateContext, TemplateParser } from '../../../core/contracts/template.ts';
import { NetPulseError } from '../../../core/errors.ts';
import { TemplateCache } from './cache.ts';
import { rowsToDicts, parseTextToDicts } from './engine.ts';
import type { RecordDict } from './engine.ts';
import { CliTableError, TextFsmError, TextFsmTemplateError } from './errors.ts';
import { TemplateLibrary } from './library.ts';

interface NtcArgs {
  platform?: unknown;
  command?: unknown;
}

function nonEmptyString(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/**
 * The `textfsm` parser: an inline template through `ParseTextToDicts`, or, with
 * `use_ntc_template`, the ntc-templates library through its CliTable index with lower-case keys.
 */
export class TextFsmParser implements TemplateParser {
  readonly name = 'textfsm';
  private readonly templates = new TemplateCache();
  private readonly libraries = new Map<string, TemplateLibrary>();

  async parse(req: ParseInput, ctx: TemplateContext): Promise<RecordDict[]> {
    const text = typeof req.text === 'string' ? req.text : String(req.text ?? '');
    try {
      if (req.options?.use_ntc_template === true) return this.parseWithLibrary(req, ctx, text);
      if (typeof req.template !== 'string' || req.template.trim() === '') {
        throw new NetPulseError('NP_ERR_TEMPLATE', 'template must not be empty unless use_ntc_template is true');
      }
      return parseTextToDicts(this.templates.get(req.template), text);
    } catch (err) {
      if (err instanceof TextFsmTemplateError || err instanceof TextFsmError) {
        throw new NetPulseError('NP_ERR_TEMPLATE', err.message, { cause: err });
      }
      throw err;
    }
  }

  private parseWithLibrary(req: ParseInput, ctx: TemplateContext, text: string): RecordDict[] {
    const args = (req.options.ntc_template_args ?? {}) as NtcArgs;
    const platform = nonEmptyString(args?.platform) ?? nonEmptyString(req.defaults?.platform);
    const command = nonEmptyString(args?.command) ?? nonEmptyString(req.defaults?.command);
    if (!platform || !command) {
      throw new NetPulseError(
        'NP_ERR_TEMPLATE',
        'ntc_template_args.platform and .command are required when use_ntc_template is true',
      );
    }
    const dir = ctx.dirs?.ntc;
    if (!dir) {
      throw new NetPulseError(
        'NP_ERR_TEMPLATE',
        'No ntc-templates directory is configured: set templates.ntc_dir (env NETPULSE_TEMPLATES__NTC_DIR) to the directory holding the index and *.textfsm files',
      );
    }
    let library = this.libraries.get(dir);
    if (!library) {
      library = new TemplateLibrary(dir, this.templates);
      this.libraries.set(dir, library);
    }
    try {
      const table = library.parseCmd(text, { Command: command, Platform: platform });
      return rowsToDicts(table.header, table.rows, true);
    } catch (err) {
      if (err instanceof CliTableError) {
        throw new NetPulseError(
          'NP_ERR_TEMPLATE',
          `Unable to parse command "${command}" on platform ${platform} - ${err.message}`,
          { cause: err },
        );
      }
      throw err;
    }
  }
}
