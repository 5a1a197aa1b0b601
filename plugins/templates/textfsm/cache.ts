import { compileTemplate } from './template.ts';
import type { CompiledTemplate } from './template.ts';

/** Template source kept compiled, in characters: a whole ntc-templates library (~0.8 M) fits twice. */
const DEFAULT_MAX_SOURCE_CHARS = 2 * 1024 * 1024;
const DEFAULT_MAX_ENTRIES = 4096;

/**
 * Compiled templates keyed by their text. Compilation translates and builds every rule regex, which
 * costs far more than a typical parse, so repeated requests with the same template must reuse it.
 * Bounded by entries and by the characters of template source held (a compiled template takes
 * ~25× its source on the heap), so that callers sending ever-changing inline templates cannot grow
 * memory without limit, while a whole template library stays compiled: a cache smaller than the
 * working set misses on every cyclic pass and recompiles everything. A Map keeps insertion order,
 * which gives least-recently-used eviction by re-inserting on hit.
 */
export class TemplateCache {
  private readonly entries = new Map<string, CompiledTemplate>();
  private chars = 0;

  constructor(
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
    private readonly maxSourceChars = DEFAULT_MAX_SOURCE_CHARS,
  ) {}

  get(text: string): CompiledTemplate {
    const hit = this.entries.get(text);
    if (hit) {
      this.entries.delete(text);
      this.entries.set(text, hit);
      return hit;
    }
    const compiled = compileTemplate(text);
    // A template larger than the whole budget is compiled for this call only.
    if (text.length > this.maxSourceChars) return compiled;
    this.entries.set(text, compiled);
    this.chars += text.length;
    while (this.entries.size > this.maxEntries || this.chars > this.maxSourceChars) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.chars -= oldest.length;
    }
    return compiled;
  }

  get size(): number {
    return this.entries.size;
  }
}
