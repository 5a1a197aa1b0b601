/**
 * Differential test: every case under tests/fixtures/jinja2/cases is rendered by our plugin and
 * compared byte for byte with the output of real Jinja2 (python3-jinja2 3.1.2), recorded in
 * expected.txt by scripts/fixtures/gen-jinja2.py. Cases where Jinja2 raises carry
 * expected-error.txt instead and must fail with NP_ERR_TEMPLATE here too.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import plugin from '../../../../../plugins/templates/jinja2/index.ts';
import type { TemplateContext, TemplateRenderer } from '../../../../../core/contracts/template.ts';
import type { Logger } from '../../../../../core/contracts/common.ts';
import { isNetPulseError } from '../../../../../core/errors.ts';
import { pluginContext } from '../../../../../core/plugin/define.ts';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = resolve(here, '../../../../fixtures/jinja2');
const casesDir = join(fixtures, 'cases');

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const ctx: TemplateContext = { log: silent, dirs: { templates: [join(fixtures, 'includes')] } };

const caseNames = readdirSync(casesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

function readJson(path: string): Record<string, unknown> {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
}

test('the differential corpus has at least 50 cases, each with a Jinja2 result', () => {
  assert.ok(caseNames.length >= 50, `only ${caseNames.length} cases`);
  for (const name of caseNames) {
    const dir = join(casesDir, name);
    assert.ok(
      existsSync(join(dir, 'expected.txt')) || existsSync(join(dir, 'expected-error.txt')),
      `${name}: run scripts/fixtures/gen-jinja2.py`,
    );
  }
});

const renderer = (await plugin.register(pluginContext({ config: {}, log: silent }))) as TemplateRenderer;

for (const name of caseNames) {
  test(`jinja2 differential: ${name}`, async () => {
    const dir = join(casesDir, name);
    const template = readFileSync(join(dir, 'template.j2'), 'utf8');
    const context = readJson(join(dir, 'context.json'));
    const args = readJson(join(dir, 'args.json'));
    const expectedPath = join(dir, 'expected.txt');
    if (existsSync(expectedPath)) {
      const actual = await renderer.render({ template, context, args }, ctx);
      assert.equal(actual, readFileSync(expectedPath, 'utf8'));
    } else {
      const jinjaError = readFileSync(join(dir, 'expected-error.txt'), 'utf8').trim();
      await assert.rejects(renderer.render({ template, context, args }, ctx), (err: unknown) => {
        assert.ok(isNetPulseError(err), `expected a NetPulseError like Jinja2's ${jinjaError}`);
        assert.equal(err.code, 'NP_ERR_TEMPLATE');
        return true;
      });
    }
  });
}
