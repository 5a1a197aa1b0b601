/**
 * The Jinja2 differential corpus (tests/fixtures/jinja2, outputs recorded from real Jinja2) through
 * the renderer instance a running server registered and through `POST /template/render/jinja2`.
 * Both must reproduce every case the standalone plugin reproduces (tests/unit/plugins/templates/
 * jinja2/differential.test.ts): the same output byte for byte, or a 400 where Jinja2 raises.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../core/contracts/common.ts';
import { isNetPulseError } from '../../core/errors.ts';
import { pool, serverRenderer } from '../helpers/corpus.ts';
import { PROJECT_ROOT, startTestServer } from '../helpers/server.ts';

const FIXTURES = join(PROJECT_ROOT, 'tests/fixtures/jinja2');
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const readJson = (p: string) => (existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>) : {});

interface Case {
  name: string;
  template: string;
  context: Record<string, unknown>;
  args: Record<string, unknown>;
  expected: string | null;
}

const cases: Case[] = readdirSync(join(FIXTURES, 'cases'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => {
    const dir = join(FIXTURES, 'cases', d.name);
    const out = join(dir, 'expected.txt');
    return {
      name: d.name,
      template: readFileSync(join(dir, 'template.j2'), 'utf8'),
      context: readJson(join(dir, 'context.json')),
      args: readJson(join(dir, 'args.json')),
      expected: existsSync(out) ? readFileSync(out, 'utf8') : null,
    };
  })
  .sort((a, b) => (a.name < b.name ? -1 : 1));

test('jinja2 corpus through the registered renderer and POST /template/render/jinja2', async () => {
  assert.ok(cases.length >= 50, `only ${cases.length} cases`);
  const s = await startTestServer({ templates: { dirs: [join(FIXTURES, 'includes')] } });
  try {
    const renderer = serverRenderer(s, 'jinja2');
    const ctx = { log: silent, dirs: { templates: [join(FIXTURES, 'includes')] } };
    const viaPlugin: string[] = [];
    const viaHttp: string[] = [];
    await pool(cases, 8, async (c) => {
      let plugin: string | 'error';
      try {
        plugin = await renderer.render({ template: c.template, context: c.context, args: c.args }, ctx);
      } catch (e) {
        plugin = isNetPulseError(e) && e.code === 'NP_ERR_TEMPLATE' ? 'error' : `unexpected ${String(e)}`;
      }
      if (plugin === (c.expected ?? 'error')) viaPlugin.push(c.name);
      const r = await s.call('POST', '/template/render/jinja2', {
        template: c.template,
        context: c.context,
        args: c.args,
      });
      const http = r.status === 200 ? (r.body.data as string) : r.status === 400 ? 'error' : `HTTP ${r.status}`;
      if (http === (c.expected ?? 'error')) viaHttp.push(c.name);
    });
    console.log(
      `jinja2 corpus: ${viaPlugin.length}/${cases.length} through the registered renderer, ${viaHttp.length}/${cases.length} via HTTP`,
    );
    assert.equal(
      viaPlugin.length,
      cases.length,
      `not reproduced: ${cases
        .map((c) => c.name)
        .filter((n) => !viaPlugin.includes(n))
        .join(', ')}`,
    );
    assert.deepEqual(viaHttp.sort(), viaPlugin.sort());
  } finally {
    await s.stop();
  }
});
