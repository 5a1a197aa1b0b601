/**
 * Shared pieces of the corpus suites (TTP, TextFSM, Jinja2): where the corpora live, an exact
 * comparison that ignores only object key order, a bounded-concurrency loop, and the parser and
 * renderer instances a running server actually registered (so suites test what users run).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateParser, TemplateRenderer } from '../../core/contracts/template.ts';
import { corpus } from './corpora.ts';
import type { TestServer } from './server.ts';

/** JSON with object keys sorted: key order carries no meaning, everything else does. */
export const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );

/** Runs `fn` over `items` with at most `width` in flight. */
export async function pool<T>(items: readonly T[], width: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (i < items.length) await fn(items[i++]);
    }),
  );
}

/** The parser plugin instance the server resolves for `POST /template/parse/<name>` and for jobs. */
export function serverParser(s: TestServer, name: string): TemplateParser {
  return s.np.registry.get('parser', name) as TemplateParser;
}

/** The renderer plugin instance the server resolves for `POST /template/render/<name>` and for jobs. */
export function serverRenderer(s: TestServer, name: string): TemplateRenderer {
  return s.np.registry.get('renderer', name) as TemplateRenderer;
}

export interface TtpCase {
  name: string;
  template: string;
  data: string;
  expected: unknown;
}

/** TTP corpus cases, minus those that need `<macro>` Python code (never run here). Null when absent. */
export function ttpCases(): TtpCase[] | null {
  const { dir, present } = corpus('ttp');
  if (!present) return null;
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    name: string;
    features: string[];
  }[];
  const macro = new Set(manifest.filter((e) => e.features.includes('tag:macro')).map((e) => e.name));
  return readdirSync(join(dir, 'cases'))
    .sort()
    .filter((name) => !macro.has(name))
    .map((name) => {
      const caseDir = join(dir, 'cases', name);
      return {
        name,
        template: readFileSync(join(caseDir, 'template.txt'), 'utf8'),
        data: readFileSync(join(caseDir, 'data.txt'), 'utf8'),
        expected: JSON.parse(readFileSync(join(caseDir, 'expected.json'), 'utf8')) as unknown,
      };
    });
}
