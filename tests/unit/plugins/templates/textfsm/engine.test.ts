import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileTemplate,
  parseText,
  parseTextToDicts,
  TextFsmError,
} from '../../../../../plugins/templates/textfsm/index.ts';

/** Expected rows were produced with Python textfsm 1.1.0 on the same template and text. */
function rows(template: string, text: string): unknown[] {
  return parseText(compileTemplate(template), text);
}

test('Record emits a row and clears non-Filldown values; EOF adds the last record', () => {
  const t = 'Value A (\\S+)\nValue B (\\d+)\n\nStart\n  ^a ${A}\n  ^b ${B} -> Record\n';
  assert.deepEqual(rows(t, 'a x\nb 1\na y\nb 2\na z\n'), [
    ['x', '1'],
    ['y', '2'],
    ['z', ''],
  ]);
});

test('an explicit EOF state suppresses the implicit last record', () => {
  const t = 'Value A (\\S+)\n\nStart\n  ^a ${A}\n\nEOF\n';
  assert.deepEqual(rows(t, 'a x\n'), []);
});

test('-> End stops parsing and drops the pending record', () => {
  const t = 'Value A (\\S+)\n\nStart\n  ^a ${A} -> Record\n  ^stop -> End\n';
  assert.deepEqual(rows(t, 'a 1\nstop\na 2\n'), [['1']]);
});

test('-> EOF stops parsing but the implicit record still happens without an EOF state', () => {
  const t = 'Value A (\\S+)\n\nStart\n  ^a ${A}\n  ^stop -> EOF\n';
  assert.deepEqual(rows(t, 'a 1\nstop\na 2\n'), [['1']]);
});

test('records whose fields are all empty are not emitted', () => {
  const t = 'Value A (\\S+)\n\nStart\n  ^x -> Record\n';
  assert.deepEqual(rows(t, 'x\nx\n'), []);
});

test('Filldown keeps the value across records until Clearall', () => {
  const t =
    'Value Filldown VRF (\\S+)\nValue IP (\\S+)\n\nStart\n  ^vrf ${VRF}\n  ^ip ${IP} -> Record\n  ^reset -> Clearall\n';
  assert.deepEqual(rows(t, 'vrf red\nip 1\nip 2\nreset\nip 3\n'), [
    ['red', '1'],
    ['red', '2'],
    ['', '3'],
  ]);
});

test('Filldown value alone produces the final implicit record', () => {
  const t = 'Value Filldown VRF (\\S+)\nValue IP (\\S+)\n\nStart\n  ^vrf ${VRF}\n  ^ip ${IP} -> Record\n';
  assert.deepEqual(rows(t, 'vrf red\nip 1\n'), [
    ['red', '1'],
    ['red', ''],
  ]);
});

test('Required drops records where the value is empty', () => {
  const t = 'Value Required A (\\S+)\nValue B (\\S+)\n\nStart\n  ^a ${A}\n  ^b ${B} -> Record\n';
  assert.deepEqual(rows(t, 'b 1\na x\nb 2\n'), [['x', '2']]);
});

test('Fillup copies a value upwards into earlier records until a non-empty one', () => {
  const t = 'Value A (\\S+)\nValue Fillup B (\\S+)\n\nStart\n  ^a ${A} -> Record\n  ^b ${B}\n';
  assert.deepEqual(rows(t, 'b 0\na 1\na 2\na 3\nb 9\n'), [
    ['1', '0'],
    ['2', '9'],
    ['3', '9'],
    ['', '9'],
  ]);
});

test('Key is recorded as an option and does not change parsing', () => {
  const tpl = compileTemplate('Value Key A (\\S+)\n\nStart\n  ^${A} -> Record\n');
  assert.deepEqual(tpl.values[0].options, ['Key']);
  assert.deepEqual(parseText(tpl, 'x\ny\n'), [['x'], ['y']]);
});

test('List values collect every match and reset after each record', () => {
  const t =
    'Value NAME (\\S+)\nValue List MEMBERS (\\S+)\n\nStart\n  ^group ${NAME}\n  ^ member ${MEMBERS}\n  ^end -> Record\n';
  assert.deepEqual(rows(t, 'group a\n member 1\n member 2\nend\ngroup b\nend\n'), [
    ['a', ['1', '2']],
    ['b', []],
  ]);
});

test('List with Filldown keeps accumulating across records', () => {
  const t = 'Value Filldown,List L (\\d)\nValue X (x)\n\nStart\n  ^${L}\n  ^${X} -> Record\n';
  assert.deepEqual(rows(t, '1\nx\n2\nx\n'), [
    [['1'], 'x'],
    [['1', '2'], 'x'],
    [['1', '2'], ''],
  ]);
});

