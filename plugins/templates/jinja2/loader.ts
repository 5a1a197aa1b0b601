/**
 * The loader behind `include`, `import` and `from … import`: it reads only from the configured
 * template directories (`ctx.dirs.templates`), never outside them, whatever the name says.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { NetPulseError } from '../../../core/errors.ts';

/** Compiles included source text; supplied by the renderer so includes share its options and cache. */
export type IncludeCompiler = (source: string, name: string, cacheKey: string) => Record<string, unknown>;

function inside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' ? false : !rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..');
}

/** Rejects names that try to leave the template directories before any file is touched. */
export function checkTemplateName(name: string): void {
  const parts = name.split(/[\\/]+/);
  if (name.length === 0 || name.includes('\0') || isAbsolute(name) || /^[a-zA-Z]:/.test(name) || parts.includes('..')) {
    throw new NetPulseError(
      'NP_ERR_TEMPLATE',
      `jinja2: template name '${name}' is not allowed (absolute paths and '..' are rejected)`,
    );
  }
}

export class ConfinedLoader {
  /** nunjucks reads this map; templates are cached by the renderer instead (by path and mtime). */
  readonly cache: Record<string, unknown> = Object.create(null);
  private readonly roots: string[];

  constructor(
    dirs: readonly string[],
    private readonly compile: IncludeCompiler,
  ) {
    this.roots = dirs.map((d) => {
      try {
        return realpathSync(d);
      } catch {
        return resolve(d);
      }
    });
  }

  getSource(
    name: string,
  ): { src: { type: 'code'; obj: Record<string, unknown> }; path: string; noCache: boolean } | null {
    checkTemplateName(name);
    for (const root of this.roots) {
      let real: string;
      try {
        real = realpathSync(resolve(root, name));
      } catch {
        continue;
      }
      // Symlinks are followed, so the containment check runs on the real path.
      if (!inside(root, real)) {
        throw new NetPulseError(
          'NP_ERR_TEMPLATE',
          `jinja2: template '${name}' resolves outside the template directories`,
        );
      }
      const st = statSync(real);
      if (!st.isFile()) continue;
      const source = readFileSync(real, 'utf8');
      const obj = this.compile(source, name, `${real}\0${st.mtimeMs}\0${st.size}`);
      return { src: { type: 'code', obj }, path: name, noCache: true };
    }
    return null;
  }
}
