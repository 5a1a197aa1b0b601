import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import plugin, { Jinja2Renderer } from '../../../../../plugins/templates/jinja2/index.ts';
import type { TemplateContext } from '../../../../../core/contracts/template.ts';
import type { Logger } from '../../../../../core/contracts/common.ts';
import { isNetPulseError } from '../../../../../core/errors.ts';
import { pluginContext } from '../../../../../core/plugin/define.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

const root = mkdtempSync(join(tmpdir(), 'np-jinja2-'));
const templatesDir = join(root, 'templates');
const outsideDir = join(root, 'outside');
mkdirSync(join(templatesDir, 'sub'), { recursive: true });
mkdirSync(outsideDir);
writeFileSync(join(templatesDir, 'sub', 'vlan.j2'), 'vlan {{ id }}\n');
writeFileSync(join(outsideDir, 'secret.j2'), 'SECRET\n');
symlinkSync(join(outsideDir, 'secret.j2'), join(templatesDir, 'link.j2'));

const ctx: TemplateContext = { log: silent, dirs: { templates: [templatesDir] } };

async function render(
  template: string,
  context: Record<string, unknown> = {},
  args: Record<string, unknown> = {},
  c = ctx,
) {
  return new Jinja2Renderer().render({ template, context, args }, c);
}

function templateError(pattern: RegExp) {
  return (err: unknown) => {
    assert.ok(isNetPulseError(err), `not a NetPulseError: ${String(err)}`);
    assert.equal(err.code, 'NP_ERR_TEMPLATE');
    assert.match(err.message, pattern);
    assert.doesNotMatch(err.message, /\n\s+at /, 'no stack trace in the message');
    return true;
  };
}

test('manifest: renderer jinja2 1.0.0 whose register returns a TemplateRenderer', async () => {
  assert.equal(plugin.kind, 'renderer');
  assert.equal(plugin.name, 'jinja2');
  assert.equal(plugin.version, '1.0.0');
  const impl = await plugin.register(pluginContext({ config: {}, log: silent }));
  assert.equal(impl.name, 'jinja2');
});

test('a subset of args is enough (the reference failed unless all were sent): only trim_blocks', async () => {
  assert.equal(await render('{% if x %}\nyes\n{% endif %}\n', { x: 1 }, { trim_blocks: true }), 'yes\n');
});

test('a subset of args is enough: only keep_trailing_newline, nulls mean default', async () => {
  assert.equal(await render('a\n', {}, { keep_trailing_newline: true, lstrip_blocks: null }), 'a\n');
  assert.equal(await render('a\n', {}, {}), 'a');
});

test('unknown arg key is NP_ERR_TEMPLATE naming the key', async () => {
  await assert.rejects(render('x', {}, { trim_block: true }), templateError(/'trim_block'/));
});

test('wrongly typed args are rejected', async () => {
  await assert.rejects(render('x', {}, { trim_blocks: 'yes' }), templateError(/trim_blocks/));
  await assert.rejects(render('x', {}, { newline_sequence: '\t' }), templateError(/newline_sequence/));
});

test('custom delimiters from args', async () => {
  assert.equal(
    await render(
      '<% for v in vs %>[[ v ]]<% endfor %>',
      { vs: [1, 2] },
      {
        block_start_string: '<%',
        block_end_string: '%>',
        variable_start_string: '[[',
        variable_end_string: ']]',
      },
    ),
    '12',
  );
});

test('line statements and newline_sequence', async () => {
  assert.equal(
    await render('# for v in vs\nv{{ v }}\n# endfor\n', { vs: [1, 2] }, { line_statement_prefix: '#' }),
    'v1\nv2\n',
  );
  assert.equal(await render('a\nb\n{{ x }}', { x: 'c\nd' }, { newline_sequence: '\r\n' }), 'a\r\nb\r\nc\nd');
});

