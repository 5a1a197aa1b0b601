import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOne } from './helpers.ts';

const value = (fns: string, data: string, pattern = ''): unknown => {
  const result = parseOne(`<group name="r">\nv {{ x${pattern} | ${fns} }}\n</group>`, `v ${data}`) as {
    r?: { x?: unknown };
  };
  return result.r?.x;
};

test('conversions: to_int, to_float, to_str, to_list', () => {
  assert.equal(value('to_int', '42'), 42);
  assert.equal(value('to_int', 'abc'), 'abc');
  assert.equal(value('to_float', '1.5'), 1.5);
  assert.deepEqual(value('to_list', 'a'), ['a']);
  assert.equal(value('to_int | to_str', '7'), '7');
});

test('string functions: upper, lower, title, split, join, append, prepend, replaceall, truncate, sformat', () => {
  assert.equal(value('upper', 'abc'), 'ABC');
  assert.equal(value('lower', 'ABC'), 'abc');
  assert.equal(value('title', 'ab cd', ' | ORPHRASE'), 'Ab Cd');
  assert.deepEqual(value('split(",")', 'a,b'), ['a', 'b']);
  assert.equal(value('split(",") | join("-")', 'a,b'), 'a-b');
  assert.equal(value('append("!")', 'a'), 'a!');
  assert.equal(value('prepend("#")', 'a'), '#a');
  assert.equal(value('replaceall("X", "a")', 'banana'), 'bXnXnX');
  assert.equal(value('truncate(2)', 'a b c', ' | ORPHRASE'), 'a b');
  assert.equal(value('sformat("<{}>")', 'a'), '<a>');
});

test('conditions: contains, exclude, equal, notequal, *_re checks', () => {
  assert.equal(value('contains("an")', 'banana'), 'banana');
  assert.equal(value('contains("zz")', 'banana'), undefined);
  assert.equal(value('exclude("an")', 'banana'), undefined);
  assert.equal(value('equal("a")', 'a'), 'a');
  assert.equal(value('notequal("a")', 'a'), undefined);
  assert.equal(value('startswith_re("ba")', 'banana'), 'banana');
  assert.equal(value('endswith_re("x")', 'banana'), undefined);
  assert.equal(value('contains_re("n+a")', 'banana'), 'banana');
  assert.equal(value('exclude_re("n+a")', 'banana'), undefined);
});

test('resub, unrange, mac_eui, to_cidr, is_ip, cidr_match', () => {
  assert.equal(value('resub("a", "o")', 'banana'), 'bonana');
  assert.equal(value('unrange("-", ",")', '1,3-5'), '1,3,4,5');
  assert.equal(value('mac_eui', '0050.56c0.0001'), '00:50:56:c0:00:01');
  assert.equal(value('to_cidr', '255.255.255.0'), 24);
  assert.equal(value('is_ip', '10.0.0.1'), '10.0.0.1');
  assert.equal(value('is_ip', 'nope'), undefined);
  assert.equal(value('cidr_match("10.0.0.0/8")', '10.1.1.1'), '10.1.1.1');
  assert.equal(value('cidr_match("10.0.0.0/8")', '11.1.1.1'), undefined);
});

test('set, default, let, copy, record, count', () => {
  const t = `<group name="r">
interface {{ name }}
 shutdown {{ disabled | set(True) }}
 mtu {{ mtu | default("1500") }}
 vrf {{ vrf | let("has_vrf", True) | copy("vrf_copy") }}
</group>`;
  assert.deepEqual(parseOne(t, 'interface Gi1\n shutdown\n vrf A'), {
    r: { name: 'Gi1', disabled: true, mtu: '1500', vrf: 'A', has_vrf: true, vrf_copy: 'A' },
  });
});

test('joinmatches joins repeated matches', () => {
  const t = '<group name="r">\ninterface {{ name }}\n vlan {{ v | joinmatches(",") }}\n</group>';
  assert.deepEqual(parseOne(t, 'interface Gi1\n vlan 1\n vlan 2'), { r: { name: 'Gi1', v: '1,2' } });
});
