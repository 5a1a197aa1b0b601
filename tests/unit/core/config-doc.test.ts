/** docs/configuration.md lists every key of core/config/schema.ts with its default and env variable. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BEGIN, CONFIG_DOC, END, configKeys, formatDefault, updateConfigDoc } from '../../../scripts/gen-config-doc.ts';
import { loadConfig } from '../../../core/config/load.ts';
import { PROJECT_ROOT } from '../../helpers/server.ts';

const HINT = 'docs/configuration.md is out of date: run `npx tsx scripts/gen-config-doc.ts` and commit the result';

describe('docs/configuration.md', () => {
  const text = readFileSync(CONFIG_DOC, 'utf8');
  const block = text.slice(text.indexOf(BEGIN), text.indexOf(END));

  it('has the generated block and a hand-written introduction', () => {
    assert.ok(text.includes(BEGIN) && text.includes(END), `markers missing. ${HINT}`);
    const intro = text.slice(0, text.indexOf(BEGIN));
    for (const topic of ['Precedence', 'NETPULSE_CONFIG_FILE', '.env', '${VAR}', 'generated'])
      assert.ok(intro.toLowerCase().includes(topic.toLowerCase()), `intro covers ${topic}`);
  });

  it('lists every schema key with its default and env variable', () => {
    const keys = configKeys();
    assert.ok(keys.length > 40);
    for (const k of keys) {
      const row = block.split('\n').find((l) => l.startsWith(`| \`${k.key}\` |`));
      assert.ok(row, `${k.key} is missing. ${HINT}`);
      assert.ok(row.includes(`\`${k.env}\``), `${k.key} lacks ${k.env}. ${HINT}`);
      assert.ok(
        row.includes(formatDefault(k.default)),
        `${k.key} lacks its default ${formatDefault(k.default)}. ${HINT}`,
      );
    }
    const listed = [...block.matchAll(/^\| `([a-z_.]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(
      listed,
      keys.map((k) => k.key),
      `the table lists keys the schema lacks, or in another order. ${HINT}`,
    );
  });

  it('documents defaults that loadConfig really applies, and env names that really work', async () => {
    const { config } = await loadConfig({ cwd: PROJECT_ROOT, env: {}, skipConfigTs: true });
    for (const k of configKeys()) {
      const value = k.key.split('.').reduce<any>((o, p) => o?.[p], config);
      assert.deepEqual(value, k.default, `default of ${k.key}`);
    }
    const { config: viaEnv } = await loadConfig({
      cwd: PROJECT_ROOT,
      env: { [configKeys().find((k) => k.key === 'redis.sentinel.port')!.env]: '26380' },
      skipConfigTs: true,
    });
    assert.equal(viaEnv.redis.sentinel.port, 26380);
  });

  it('is exactly what scripts/gen-config-doc.ts generates', () => {
    assert.ok(updateConfigDoc(text) === text, HINT);
  });
});
