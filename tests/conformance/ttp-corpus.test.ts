/**
 * TTP conformance corpus through the parser instance a running server registered (the one
 * `POST /template/parse/ttp` and jobs use: compiled, cached templates). The engine-level entry
 * point (`runTtpCase`) runs as an extra and must agree case by case, so the production path can
 * never drift from what the engine reproduces. tests/http/ttp-corpus-api.test.ts covers HTTP.
 */
import { test } from 'node:test';
import { corpus, skipCorpusAbsent } from '../helpers/corpora.ts';
import assert from 'node:assert/strict';
import { runTtpCase } from '../../plugins/templates/ttp/index.ts';
import type { Logger } from '../../core/contracts/common.ts';
import { canonical, serverParser, ttpCases } from '../helpers/corpus.ts';
import { startTestServer } from '../helpers/server.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

test('TTP conformance corpus through the registered parser', async (t) => {
  const cases = ttpCases();
  if (!cases) return skipCorpusAbsent(t, 'ttp', corpus('ttp').dir);
  const s = await startTestServer();
  try {
    const parser = serverParser(s, 'ttp');
    let viaPlugin = 0;
    let viaEngine = 0;
    const failures: string[] = [];
    const disagreements: string[] = [];
    for (const c of cases) {
      let plugin: string;
      let engine: string;
      try {
        // Round-trip through JSON so the comparison sees exactly what the API serialises.
        plugin = canonical(
          JSON.parse(
            JSON.stringify(
              await parser.parse(
                { template: c.template, text: c.data, options: { structure: 'list' } },
                { log: silent, dirs: { templates: [] } },
              ),
            ),
          ),
        );
      } catch (e) {
        plugin = `threw: ${(e as Error).message.split('\n')[0]}`;
      }
      try {
        engine = canonical(JSON.parse(JSON.stringify(runTtpCase(c.template, c.data))));
      } catch (e) {
        engine = `threw: ${(e as Error).message.split('\n')[0]}`;
      }
      const want = canonical(c.expected);
      if (plugin === want) viaPlugin++;
      else failures.push(plugin.startsWith('threw') ? `${c.name} (${plugin})` : c.name);
      if (engine === want) viaEngine++;
      if (plugin !== engine) disagreements.push(c.name);
    }
    console.log(
      `ttp corpus: ${viaPlugin}/${cases.length} through the registered parser, ${viaEngine}/${cases.length} through runTtpCase`,
    );
    if (failures.length) console.log(`cases not reproduced:\n  ${failures.join('\n  ')}`);
    assert.deepEqual(
      disagreements,
      [],
      'the registered parser and the engine must give the same result for every case',
    );
    assert.ok(
      viaPlugin / cases.length >= 0.95,
      `pass rate ${((100 * viaPlugin) / cases.length).toFixed(1)}% is below 95%`,
    );
  } finally {
    await s.stop();
  }
});
