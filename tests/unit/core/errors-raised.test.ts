import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ERROR_TABLE } from '../../../core/errors.ts';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith(join('core', 'errors.ts')) ? [p] : [];
  });
}

/** Code text with comments removed, so a code named only in a doc comment does not count. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

test('every NP_ERR_* code in the table is raised somewhere in core/ or plugins/ (else it is deleted)', () => {
  const text = [...sources(join(ROOT, 'core')), ...sources(join(ROOT, 'plugins'))]
    .map((f) => code(readFileSync(f, 'utf8')))
    .join('\n');
  const unused = Object.keys(ERROR_TABLE).filter((c) => !text.includes(`'${c}'`));
  assert.deepEqual(unused, [], `codes never raised: ${unused.join(', ')}`);
});

test('every code says whether it is exposed to API clients; 5xx internals are not', () => {
  for (const [c, spec] of Object.entries(ERROR_TABLE)) {
    assert.equal(typeof spec.expose, 'boolean', c);
    if (c === 'NP_ERR_INTERNAL' || c.startsWith('NP_ERR_PLUGIN') || c === 'NP_ERR_CONFIG')
      assert.equal(spec.expose, false, c);
  }
});
