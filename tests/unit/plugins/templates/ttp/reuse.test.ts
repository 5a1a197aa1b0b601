import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TtpParser } from '../../../../../plugins/templates/ttp/plugin.ts';
import { TtpEngine, compileTemplates } from '../../../../../plugins/templates/ttp/engine.ts';
import type { TemplateContext } from '../../../../../core/contracts/template.ts';

const log = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return log;
  },
};
const ctx: TemplateContext = { log, dirs: { templates: [] } };

// Exercises per-parse state: values recorded during the parse (record/count), group defaults
// and the per-input result list.
const template = `
<group name="interfaces" default="unknown">
interface {{ name | record("last_if") | count(var="if_count") }}
 description {{ description | ORPHRASE }}
 ip address {{ ip }} {{ mask }}
</group>
`;

const dataA = `r1#show run
interface Gi1
 description uplink to core
 ip address 10.0.0.1 255.255.255.0
interface Gi2
 description spare
`;

const dataB = `r2#show run
interface Te1/1
 ip address 192.0.2.1 255.255.255.252
`;

test('parsing twice with the same template text gives identical, independent results', async () => {
  const parser = new TtpParser();
  const parse = (text: string): Promise<unknown> =>
    parser.parse({ template, text, options: { structure: 'list' } }, ctx);
  const first = await parse(dataA);
  const other = await parse(dataB);
  const second = await parse(dataA);
  assert.deepEqual(second, first);
  assert.notDeepEqual(other, first);
  assert.deepEqual(first, [
    [
      {
        interfaces: [
          { name: 'Gi1', description: 'uplink to core', ip: '10.0.0.1', mask: '255.255.255.0' },
          { name: 'Gi2', description: 'spare', ip: 'unknown', mask: 'unknown' },
        ],
      },
    ],
  ]);
  // Results are fresh objects: changing one parse's result leaves the others untouched.
  ((first as unknown[][])[0][0] as Record<string, unknown>).interfaces = 'changed';
  assert.deepEqual(second, [
    [
      {
        interfaces: [
          { name: 'Gi1', description: 'uplink to core', ip: '10.0.0.1', mask: '255.255.255.0' },
          { name: 'Gi2', description: 'spare', ip: 'unknown', mask: 'unknown' },
        ],
      },
    ],
  ]);
  assert.deepEqual(await parse(dataA), second);
});

test('the compile cache returns the same compiled template for the same text', () => {
  const parser = new TtpParser();
  const compiled = parser.compile(template);
  assert.equal(parser.compile(template), compiled);
  assert.notEqual(parser.compile(template + '\n'), compiled);
});

test('engines sharing compiled templates keep inputs, variables and results apart', () => {
  const compiled = compileTemplates(template);
  const a = new TtpEngine(compiled);
  const b = new TtpEngine(compiled);
  a.addInput(dataA);
  b.addInput(dataB);
  a.parse();
  b.parse();
  const fresh = new TtpEngine(template);
  fresh.addInput(dataA);
  fresh.parse();
  assert.deepEqual(a.result('list'), fresh.result('list'));
  assert.deepEqual(b.result('list'), [
    [{ interfaces: { name: 'Te1/1', ip: '192.0.2.1', mask: '255.255.255.252', description: 'unknown' } }],
  ]);
  // Data added to one engine never reaches the compiled template or another engine.
  assert.equal(compiled[0].inputs.size, 0);
  assert.equal(a.runs[0].inputs.get('Default_Input')?.data.length, 1);
});
