import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PyRegex, PythonRegexError, translatePythonRegex } from '../../../../../plugins/templates/textfsm/index.ts';

function groups(pattern: string, subject: string): (string | undefined)[] | null {
  const m = new PyRegex(pattern).match(subject);
  return m ? [...m] : null;
}

test('named groups become numbered groups with a name index', () => {
  const t = translatePythonRegex('(?P<a>x)(y)(?P<b>z)');
  assert.equal(t.groupCount, 3);
  assert.deepEqual(t.groupNames, ['a', 'b']);
  assert.equal(t.groupIndex.get('b'), 3);
  assert.equal(t.fast, '(x)(y)(z)');
});

test('(?P=name) and \\1 are backreferences', () => {
  assert.deepEqual(groups('(?P<w>ab)-(?P=w)', 'ab-ab'), ['ab-ab', 'ab']);
  assert.equal(groups('(?P<w>ab)-(?P=w)', 'ab-ac'), null);
  assert.deepEqual(groups('(a)\\1', 'aa'), ['aa', 'a']);
});

test('re.match semantics: anchored at the start, not at the end', () => {
  assert.deepEqual(groups('ab', 'abc'), ['ab']);
  assert.equal(groups('b', 'ab'), null);
});

test('$ also matches before a final newline; \\Z only at the very end; \\A at the start', () => {
  assert.ok(new PyRegex('a$').match('a\n'));
  assert.equal(new PyRegex('a\\Z').match('a\n'), null);
  assert.ok(new PyRegex('\\Aa\\Z').match('a'));
});

test('. stops only at \\n (not at \\r) unless (?s)', () => {
  assert.deepEqual(groups('a.b', 'a\rb'), ['a\rb']);
  assert.equal(groups('a.b', 'a\nb'), null);
  assert.ok(new PyRegex('(?s)a.b').match('a\nb'));
});

test('leading inline flags: (?i), (?x) verbose with comments', () => {
  assert.ok(new PyRegex('(?i)show').match('SHOW'));
  assert.deepEqual(groups('(?x) (\\d+) \\s* # number\n - (\\d+)', '12 -3'), ['12 -3', '12', '3']);
});

test('scoped inline flags (?i:…) only affect their group', () => {
  assert.ok(new PyRegex('(?i:ab)c').match('ABc'));
  assert.equal(new PyRegex('(?i:ab)c').match('ABC'), null);
});

test('global flags after the start are an error, as in Python 3.11', () => {
  assert.throws(() => new PyRegex('a(?i)b'), PythonRegexError);
});

test('\\d, \\w, \\s and \\b are Unicode-aware like Python str patterns', () => {
  assert.ok(new PyRegex('\\d+$').match('٣٤'));
  assert.deepEqual(groups('\\w+', 'straße!'), ['straße']);
  assert.ok(new PyRegex('a\\sb').match('a\x1cb'), 'Python \\s includes \\x1c');
  assert.ok(new PyRegex('a\\sb').match('a\u00a0b'));
  assert.equal(new PyRegex('a\\sb').match('a\ufeffb'), null, 'Python \\s excludes U+FEFF');
  assert.deepEqual(groups('é\\b', 'é!'), ['é']);
  assert.equal(groups('é\\b', 'éa'), null);
});

test('character-class differences: leading ], literal [, negated shorthands, \\b as backspace', () => {
  assert.ok(new PyRegex('[]a]+$').match(']a]'));
  assert.ok(new PyRegex('[[]').match('['));
  assert.deepEqual(groups('[\\S\\s]+', 'a b'), ['a b']);
  assert.deepEqual(groups('[^\\W\\d]+', 'ab1'), ['ab']);
  assert.ok(new PyRegex('[\\b]').match('\b'));
  assert.ok(new PyRegex('[a-]+$').match('a-a'));
});

test('literal braces that are not quantifiers, and {,n}', () => {
  assert.ok(new PyRegex('a{').match('a{'));
  assert.ok(new PyRegex('{x}').match('{x}'));
  assert.ok(new PyRegex('a{}').match('a{}'));
  assert.deepEqual(groups('a{,2}', 'aaa'), ['aa']);
});

test('escapes: punctuation, \\x, octal, \\u; bad escapes fail like Python', () => {
  assert.ok(new PyRegex('\\:\\#\\ \\%\\-\\"').match(':# %-"'));
  assert.ok(new PyRegex('\\x41\\101\\u0042').match('AAB'));
  assert.throws(() => new PyRegex('\\q'), /bad escape/);
  assert.throws(() => new PyRegex('\\x4'), /incomplete escape/);
});

test('Python compile errors are reported', () => {
  for (const bad of ['(', ')', '*a', 'a**', '[a', '(?P<1x>a)', '(?P<a>x)(?P<a>y)', '\\2(a)', '[z-a]']) {
    assert.throws(() => new PyRegex(bad), PythonRegexError, bad);
  }
});

test('lookarounds work and may take a quantifier, as Python allows', () => {
  assert.ok(new PyRegex('(?<=a)b').match('b') === null);
  assert.ok(new PyRegex('a(?=b)').match('ab'));
  assert.ok(new PyRegex('a(?!c)?').match('ac'));
});

test('fast and exact translations agree on ASCII subjects', () => {
  const re = new PyRegex('^\\s*(\\w+)\\s+(\\d+)\\b.*$');
  const subject = '  Gi01   100 up';
  assert.deepEqual([...re.match(subject, true)!], [...re.match(subject, false)!]);
});

test('captures inside repetitions are recovered with Python values', () => {
  const re = new PyRegex('((?P<c>\\w+)?\\s)+x');
  const m = re.match('BR  x')!;
  assert.equal(m[2], undefined, 'JavaScript resets the capture');
  assert.equal(re.recoverCaptures('BR  x', m)[2], 'BR');
});
