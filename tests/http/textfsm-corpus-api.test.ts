/**
 * TextFSM conformance through the HTTP API: every case of the TextFSM corpus (NETPULSE_CORPORA_DIR) via
 * `POST /template/parse/textfsm`, by index lookup (`use_ntc_template` with the corpus as
 * `templates.ntc_dir`) and, for the cases of plain_template_ok.json, by template text.
 */
import { test } from 'node:test';
import { corpus, skipCorpusAbsent } from '../helpers/corpora.ts';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.ts';

interface ManifestCase {
  platform: string;
  command: string;
  case: string;
  templates: string[];
}

const { dir: CORPUS, present: corpusPresent } = corpus('textfsm');

const canonical = (v: unknown) =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );

async function pool<T>(items: T[], width: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (i < items.length) await fn(items[i++]);
    }),
  );
}

test('textfsm corpus through POST /template/parse/textfsm', async (t) => {
  if (!corpusPresent) return skipCorpusAbsent(t, 'textfsm', CORPUS);
  const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as ManifestCase[];
  const plainOk = new Set(JSON.parse(readFileSync(join(CORPUS, 'plain_template_ok.json'), 'utf8')) as string[]);
  const s: TestServer = await startTestServer({
    templates: { ntc_dir: join(CORPUS, 'templates') },
    server: { body_limit: 8 * 1048576 },
  });
  try {
    await t.test('by index lookup (use_ntc_template)', async () => {
      const failed: string[] = [];
      await pool(manifest, 8, async (c) => {
        const raw = readFileSync(join(CORPUS, `${c.case}.raw`), 'utf8');
        const r = await s.call('POST', '/template/parse/textfsm', {
          template: '',
          context: raw,
          use_ntc_template: true,
          ntc_template_args: { platform: c.platform, command: c.command },
        });
        const expected = JSON.parse(readFileSync(join(CORPUS, `${c.case}.json`), 'utf8'));
        if (r.status !== 200 || canonical(r.body.data) !== canonical(expected)) failed.push(c.case);
      });
      console.log(`textfsm corpus via HTTP (index): ${manifest.length - failed.length}/${manifest.length} passed`);
      assert.deepEqual(failed.slice(0, 20), []);
    });

    await t.test('by template text', async () => {
      const cases = manifest.filter((c) => plainOk.has(c.case));
      const failed: string[] = [];
      await pool(cases, 8, async (c) => {
        const raw = readFileSync(join(CORPUS, `${c.case}.raw`), 'utf8');
        const template = readFileSync(join(CORPUS, 'templates', c.templates[0]), 'utf8');
        const r = await s.call('POST', '/template/parse/textfsm', { template, context: raw });
        // Without use_ntc_template keys are the Value names as written; the corpus lower-cases them.
        const got =
          r.status === 200
            ? (r.body.data as Record<string, unknown>[]).map((rec) =>
                Object.fromEntries(Object.entries(rec).map(([k, v]) => [k.toLowerCase(), v])),
              )
            : null;
        const expected = JSON.parse(readFileSync(join(CORPUS, `${c.case}.json`), 'utf8'));
        if (canonical(got) !== canonical(expected)) failed.push(c.case);
      });
      console.log(`textfsm corpus via HTTP (template text): ${cases.length - failed.length}/${cases.length} passed`);
      assert.deepEqual(failed.slice(0, 20), []);
    });
  } finally {
    await s.stop();
  }
});
