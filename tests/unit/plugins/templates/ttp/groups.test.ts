import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOne, parseWith } from './helpers.ts';

const DATA = `interface Gi1
 description uplink one
 ip address 10.0.0.1 255.255.255.0
interface Gi2
 description spare
interface Gi3
 ip address 10.0.1.1 255.255.255.0`;

test('anonymous template (no tags) returns a list of matches', () => {
  assert.deepEqual(parseOne('interface {{ name }}', DATA), [{ name: 'Gi1' }, { name: 'Gi2' }, { name: 'Gi3' }]);
});

test('named group with * path gives a list, plain path gives dict then list', () => {
  const star = parseOne('<group name="ifs*">\ninterface {{ name }}\n</group>', 'interface Gi1');
  assert.deepEqual(star, { ifs: [{ name: 'Gi1' }] });
  const plain = parseOne('<group name="ifs">\ninterface {{ name }}\n</group>', 'interface Gi1');
  assert.deepEqual(plain, { ifs: { name: 'Gi1' } });
});

test('dynamic path {{ var }} and ** merge', () => {
  const t = '<group name="ifs.{{ name }}**">\ninterface {{ name }}\n description {{ d | ORPHRASE }}\n</group>';
  assert.deepEqual(parseOne(t, DATA), { ifs: { Gi1: { d: 'uplink one' }, Gi2: { d: 'spare' }, Gi3: {} } });
});

test('nested groups', () => {
  const t = `<group name="ifs*">
interface {{ name }}
<group name="ipv4">
 ip address {{ ip }} {{ mask }}
</group>
</group>`;
  assert.deepEqual(parseOne(t, DATA), {
    ifs: [
      { name: 'Gi1', ipv4: { ip: '10.0.0.1', mask: '255.255.255.0' } },
      { name: 'Gi2' },
      { name: 'Gi3', ipv4: { ip: '10.0.1.1', mask: '255.255.255.0' } },
    ],
  });
});

test('group functions: contains, containsall, exclude, del, default', () => {
  const base = (attrs: string): unknown =>
    parseOne(
      `<group name="ifs*" ${attrs}>\ninterface {{ name }}\n description {{ d | ORPHRASE }}\n ip address {{ ip }} {{ mask }}\n</group>`,
      DATA,
    );
  assert.deepEqual((base('contains="ip"') as { ifs: unknown[] }).ifs.length, 2);
  assert.deepEqual((base('containsall="ip, d"') as { ifs: unknown[] }).ifs.length, 1);
  assert.deepEqual((base('exclude="ip"') as { ifs: unknown[] }).ifs, [{ name: 'Gi2', d: 'spare' }]);
  assert.deepEqual((base('contains="ip" del="mask,ip"') as { ifs: unknown[] }).ifs, [
    { name: 'Gi1', d: 'uplink one' },
    { name: 'Gi3' },
  ]);
  const withDefault = base('default="none"') as { ifs: Record<string, unknown>[] };
  assert.equal(withDefault.ifs[1].ip, 'none');
});

test('indicators: _start_, _end_, _line_, _exact_, ignore', () => {
  const t = `<group name="blk*">
begin {{ _start_ }}
 {{ line | _line_ | joinmatches }}
end {{ _end_ }}
</group>`;
  assert.deepEqual(parseOne(t, 'begin\n a b\n c\nend\n d'), { blk: [{ line: 'a b\nc' }] });
  assert.deepEqual(parseOne('<group name="r">\nvlan 10 {{ name | _exact_ }}\n</group>', 'vlan 10 a\nvlan 20 b'), {
    r: { name: 'a' },
  });
  assert.deepEqual(parseOne('<group name="r">\nuser {{ ignore }} role {{ role }}\n</group>', 'user bob role admin'), {
    r: { role: 'admin' },
  });
});

test('_headers_ parses fixed-width columns', () => {
  const t = '<group name="rows*">\nPort    Status  Vlan {{ _headers_ }}\n</group>';
  const data = 'Port    Status  Vlan\nGi1     up      10\nGi2     down    20';
  assert.deepEqual(parseOne(t, data), {
    rows: [
      { Port: 'Gi1', Status: 'up', Vlan: '10' },
      { Port: 'Gi2', Status: 'down', Vlan: '20' },
    ],
  });
});

test('method="table" makes every line a start line', () => {
  const t = '<group name="e*" method="table">\nuser {{ user }}\nadmin {{ admin }}\n</group>';
  assert.deepEqual(parseOne(t, 'user a\nadmin b'), { e: [{ user: 'a' }, { admin: 'b' }] });
});

test('structures: list, dictionary, flat_list', () => {
  const t = 'interface {{ name }}';
  assert.deepEqual(parseWith(t, 'interface Gi1', 'list'), [[{ name: 'Gi1' }]]);
  assert.deepEqual(parseWith(t, 'interface Gi1', 'dictionary'), { _root_template_: [{ name: 'Gi1' }] });
  assert.deepEqual(parseWith(t, 'interface Gi1\ninterface Gi2', 'flat_list'), [{ name: 'Gi1' }, { name: 'Gi2' }]);
});

test('vars with name are saved into results; per_template merges inputs', () => {
  const t = `<template results="per_template">
<input load="text">
interface Gi1
</input>
<input name="two" load="text">
interface Gi2
</input>
<group name="ifs*">
interface {{ name }}
</group>
</template>`;
  const engine = parseWith(t, '', 'list');
  assert.deepEqual(engine, [{ ifs: [{ name: 'Gi1' }, { name: 'Gi2' }] }]);
  const withVars = parseOne(
    '<vars name="info">\nsite = "lab"\n</vars>\n<group name="ifs*">\ninterface {{ name }}\n</group>',
    'interface Gi1',
  );
  assert.deepEqual(withVars, { info: { site: 'lab' }, ifs: [{ name: 'Gi1' }] });
});
