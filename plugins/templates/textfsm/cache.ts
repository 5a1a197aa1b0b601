import { compileTemplate } from './template.ts';
import type { CompiledTemplate } from './template.ts';

/**
 * Compiled templates keyed by their text. Compilation translates and builds every rule regex, which
 * costs far more than a typical parse, so repeated requests with the same template must reuse it.
 * Bounded so that callers sending ever-changing inline templates cannot grow memory without limit;
 * a Map keeps insertion order, which gives least-recently-used eviction by re-inserting on hit.
 */
export class TemplateCache {
  private readonly entries = new Map<string, CompiledTemplate>();

  constructor(private readonly capacity = 512) {}

  get(text: string): CompiledTemplate {
    const hit = this.entries.get(text);
    if (hit) {
      this.entries.delete(text);
      this.entries.set(text, hit);
      return hit;
    }
    const compiled = compileTemplate(text);
    this.entries.set(text, compiled);
    if (this.entries.size > this.capacity) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    return compiled;
  }

  get size(): number {
    return this.entries.size;
  }
}
