/**
 * TTP conformance through the HTTP API: every corpus case via `POST /template/parse/ttp` with
 * `structure: "list"` (what `ttp(...).result()` returns). The rate must equal the engine's
 * (`runTtpCase`) exactly, case by case: a wrapper-only defect (such as an extra empty result from
 * the cached-template path) cannot hide behind a green engine-level suite.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTtpCase } from '../../plugins/templates/ttp/index.ts';
import { canonical, pool, ttpCases } from '../helpers/corpus.ts';
import { corpus, skipCorpusAbsent } from '../helpers/corpora.ts';
import { startTestServer } from '../helpers/server.ts';

test('ttp corpus through POST /template/parse/ttp', async (t) => {
  const cases = ttpCases();
  if (!cases) return skipCorpusAbsent(t, 'ttp', corpus('ttp').dir);
  const s = await startTestServer({ server: { body_limit: 8 * 1048576 } });
  try {
    let viaHttp = 0;
    let viaEngine = 0;
    const disagreements: string[] = [];
    await pool(cases, 8, async (c) => {
      const r = await s.call('POST', '/template/parse/ttp', {
        template: c.template,
        context: c.data,
        structure: 'list',
      });
      const http = r.status === 200 ? canonical(r.body.data) : `HTTP ${r.status}`;
      let engine: string;
      try {
        engine = canonical(JSON.parse(JSON.stringify(runTtpCase(c.template, c.data))));
      } catch {
        engine = 'HTTP 400';
      }
      const want = canonical(c.expected);
      if (http === want) viaHttp++;
      if (engine === want) viaEngine++;
      if (http !== engine) disagreements.push(c.name);
    });
    console.log(`ttp corpus via HTTP: ${viaHttp}/${cases.length} (engine: ${viaEngine}/${cases.length})`);
    assert.deepEqual(disagreements.sort(), [], 'HTTP and engine disagree');
    assert.equal(viaHttp, viaEngine);
  } finally {
    await s.stop();
  }
});
