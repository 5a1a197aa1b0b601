import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from './server.ts';

/**
 * Where the conformance corpora are: `NETPULSE_CORPORA_DIR`, else a `corpora/` directory in a
 * `shared/` directory beside the checkout. CONTRIBUTING.md says where each corpus comes from.
 */
export const CORPORA_DIR = process.env.NETPULSE_CORPORA_DIR ?? resolve(PROJECT_ROOT, '..', 'shared', 'corpora');

export type CorpusName = 'textfsm' | 'ttp' | 'napalm';

/** The directory of one corpus and whether its manifest is there. */
export function corpus(name: CorpusName): { dir: string; present: boolean } {
  const dir = join(CORPORA_DIR, name);
  return { dir, present: existsSync(join(dir, 'manifest.json')) };
}

/**
 * Skips loudly: a contributor's fresh clone has no corpora, and a silent skip would read as a
 * pass. The skip reason starts with `CORPORA ABSENT` and the same line goes to stderr.
 */
export function skipCorpusAbsent(t: { skip(message: string): void }, name: CorpusName, dir: string): void {
  const msg = `CORPORA ABSENT: the ${name} conformance corpus is not at ${dir}; set NETPULSE_CORPORA_DIR (see CONTRIBUTING.md)`;
  process.stderr.write(`${msg}\n`);
  t.skip(msg);
}
