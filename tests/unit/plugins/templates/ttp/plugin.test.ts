import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import plugin from '../../../../../plugins/templates/ttp/index.ts';
import { TtpParser } from '../../../../../plugins/templates/ttp/plugin.ts';
import type { TemplateContext } from '../../../../../core/contracts/template.ts';
import { NetPulseError } from '../../../../../core/errors.ts';
import { pluginContext } from '../../../../../core/plugin/define.ts';

const log = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return log;
  },
};
const ctx = (ttp?: string): TemplateContext => ({ log, dirs: { ttp, templates: [] } });

test('manifest describes the ttp parser plugin', async () => {
  assert.equal(plugin.kind, 'parser');
  assert.equal(plugin.name, 'ttp');
  assert.equal(plugin.version, '1.0.0');
  const parser = await plugin.register(pluginContext({ config: {}, log }));
  assert.equal(parser.name, 'ttp');
});

test('inline template defaults to the dictionary structure', async () => {
  const out = await new TtpParser().parse(
    { template: 'interface {{ name }}', text: 'interface Gi1', options: {} },
    ctx(),
  );
  assert.deepEqual(out, { _root_template_: [{ name: 'Gi1' }] });
});

test('structure option is honoured and validated', async () => {
  const p = new TtpParser();
  const out = await p.parse(
    { template: 'interface {{ name }}', text: 'interface Gi1', options: { structure: 'list' } },
    ctx(),
  );
  assert.deepEqual(out, [[{ name: 'Gi1' }]]);
  await assert.rejects(
    p.parse({ template: 'x {{ y }}', text: '', options: { structure: 'tree' } }, ctx()),
    NetPulseError,
  );
});

test('empty inline template is NP_ERR_TEMPLATE', async () => {
  await assert.rejects(new TtpParser().parse({ template: '  ', text: 'x', options: {} }, ctx()), (e: unknown) => {
    return e instanceof NetPulseError && e.code === 'NP_ERR_TEMPLATE';
  });
});

test('use_ttp_template looks up platform/<platform>_<command>.txt, falling back to defaults', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ttp-lib-'));
  mkdirSync(join(dir, 'platform'));
  writeFileSync(join(dir, 'platform', 'cisco_ios_show_version.txt'), 'Version {{ version }}');
  const p = new TtpParser();
  const out = await p.parse(
    {
      template: '',
      text: 'Version 15.2',
      options: { use_ttp_template: true, ttp_template_args: { platform: 'cisco_ios', command: 'show version' } },
    },
    ctx(dir),
  );
  assert.deepEqual(out, { _root_template_: [{ version: '15.2' }] });
  const viaDefaults = await p.parse(
    {
      template: '',
      text: 'Version 15.2',
      options: { use_ttp_template: true },
      defaults: { platform: 'cisco_ios', command: 'show version' },
    },
    ctx(dir),
  );
  assert.deepEqual(viaDefaults, out);
  await assert.rejects(
    p.parse(
      {
        template: '',
        text: '',
        options: { use_ttp_template: true, ttp_template_args: { platform: 'x', command: 'y' } },
      },
      ctx(dir),
    ),
    (e: unknown) => e instanceof NetPulseError && e.code === 'NP_ERR_TEMPLATE',
  );
});