test('List values with nested named groups produce dicts', () => {
  const t = 'Value List PEOPLE ((?P<name>\\w+)\\s+(?P<age>\\d+))\n\nStart\n  ^${PEOPLE}\n';
  assert.deepEqual(parseTextToDicts(compileTemplate(t), 'Bob 32\nAnn 41\n'), [
    {
      PEOPLE: [
        { name: 'Bob', age: '32' },
        { name: 'Ann', age: '41' },
      ],
    },
  ]);
});

test('Continue applies later rules to the same line', () => {
  const t = 'Value A (\\S+)\nValue B (\\S+)\n\nStart\n  ^${A} \\S+ -> Continue\n  ^\\S+ ${B} -> Record\n';
  assert.deepEqual(rows(t, 'p q\nr s\n'), [
    ['p', 'q'],
    ['r', 's'],
  ]);
});

test('Clear keeps Filldown values while Clearall drops them', () => {
  const t =
    'Value Filldown F (\\S+)\nValue V (\\S+)\n\nStart\n  ^f ${F}\n  ^v ${V}\n  ^clear -> Clear\n  ^all -> Clearall\n  ^rec -> Record\n';
  assert.deepEqual(rows(t, 'f 1\nv 2\nclear\nrec\nv 3\nall\nrec\n'), [['1', '']]);
});

test('state transitions: rules of the new state apply from the next line', () => {
  const t =
    'Value A (\\S+)\nValue B (\\S+)\n\nStart\n  ^begin -> Body\n  ^x ${A}\n\nBody\n  ^x ${B} -> Record\n  ^stop -> Start\n';
  assert.deepEqual(rows(t, 'x 0\nbegin\nx 1\nstop\nx 2\n'), [
    ['0', '1'],
    ['2', ''],
  ]);
});

test('Error action raises with the quoted message, rule line and input line', () => {
  const tpl = compileTemplate('Value Foo (x)\n\nStart\n  ^x -> Error "boom here"\n');
  assert.throws(
    () => parseText(tpl, 'x\n'),
    (err: unknown) => {
      assert.ok(err instanceof TextFsmError);
      assert.equal(err.message, 'Error: "boom here". Rule Line: 4. Input Line: x.');
      return true;
    },
  );
  const bare = compileTemplate('Value Foo (x)\n\nStart\n  ^x -> Error\n');
  assert.throws(() => parseText(bare, 'x\n'), { message: 'State Error raised. Rule Line: 4. Input Line: x' });
});

test('lines are split like Python splitlines (CR, CRLF, form feed)', () => {
  const t = 'Value A (\\S+)\n\nStart\n  ^${A}$$ -> Record\n';
  assert.deepEqual(rows(t, 'a\r\nb\rc\fd'), [['a'], ['b'], ['c'], ['d']]);
});

test('a group that does not participate leaves the value empty', () => {
  const t = 'Value A (\\d+)\nValue B (\\w+)\n\nStart\n  ^(${A}|${B}) -> Record\n';
  assert.deepEqual(rows(t, '12\nab\n'), [
    ['12', ''],
    ['', 'ab'],
  ]);
});

test('captures inside a repetition keep the last participating value, as Python does', () => {
  const t = 'Value CAP (\\w+)\nValue PORT (\\S+)\n\nStart\n  ^x\\s+(${CAP}?\\s)+\\s+${PORT} -> Record\n';
  assert.deepEqual(rows(t, 'x  BR    Eth1\n'), [['BR', 'Eth1']]);
});

test('non-ASCII input uses Unicode \\w and \\d like Python', () => {
  const t = 'Value NAME (\\w+)\nValue NUM (\\d+)\n\nStart\n  ^${NAME}\\s+${NUM} -> Record\n';
  assert.deepEqual(rows(t, 'Zürich ٣4\n'), [['Zürich', '٣4']]);
});

test('parseTextToDicts keys records by the Value names as written', () => {
  const t = 'Value Iface (\\S+)\n\nStart\n  ^${Iface} -> Record\n';
  assert.deepEqual(parseTextToDicts(compileTemplate(t), 'Gi0/1\n'), [{ Iface: 'Gi0/1' }]);
  assert.deepEqual(parseTextToDicts(compileTemplate(t), 'Gi0/1\n', { lowercaseKeys: true }), [{ iface: 'Gi0/1' }]);
});

test('a compiled template can be reused: every parse starts fresh', () => {
  const tpl = compileTemplate('Value Filldown A (\\S+)\n\nStart\n  ^${A} -> Record\n');
  assert.deepEqual(parseText(tpl, 'x\n'), [['x'], ['x']]);
  assert.deepEqual(parseText(tpl, ''), []);
});
