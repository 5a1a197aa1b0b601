import { isAbsolute, resolve } from 'node:path';
import type { TemplateContext } from '../contracts/template.ts';

/** Template library directories as plugins see them (relative config paths resolved against the root). */
export function templateDirs(
  t: { ntc_dir?: string | null; ttp_dir?: string | null; dirs: string[] },
  root: string,
): TemplateContext['dirs'] {
  return {
    ntc: t.ntc_dir ?? undefined,
    ttp: t.ttp_dir ?? undefined,
    templates: t.dirs.map((d) => (isAbsolute(d) ? d : resolve(root, d))),
  };
}