test('undefined variables and attributes render as empty text', async () => {
  assert.equal(await render('[{{ nope }}][{{ d.missing }}][{{ d.x.y }}][{{ l[5] }}]', { d: {}, l: [] }), '[][][][]');
  assert.equal(await render('{{ none_value }}', { none_value: null }), 'None');
});

test('include resolves inside the template directories', async () => {
  assert.equal(await render("{% include 'sub/vlan.j2' %}", { id: 7 }), 'vlan 7');
});

test('include traversal outside the template directories is rejected', async () => {
  await assert.rejects(render("{% include '../outside/secret.j2' %}"), templateError(/not allowed/));
  await assert.rejects(render(`{% include '${join(outsideDir, 'secret.j2')}' %}`), templateError(/not allowed/));
  await assert.rejects(render("{% import 'sub/../../outside/secret.j2' as s %}"), templateError(/not allowed/));
});

test('a symlink leading out of the template directories is rejected', async () => {
  await assert.rejects(render("{% include 'link.j2' %}"), templateError(/outside the template directories/));
});

test('include with no template directories configured finds nothing', async () => {
  await assert.rejects(
    render("{% include 'sub/vlan.j2' %}", {}, {}, { log: silent, dirs: { templates: [] } }),
    templateError(/template not found/),
  );
});

test('syntax errors are NP_ERR_TEMPLATE with the engine message and position', async () => {
  await assert.rejects(render('{% for x in %}{% endfor %}'), templateError(/Line 1/));
  await assert.rejects(render('{% if x %}unclosed'), templateError(/jinja2:/));
});

test('render errors are NP_ERR_TEMPLATE', async () => {
  await assert.rejects(render('{{ 1 / 0 }}'), templateError(/division by zero/));
  await assert.rejects(render('{{ x | nosuchfilter }}'), templateError(/nosuchfilter/));
  await assert.rejects(render("{{ 'a' + 1 }}"), templateError(/unsupported operand/));
});

test('JavaScript internals are not reachable from templates', async () => {
  assert.equal(
    await render("{{ ''.constructor }}|{{ d.__proto__ }}|{{ constructor }}|{{ toString }}", { d: {} }),
    '|||',
  );
});

test('the caller context is not mutated by list.append in the template', async () => {
  const context = { ports: ['Gi0/1'] };
  await render("{% if ports.append('Gi0/2') %}{% endif %}{{ ports | length }}", context);
  assert.deepEqual(context.ports, ['Gi0/1']);
});

test('compiled templates are cached per (text, args)', async () => {
  const r = new Jinja2Renderer();
  const cache = (r as unknown as { compiled: { size: number } }).compiled;
  await r.render({ template: '{{ a }}', context: { a: 1 }, args: {} }, ctx);
  await r.render({ template: '{{ a }}', context: { a: 2 }, args: {} }, ctx);
  assert.equal(cache.size, 1);
  assert.equal(
    await r.render({ template: '{% if 1 %}\nx{% endif %}', context: {}, args: { trim_blocks: true } }, ctx),
    'x',
  );
  assert.equal(await r.render({ template: '{% if 1 %}\nx{% endif %}', context: {}, args: {} }, ctx), '\nx');
  assert.equal(cache.size, 3);
});

test('Python semantics that nunjucks lacks', async () => {
  assert.equal(await render('{% if l %}t{% else %}f{% endif %}{{ l or "empty" }}', { l: [] }), 'fempty');
  assert.equal(
    await render("{{ '-' * 3 }} {{ 7 / 2 }} {{ 4 / 2 }} {{ 'x%03d' % 5 }} {{ (1, 'a') }}"),
    "--- 3.5 2.0 x005 (1, 'a')",
  );
  assert.equal(
    await render('{{ true }} {{ none }} {{ [1, "a"] }} {{ {"k": none} }}'),
    "True None [1, 'a'] {'k': None}",
  );
  assert.equal(await render('{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{% endfor %}{{ x }}'), '1');
});
