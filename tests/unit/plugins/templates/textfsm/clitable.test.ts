import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compileTemplate,
  expandCompletion,
  findIndexRow,
  parseIndex,
  parseWithTemplates,
  TemplateLibrary,
} from '../../../../../plugins/templates/textfsm/index.ts';

test('completion shorthand expands like CliTable', () => {
  assert.equal(expandCompletion('sh[[ow]] ver[[sion]]'), 'sh(o(w)?)? ver(s(i(o(n)?)?)?)?');
  assert.equal(expandCompletion('show clock'), 'show clock');
});

const INDEX = [
  '# comment before the header',
  '',
  'Template, Hostname, Platform, Command  # trailing comment',
  '',
  'ios_version.textfsm, .*, cisco_ios, sh[[ow]] ver[[sion]]',
  '# a comment row',
  'ios_int.textfsm:ios_int_extra.textfsm, .*, cisco_ios, sh[[ow]] int[[erfaces]]',
  'ios_int_brief.textfsm, .*, cisco_ios, sh[[ow]] ip int[[erface]] br[[ief]]$',
  'a row, with too few fields',
  'nxos_version.textfsm, , cisco_nxos, show version',
].join('\n');

test('index parsing: header after comments, comment rows and short rows skipped', () => {
  const index = parseIndex(INDEX);
  assert.deepEqual(index.header, ['Template', 'Hostname', 'Platform', 'Command']);
  assert.equal(index.rows.length, 4);
  assert.equal(index.rows[0].fields.Command, 'sh(o(w)?)? ver(s(i(o(n)?)?)?)?');
  assert.equal(index.rows[3].matchers.has('Hostname'), false, 'empty fields are not checked');
});

test('lookup: prefix match (re.match), $ anchors, first row wins, attributes that are not columns ignored', () => {
  const index = parseIndex(INDEX);
  const find = (Platform: string, Command: string) =>
    findIndexRow(index, { Platform, Command, Vendor: 'x' })?.fields.Template ?? null;
  assert.equal(find('cisco_ios', 'sh ver'), 'ios_version.textfsm');
  assert.equal(find('cisco_ios', 'show version | include x'), 'ios_version.textfsm');
  assert.equal(find('cisco_ios', 'sh int'), 'ios_int.textfsm:ios_int_extra.textfsm');
  assert.equal(find('cisco_ios', 'show ip int brief'), 'ios_int_brief.textfsm');
  assert.equal(find('cisco_ios', 'show ip int brief x'), null);
  assert.equal(find('cisco_nxos', 'show version'), 'nxos_version.textfsm');
  assert.equal(find('cisco_nxos', 'sh version'), null);
  assert.equal(find('cisco_iosxr', 'show version'), 'ios_version.textfsm', 'Platform cisco_ios is a prefix match');
});

test('merge of several templates joins on the first template Key values', () => {
  const first = compileTemplate(
    'Value Key IFACE (\\S+)\nValue STATUS (up|down)\n\nStart\n  ^${IFACE} is ${STATUS} -> Record\n',
  );
  const second = compileTemplate('Value IFACE (\\S+)\nValue MTU (\\d+)\n\nStart\n  ^${IFACE} mtu ${MTU} -> Record\n');
  const text = 'Gi1 is up\nGi2 is down\nGi2 mtu 9000\n';
  const table = parseWithTemplates([first, second], text);
  assert.deepEqual(table.header, ['IFACE', 'STATUS', 'MTU']);
  assert.deepEqual(table.rows, [
    ['Gi1', 'up', ''],
    ['Gi2', 'down', '9000'],
  ]);
});

test('merge without Key values pairs rows by position', () => {
  const first = compileTemplate('Value A (a\\d)\n\nStart\n  ^${A} -> Record\n');
  const second = compileTemplate('Value B (b\\d)\n\nStart\n  ^${B} -> Record\n');
  const table = parseWithTemplates([first, second], 'a1\na2\nb1\n');
  assert.deepEqual(table.rows, [
    ['a1', 'b1'],
    ['a2', ''],
  ]);
});

test('CliTable rows hold str() of List items: None and dicts as Python prints them', () => {
  const tpl = compileTemplate(
    'Value List L ((?P<k>\\w+)=(?P<v>\\d+)?)\nValue List O (x)\n\nStart\n  ^${L}\n  ^(${O}|y)\n',
  );
  const table = parseWithTemplates([tpl], 'a=1\nb=\ny\n');
  assert.deepEqual(table.rows, [[["{'k': 'a', 'v': '1'}", "{'k': 'b', 'v': None}"], ['None']]]);
});

test('TemplateLibrary reads index and templates from a directory and reloads changed files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'textfsm-lib-'));
  try {
    writeFileSync(join(dir, 'index'), 'Template, Platform, Command\n\nv.textfsm, cisco_ios, sh[[ow]] ver[[sion]]\n');
    writeFileSync(join(dir, 'v.textfsm'), 'Value VERSION (\\S+)\n\nStart\n  ^Version ${VERSION} -> Record\n');
    const lib = new TemplateLibrary(dir);
    assert.deepEqual(lib.parseCmd('Version 15.2\n', { Platform: 'cisco_ios', Command: 'sh ver' }).rows, [['15.2']]);
    assert.throws(() => lib.parseCmd('x', { Platform: 'cisco_nxos', Command: 'sh ver' }), /No template found/);
    writeFileSync(join(dir, 'v.textfsm'), 'Value VER (\\S+)\n\nStart\n  ^Version ${VER} -> Record\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(join(dir, 'v.textfsm'), later, later);
    assert.deepEqual(lib.parseCmd('Version 16\n', { Platform: 'cisco_ios', Command: 'show version' }).header, ['VER']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
