/** docs/errors.md lists exactly the codes of ERROR_TABLE with their HTTP status, and is up to date. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_TABLE } from '../../../core/errors.ts';
import { ERRORS_DOC, renderErrorsDoc } from '../../../scripts/gen-errors-doc.ts';

const HINT = 'docs/errors.md is out of date: run `npx tsx scripts/gen-errors-doc.ts` and commit the result';

describe('docs/errors.md', () => {
  const text = readFileSync(ERRORS_DOC, 'utf8');
  const rows = [...text.matchAll(/^\| `(NP_ERR_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])] as const);

  it('lists every code of ERROR_TABLE once, with its HTTP status', () => {
    const documented = new Map(rows);
    assert.equal(documented.size, rows.length, `a code is listed twice. ${HINT}`);
    for (const [code, spec] of Object.entries(ERROR_TABLE)) {
      assert.ok(documented.has(code), `${code} is missing. ${HINT}`);
      assert.equal(documented.get(code), spec.status, `${code} has the wrong status. ${HINT}`);
    }
  });

  it('lists no code that ERROR_TABLE lacks', () => {
    for (const [code] of rows) assert.ok(code in ERROR_TABLE, `${code} is not in ERROR_TABLE. ${HINT}`);
  });

  it('is exactly what scripts/gen-errors-doc.ts generates', () => {
    assert.ok(text === renderErrorsDoc(), HINT);
  });
});
