import { test } from 'node:test';
import { corpus, skipCorpusAbsent } from '../helpers/corpora.ts';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { runTtpCase } from '../../plugins/templates/ttp/index.ts';

const { dir: corpusDir, present: corpusPresent } = corpus('ttp');

interface ManifestEntry {
  name: string;
  features: string[];
}

test('TTP conformance corpus', (t) => {
  const manifestPath = join(corpusDir, 'manifest.json');
  if (!corpusPresent) {
    skipCorpusAbsent(t, 'ttp', corpusDir);
    return;
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ManifestEntry[];
  const byName = new Map(manifest.map((e) => [e.name, e]));
  const names = readdirSync(join(corpusDir, 'cases')).sort();
  let passed = 0;
  let skipped = 0;
  const failures: string[] = [];
  for (const name of names) {
    const caseDir = join(corpusDir, 'cases', name);
    if ((byName.get(name)?.features ?? []).includes('tag:macro')) {
      skipped++;
      continue;
    }
    const template = readFileSync(join(caseDir, 'template.txt'), 'utf8');
    const data = readFileSync(join(caseDir, 'data.txt'), 'utf8');
    const expected = JSON.parse(readFileSync(join(caseDir, 'expected.json'), 'utf8')) as unknown;
    try {
      // Round-trip through JSON so the comparison sees exactly what the reference serialised.
      const actual = JSON.parse(JSON.stringify(runTtpCase(template, data))) as unknown;
      if (isDeepStrictEqual(actual, expected)) passed++;
      else failures.push(name);
    } catch (e) {
      failures.push(`${name} (threw: ${(e as Error).message.split('\n')[0]})`);
    }
  }
  const total = names.length - skipped;
  console.log(`ttp corpus: ${passed}/${total} passed (${skipped} skipped: macro)`);
  if (failures.length) console.log(`cases not reproduced:\n  ${failures.join('\n  ')}`);
  assert.ok(total > 0, 'no corpus cases found');
  assert.ok(passed / total >= 0.95, `pass rate ${((100 * passed) / total).toFixed(1)}% is below 95%`);
});
