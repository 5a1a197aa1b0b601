/**
 * TextFSM conformance on the ntc-templates corpus (see the corpus README):
 *
 * - registered parser: every case through the `textfsm` parser instance a running server registered
 *   (what `POST /template/parse/textfsm` and jobs use), by index lookup;
 * - index: every case through the CliTable index (Platform/Command lookup, multi-template merge);
 * - index (LF): the same with CRLF/CR normalised to LF, which the README says must not change results;
 * - plain: the cases of `plain_template_ok.json` with the single template and ParseText alone.
 *
 * Records are compared exactly (length, order, keys, values); key order inside a record carries
 * no meaning per the README and is ignored.
 */
import { test } from 'node:test';
import { corpus, skipCorpusAbsent } from '../helpers/corpora.ts';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  TemplateLibrary,
  compileTemplate,
  parseTextToDicts,
  rowsToDicts,
} from '../../plugins/templates/textfsm/index.ts';
import type { CompiledTemplate, RecordDict } from '../../plugins/templates/textfsm/index.ts';
import type { Logger } from '../../core/contracts/common.ts';
import { serverParser } from '../helpers/corpus.ts';
import { startTestServer } from '../helpers/server.ts';

interface ManifestCase {
  platform: string;
  command: string;
  case: string;
  templates: string[];
  records: number;
}

const { dir: CORPUS_DIR, present: corpusPresent } = corpus('textfsm');

/**
 * Cases our engine cannot reproduce, by case id, with the reason. The reference Python engine
 * passes every case; keep this empty unless a JavaScript limitation makes a case impossible.
 */
const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {};

/** JSON with object keys sorted, so that key order does not matter but everything else does. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
    }
    return v;
  });
}

interface Outcome {
  passed: number;
  failures: { id: string; reason: string }[];
}

function runCases(cases: readonly ManifestCase[], parse: (c: ManifestCase, raw: string) => RecordDict[]): Outcome {
  const outcome: Outcome = { passed: 0, failures: [] };
  for (const c of cases) {
    const raw = readFileSync(join(CORPUS_DIR, c.case + '.raw'), 'utf8');
    const expected = readFileSync(join(CORPUS_DIR, c.case + '.json'), 'utf8');
    let reason = '';
    try {
      const actual = parse(c, raw);
      if (canonical(actual) !== canonical(JSON.parse(expected))) {
        reason = `records differ (got ${actual.length}, expected ${c.records})`;
      }
    } catch (err) {
      reason = `threw ${(err as Error).name}: ${(err as Error).message}`;
    }
    if (reason) outcome.failures.push({ id: c.case, reason });
    else outcome.passed++;
  }
  return outcome;
}

function report(label: string, total: number, outcome: Outcome): void {
  console.log(`textfsm corpus (${label}): ${outcome.passed}/${total} passed`);
  const unexpected = outcome.failures.filter((f) => !(f.id in KNOWN_DIFFERENCES));
  for (const f of unexpected.slice(0, 20)) console.log(`  FAIL ${f.id}: ${f.reason}`);
  assert.deepEqual(unexpected, [], `${unexpected.length} unexpected failures in ${label}`);
}

test('textfsm corpus', async (t) => {
  if (!corpusPresent) {
    skipCorpusAbsent(t, 'textfsm', CORPUS_DIR);
    return;
  }
  const manifest = JSON.parse(readFileSync(join(CORPUS_DIR, 'manifest.json'), 'utf8')) as ManifestCase[];
  const plainOk = new Set(JSON.parse(readFileSync(join(CORPUS_DIR, 'plain_template_ok.json'), 'utf8')) as string[]);
  const templatesDir = join(CORPUS_DIR, 'templates');
  const library = new TemplateLibrary(templatesDir);

  const viaIndex = (c: ManifestCase, raw: string): RecordDict[] => {
    const table = library.parseCmd(raw, { Command: c.command, Platform: c.platform });
    return rowsToDicts(table.header, table.rows, true);
  };

  await t.test('every case through the registered parser (index lookup)', async () => {
    const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
    const s = await startTestServer({ templates: { ntc_dir: templatesDir } });
    try {
      const parser = serverParser(s, 'textfsm');
      const outcome: Outcome = { passed: 0, failures: [] };
      for (const c of manifest) {
        const raw = readFileSync(join(CORPUS_DIR, c.case + '.raw'), 'utf8');
        const expected = JSON.parse(readFileSync(join(CORPUS_DIR, c.case + '.json'), 'utf8')) as unknown;
        const options = { use_ntc_template: true, ntc_template_args: { platform: c.platform, command: c.command } };
        try {
          const actual = await parser.parse(
            { template: '', text: raw, options },
            { log: silent, dirs: { ntc: templatesDir, templates: [] } },
          );
          if (canonical(actual) === canonical(expected)) outcome.passed++;
          else outcome.failures.push({ id: c.case, reason: 'records differ' });
        } catch (err) {
          outcome.failures.push({ id: c.case, reason: `threw ${(err as Error).message}` });
        }
      }
      report('registered parser', manifest.length, outcome);
    } finally {
      await s.stop();
    }
  });

  await t.test('every case through the CliTable index', () => {
    report('index', manifest.length, runCases(manifest, viaIndex));
  });

  await t.test('every case through the index with CRLF/CR normalised to LF', () => {
    report(
      'index, LF',
      manifest.length,
      runCases(manifest, (c, raw) => viaIndex(c, raw.replace(/\r\n?/g, '\n'))),
    );
  });

  await t.test('every case through the index with the Unicode-exact regex translation only', () => {
    const exact = (c: ManifestCase, raw: string): RecordDict[] => {
      const table = library.parseCmd(raw, { Command: c.command, Platform: c.platform }, { regexMode: 'exact' });
      return rowsToDicts(table.header, table.rows, true);
    };
    report('index, exact regex', manifest.length, runCases(manifest, exact));
  });

  await t.test('index lookup selects the manifest templates', () => {
    const wrong = manifest.filter(
      (c) => library.lookup({ Command: c.command, Platform: c.platform }).join(':') !== c.templates.join(':'),
    );
    assert.deepEqual(
      wrong.map((c) => c.case),
      [],
    );
  });

  await t.test('plain template cases (plain_template_ok.json)', () => {
    const compiled = new Map<string, CompiledTemplate>();
    const plainCases = manifest.filter((c) => plainOk.has(c.case));
    assert.ok(plainCases.length > 0, 'plain_template_ok.json names no manifest case');
    const outcome = runCases(plainCases, (c, raw) => {
      assert.equal(c.templates.length, 1, `${c.case} names several templates`);
      const name = c.templates[0];
      let tpl = compiled.get(name);
      if (!tpl) {
        tpl = compileTemplate(readFileSync(join(templatesDir, name), 'utf8'));
        compiled.set(name, tpl);
      }
      return parseTextToDicts(tpl, raw, { lowercaseKeys: true });
    });
    report('plain template', plainCases.length, outcome);
  });
});
