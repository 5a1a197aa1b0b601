import { test } from 'node:test';
import assert from 'node:assert/strict';
import plugin, { JsonataParser } from '../../../../../plugins/templates/jsonata/index.ts';
import type { TemplateContext, TemplateParser } from '../../../../../core/contracts/template.ts';
import type { Logger } from '../../../../../core/contracts/common.ts';
import { isNetPulseError } from '../../../../../core/errors.ts';
import { pluginContext } from '../../../../../core/plugin/define.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const ctx: TemplateContext = { log: silent, dirs: { templates: [] } };

/** Shape of `show interfaces status | json` from an Arista switch (eAPI). */
const eapiOutput = JSON.stringify({
  interfaceStatuses: {
    Ethernet1: {
      description: 'spine1',
      linkStatus: 'connected',
      bandwidth: 10000000000,
      vlanInformation: { vlanId: 10 },
    },
    Ethernet2: { description: '', linkStatus: 'notconnect', bandwidth: 1000000000, vlanInformation: { vlanId: 20 } },
    Ethernet3: {
      description: 'server-a',
      linkStatus: 'connected',
      bandwidth: 1000000000,
      vlanInformation: { vlanId: 10 },
    },
  },
});

function expectTemplateError(pattern: RegExp) {
  return (err: unknown) => {
    assert.ok(isNetPulseError(err));
    assert.equal(err.code, 'NP_ERR_TEMPLATE');
    assert.match(err.message, pattern);
    return true;
  };
}

test('manifest registers a parser named jsonata', async () => {
  assert.equal(plugin.kind, 'parser');
  assert.equal(plugin.name, 'jsonata');
  const impl = (await plugin.register(pluginContext({ config: {}, log: silent }))) as TemplateParser;
  assert.equal(impl.name, 'jsonata');
});

test('extracts records from eAPI JSON output', async () => {
  const parser = new JsonataParser();
  const result = await parser.parse(
    {
      template:
        "$each(interfaceStatuses, function($v, $k) { {'name': $k, 'vlan': $v.vlanInformation.vlanId} })[vlan = 10].name",
      text: eapiOutput,
      options: {},
    },
    ctx,
  );
  assert.deepEqual(result, ['Ethernet1', 'Ethernet3']);
});

test('returns a dictionary and plain JSON values (no jsonata sequence markers)', async () => {
  const parser = new JsonataParser();
  const result = await parser.parse(
    {
      template:
        "{ 'up': $count(interfaceStatuses.*[linkStatus = 'connected']), 'total_gbps': $sum(interfaceStatuses.*.bandwidth) / 1000000000 }",
      text: eapiOutput,
      options: {},
    },
    ctx,
  );
  assert.deepEqual(result, { up: 2, total_gbps: 12 });
});

test('no match gives null', async () => {
  const parser = new JsonataParser();
  assert.equal(
    await parser.parse({ template: 'interfaceStatuses.Ethernet99', text: eapiOutput, options: {} }, ctx),
    null,
  );
});

test('text that is not JSON is NP_ERR_TEMPLATE "output is not JSON"', async () => {
  const parser = new JsonataParser();
  await assert.rejects(
    parser.parse({ template: 'a', text: 'Interface  Status\nEt1  connected', options: {} }, ctx),
    expectTemplateError(/output is not JSON/),
  );
});

test('already structured input is accepted as is', async () => {
  const parser = new JsonataParser();
  const structured = { vlans: [{ id: 10 }, { id: 20 }] } as unknown as string;
  assert.deepEqual(await parser.parse({ template: 'vlans.id', text: structured, options: {} }, ctx), [10, 20]);
  assert.deepEqual(
    await parser.parse({ template: 'vlans.id', text: JSON.stringify(structured), options: {} }, ctx),
    [10, 20],
  );
});

test('syntax errors carry jsonata message, code and position', async () => {
  const parser = new JsonataParser();
  await assert.rejects(
    parser.parse({ template: 'interfaceStatuses.(', text: eapiOutput, options: {} }, ctx),
    expectTemplateError(/jsonata: .*code S0\d+.*position \d+/),
  );
});

test('evaluation errors carry jsonata message and position', async () => {
  const parser = new JsonataParser();
  await assert.rejects(
    parser.parse({ template: "'a' + 1", text: '{}', options: {} }, ctx),
    expectTemplateError(/code T2001.*position/),
  );
});

test('an empty expression is rejected', async () => {
  const parser = new JsonataParser();
  await assert.rejects(
    parser.parse({ template: '  ', text: '{}', options: {} }, ctx),
    expectTemplateError(/non-empty/),
  );
});

test('runaway recursion is stopped by the depth guard', async () => {
  const parser = new JsonataParser({ maxDepth: 50, timeoutMs: 5000 });
  await assert.rejects(
    parser.parse({ template: '($f := function($n) { $f($n + 1) + 1 }; $f(0))', text: '{}', options: {} }, ctx),
    expectTemplateError(/D1011|Stack overflow/),
  );
});

test('long evaluations are stopped by the timeout guard', async () => {
  const parser = new JsonataParser({ timeoutMs: 50, maxDepth: 100000 });
  const started = Date.now();
  await assert.rejects(
    parser.parse({ template: '$sum([1..2000000].($ * 2))', text: '{}', options: {} }, ctx),
    expectTemplateError(/D1012|timeout/i),
  );
  assert.ok(Date.now() - started < 5000);
});

test('compiled expressions are cached and reused across inputs', async () => {
  const parser = new JsonataParser();
  const template = 'vlans[id > 15].id';
  assert.deepEqual(await parser.parse({ template, text: '{"vlans":[{"id":10},{"id":20}]}', options: {} }, ctx), 20);
  assert.deepEqual(
    await parser.parse({ template, text: '{"vlans":[{"id":30},{"id":40}]}', options: {} }, ctx),
    [30, 40],
  );
  const cache = (parser as unknown as { compiled: Map<string, unknown> }).compiled;
  assert.equal(cache.size, 1);
});
