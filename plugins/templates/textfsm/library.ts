import { readFileSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import { findIndexRow, parseIndex, parseWithTemplates } from './clitable.ts';
import type { CliIndex, CliTableResult } from './clitable.ts';
import type { ParseOptions } from './engine.ts';
import { CliTableError } from './errors.ts';
import { TemplateCache } from './cache.ts';
import type { CompiledTemplate } from './template.ts';

interface FileEntry<T> {
  mtimeMs: number;
  size: number;
  value: T;
}

/**
 * A directory of TextFSM templates with a CliTable `index` (an ntc-templates checkout's
 * `ntc_templates/templates`). Files are re-read only when their mtime or size changes, so an
 * updated checkout is picked up without a restart while repeated lookups cost one `stat` each.
 */
export class TemplateLibrary {
  private readonly files = new Map<string, FileEntry<unknown>>();

  constructor(
    readonly dir: string,
    private readonly templates: TemplateCache = new TemplateCache(),
  ) {}

  private load<T>(path: string, build: (text: string) => T): T {
    let stat: Stats;
    try {
      stat = statSync(path);
    } catch {
      throw new CliTableError(`Cannot read ${path}`);
    }
    const cached = this.files.get(path) as FileEntry<T> | undefined;
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.value;
    const value = build(readFileSync(path, 'utf8'));
    this.files.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, value });
    return value;
  }

  index(indexFile = 'index'): CliIndex {
    return this.load(join(this.dir, indexFile), parseIndex);
  }

  template(name: string): CompiledTemplate {
    return this.load(join(this.dir, name), (text) => this.templates.get(text));
  }

  /** The `Template` column of the first matching index row, split on `:`. */
  lookup(attributes: Readonly<Record<string, string>>, indexFile = 'index'): string[] {
    const row = findIndexRow(this.index(indexFile), attributes);
    if (!row) throw new CliTableError(`No template found for attributes: "${JSON.stringify(attributes)}"`);
    return row.fields.Template.split(':');
  }

  /** CliTable.ParseCmd(text, {Command, Platform}). */
  parseCmd(
    text: string,
    attributes: Readonly<Record<string, string>>,
    options: ParseOptions & { indexFile?: string } = {},
  ): CliTableResult {
    const names = this.lookup(attributes, options.indexFile);
    return parseWithTemplates(
      names.map((name) => this.template(name)),
      text,
      options,
    );
  }
}
