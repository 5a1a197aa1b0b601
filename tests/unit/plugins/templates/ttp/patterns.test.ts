import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOne } from './helpers.ts';

const one = (template: string, data: string): unknown => parseOne(`<group name="r">\n${template}\n</group>`, data);

test('WORD is the default pattern', () => {
  assert.deepEqual(one('host {{ name }}', 'host r1'), { r: { name: 'r1' } });
});

test('PHRASE needs at least two words, ORPHRASE accepts one or more', () => {
  assert.deepEqual(one('descr {{ d | PHRASE }}', 'descr a b c'), { r: { d: 'a b c' } });
  assert.deepEqual(one('descr {{ d | PHRASE }}', 'descr single'), {});
  assert.deepEqual(one('descr {{ d | ORPHRASE }}', 'descr single'), { r: { d: 'single' } });
});

test('DIGIT, IP, PREFIX, IPV6, PREFIXV6, MAC', () => {
  assert.deepEqual(one('vlan {{ v | DIGIT }}', 'vlan 10\nvlan abc'), { r: { v: '10' } });
  assert.deepEqual(one('ip {{ ip | IP }}', 'ip 10.0.0.1\nip 300'), { r: { ip: '10.0.0.1' } });
  assert.deepEqual(one('net {{ p | PREFIX }}', 'net 10.0.0.0/24'), { r: { p: '10.0.0.0/24' } });
  assert.deepEqual(one('ip6 {{ a | IPV6 }}', 'ip6 2001:db8::1'), { r: { a: '2001:db8::1' } });
  assert.deepEqual(one('net6 {{ p | PREFIXV6 }}', 'net6 2001:db8::/32'), { r: { p: '2001:db8::/32' } });
  assert.deepEqual(one('mac {{ m | MAC }}', 'mac 0050.56c0.0001'), { r: { m: '0050.56c0.0001' } });
});

test('ROW matches words separated by several spaces', () => {
  assert.deepEqual(one('{{ row | ROW }}', 'a  b   c'), { r: { row: 'a  b   c' } });
});

test('re() accepts inline regexes and template variables', () => {
  const t =
    '<vars>\nINTF = r"Gi\\S+"\n</vars>\n<group name="r">\nif {{ i | re("INTF") }} {{ n | re(r"\\d+") }}\n</group>';
  assert.deepEqual(parseOne(t, 'if Gi1/0 12\nif Te1 13'), { r: { i: 'Gi1/0', n: '12' } });
});
