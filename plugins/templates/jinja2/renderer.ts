/**
 * The `jinja2` renderer: Jinja2-compatible rendering on nunjucks (see docs/templates-jinja2.md).
 */
import nunjucks from 'nunjucks';
import type { RenderInput, TemplateContext, TemplateRenderer } from '../../../core/contracts/template.ts';
import { NetPulseError, isNetPulseError } from '../../../core/errors.ts';
import { optionsKey, parseJinja2Args } from './args.ts';
import type { Jinja2Options } from './args.ts';
import { LruCache } from './cache.ts';
import { compileTemplate } from './compiler.ts';
import { buildFilters } from './filters.ts';
import type { FilterFn } from './filters.ts';
import { templateGlobals, templateHelpers } from './helpers.ts';
import { ConfinedLoader } from './loader.ts';
import { preprocessSource } from './source.ts';
import { buildTests } from './tests.ts';
import type { TestFn } from './tests.ts';

export interface Jinja2RendererOptions {
  /** Compiled templates kept (main templates and includes together). */
  cacheSize?: number;
}

type CompiledTemplate = Record<string, unknown>;

interface NjEnvironment {
  filters: Record<string, FilterFn>;
  tests: Record<string, TestFn>;
  globals: Record<string, unknown>;
  np: typeof templateHelpers;
}

/** nunjucks and Python errors carry multi-line text; the API gets one clean line, no stack. */
function engineMessage(err: unknown): string {
  if (isNetPulseError(err)) return err.message;
  let raw = err instanceof Error ? err.message : String(err);
  const where = err as { lineno?: unknown; colno?: unknown };
  // Syntax errors come straight from the parser, before nunjucks adds its position prefix.
  if (typeof where.lineno === 'number' && !raw.includes('[Line ')) {
    raw = `[Line ${where.lineno}${typeof where.colno === 'number' ? `, Column ${where.colno}` : ''}] ${raw}`;
  }
  return raw
    .replace(/^\((unknown path|<template>)\)\s*/, '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/(^|\] )(Template render error: |Error: )/, '$1')
    .trim();
}

export class Jinja2Renderer implements TemplateRenderer {
  readonly name = 'jinja2';
  private readonly compiled: LruCache<CompiledTemplate>;
  private readonly environments = new LruCache<NjEnvironment>(64);

  constructor(opts: Jinja2RendererOptions = {}) {
    this.compiled = new LruCache(opts.cacheSize ?? 500);
  }

  async render(req: RenderInput, ctx: TemplateContext): Promise<string> {
    const opts = parseJinja2Args(req.args);
    if (typeof req.template !== 'string') throw new NetPulseError('NP_ERR_TEMPLATE', 'jinja2: template must be text');
    const key = optionsKey(opts);
    try {
      const root = this.compileCached(req.template, '<template>', `${key}\0${req.template}`, opts);
      const env = this.environment(opts, ctx.dirs.templates ?? []);
      const template = new nunjucks.Template(
        { type: 'code', obj: root } as unknown as string,
        env as unknown as nunjucks.Environment,
        '<template>',
      );
      return template.render(cloneContext(req.context));
    } catch (err) {
      ctx.log.debug({ err: engineMessage(err) }, 'jinja2 render failed');
      throw new NetPulseError('NP_ERR_TEMPLATE', `jinja2: ${engineMessage(err)}`);
    }
  }

  private compileCached(source: string, name: string, cacheKey: string, opts: Jinja2Options): CompiledTemplate {
    const hit = this.compiled.get(cacheKey);
    if (hit) return hit;
    const compiled = compileTemplate(preprocessSource(source, opts), name, {
      trimBlocks: opts.trimBlocks,
      lstripBlocks: opts.lstripBlocks,
      newlineSequence: opts.newlineSequence,
      tags: {
        blockStart: opts.blockStart,
        blockEnd: opts.blockEnd,
        variableStart: opts.variableStart,
        variableEnd: opts.variableEnd,
        commentStart: opts.commentStart,
        commentEnd: opts.commentEnd,
      },
    });
    this.compiled.set(cacheKey, compiled);
    return compiled;
  }

  /** One nunjucks environment per (options, template directories): it owns the loader. */
  private environment(opts: Jinja2Options, dirs: readonly string[]): NjEnvironment {
    const optKey = optionsKey(opts);
    const key = `${optKey}\0${JSON.stringify(dirs)}`;
    const cached = this.environments.get(key);
    if (cached) return cached;
    const loader = new ConfinedLoader(dirs, (source, name, fileKey) =>
      this.compileCached(source, name, `${optKey}\0${fileKey}`, opts),
    );
    const env = new nunjucks.Environment(loader as unknown as nunjucks.ILoader, {
      autoescape: false,
    }) as unknown as NjEnvironment;
    // Start from empty tables so no nunjucks filter or test with JavaScript semantics leaks in.
    env.filters = {};
    env.tests = {};
    env.globals = { ...templateGlobals };
    const registry = () => ({ filters: env.filters, tests: env.tests });
    env.filters = buildFilters(registry);
    env.tests = buildTests(registry);
    env.np = templateHelpers;
    this.environments.set(key, env);
    return env;
  }
}

/** Templates may mutate lists and dicts (`list.append`); the caller's context must not change. */
function cloneContext(context: Record<string, unknown> | null | undefined): Record<string, unknown> {
  if (!context) return {};
  try {
    return structuredClone(context);
  } catch {
    return { ...context };
  }
}
