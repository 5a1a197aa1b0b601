import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../../../../core/contracts/common.ts';
import type { ParseInput, TemplateContext } from '../../../../../core/contracts/template.ts';
import { NetPulseError } from '../../../../../core/errors.ts';
import plugin, { TextFsmParser } from '../../../../../plugins/templates/textfsm/index.ts';
import { pluginContext } from '../../../../../core/plugin/define.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

function ctx(ntc?: string): TemplateContext {
  return { log: silent, dirs: { ntc, templates: [] } };
}

function input(over: Partial<ParseInput>): ParseInput {
  return { template: '', text: '', options: {}, ...over };
}

const VERSION_TEMPLATE =
  'Value VERSION (\\S+)\nValue Uptime (.+)\n\nStart\n  ^Version ${VERSION}\n  ^.*uptime is ${Uptime} -> Record\n';
const OUTPUT = 'Version 15.2\nrouter uptime is 1 day\n';

function withLibrary(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'textfsm-ntc-'));
    try {
      writeFileSync(
        join(dir, 'index'),
        'Template, Hostname, Platform, Command\n\ncisco_ios_show_version.textfsm, .*, cisco_ios, sh[[ow]] ver[[sion]]\n',
      );
      writeFileSync(join(dir, 'cisco_ios_show_version.textfsm'), VERSION_TEMPLATE);
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

async function rejectsTemplate(p: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof NetPulseError, String(err));
    assert.equal(err.code, 'NP_ERR_TEMPLATE');
    assert.equal(err.status, 400);
    assert.match(err.message, message);
    return true;
  });
}

test('manifest: parser plugin named textfsm', async () => {
  assert.equal(plugin.kind, 'parser');
  assert.equal(plugin.name, 'textfsm');
  assert.equal(plugin.version, '1.0.0');
  const impl = await plugin.register(pluginContext({ config: {}, log: silent }));
  assert.ok(impl instanceof TextFsmParser);
  assert.equal(impl.name, 'textfsm');
});

test('inline template: records keyed by the Value names as written', async () => {
  const out = await new TextFsmParser().parse(input({ template: VERSION_TEMPLATE, text: OUTPUT }), ctx());
  assert.deepEqual(out, [{ VERSION: '15.2', Uptime: '1 day' }]);
});

test('blank template without use_ntc_template is NP_ERR_TEMPLATE', async () => {
  await rejectsTemplate(new TextFsmParser().parse(input({ template: '  \n', text: OUTPUT }), ctx()), /template/);
});

test('template syntax errors and Error actions become NP_ERR_TEMPLATE with the engine message', async () => {
  const parser = new TextFsmParser();
  await rejectsTemplate(
    parser.parse(input({ template: 'Value X (a)\nStart\n', text: 'a' }), ctx()),
    /^Expected blank line after last Value entry\. Line: 2\.$/,
  );
  await rejectsTemplate(
    parser.parse(input({ template: 'Value X (a)\n\nStart\n  ^a -> Error "unexpected"\n', text: 'a\n' }), ctx()),
    /^Error: "unexpected"\. Rule Line: 4\. Input Line: a\.$/,
  );
});

test(
  'use_ntc_template looks the template up in ctx.dirs.ntc; keys are lower-case',
  withLibrary(async (dir) => {
    const out = await new TextFsmParser().parse(
      input({
        text: OUTPUT,
        options: { use_ntc_template: true, ntc_template_args: { platform: 'cisco_ios', command: 'sh ver' } },
      }),
      ctx(dir),
    );
    assert.deepEqual(out, [{ version: '15.2', uptime: '1 day' }]);
  }),
);

test(
  'use_ntc_template falls back to the exec defaults for platform and command',
  withLibrary(async (dir) => {
    const out = await new TextFsmParser().parse(
      input({
        text: OUTPUT,
        options: { use_ntc_template: true },
        defaults: { platform: 'cisco_ios', command: 'show version' },
      }),
      ctx(dir),
    );
    assert.deepEqual(out, [{ version: '15.2', uptime: '1 day' }]);
  }),
);

test(
  'use_ntc_template without platform/command is NP_ERR_TEMPLATE',
  withLibrary(async (dir) => {
    await rejectsTemplate(
      new TextFsmParser().parse(
        input({ text: OUTPUT, options: { use_ntc_template: true, ntc_template_args: { platform: 'cisco_ios' } } }),
        ctx(dir),
      ),
      /ntc_template_args\.platform and \.command are required/,
    );
  }),
);

test('use_ntc_template without a configured directory names templates.ntc_dir', async () => {
  await rejectsTemplate(
    new TextFsmParser().parse(
      input({
        text: OUTPUT,
        options: { use_ntc_template: true, ntc_template_args: { platform: 'cisco_ios', command: 'show version' } },
      }),
      ctx(),
    ),
    /templates\.ntc_dir.*NETPULSE_TEMPLATES__NTC_DIR/,
  );
});

test(
  'no index row for the platform/command is NP_ERR_TEMPLATE',
  withLibrary(async (dir) => {
    await rejectsTemplate(
      new TextFsmParser().parse(
        input({
          text: OUTPUT,
          options: {
            use_ntc_template: true,
            ntc_template_args: { platform: 'juniper_junos', command: 'show version' },
          },
        }),
        ctx(dir),
      ),
      /Unable to parse command "show version" on platform juniper_junos - No template found/,
    );
  }),
);

test('use_ntc_template other than true uses the inline template', async () => {
  const out = await new TextFsmParser().parse(
    input({ template: VERSION_TEMPLATE, text: OUTPUT, options: { use_ntc_template: false } }),
    ctx(),
  );
  assert.deepEqual(out, [{ VERSION: '15.2', Uptime: '1 day' }]);
});
