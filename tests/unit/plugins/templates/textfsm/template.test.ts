import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate, TextFsmTemplateError } from '../../../../../plugins/templates/textfsm/index.ts';

/** Messages checked against Python textfsm 1.1.0 (`TextFSM(io.StringIO(template))`). */
const ERRORS: [string, string, string][] = [
  ['no Value definitions', 'Start\n  ^a\n', 'No Value definitions found.'],
  ['regex without parentheses', 'Value Foo \\S+\n\nStart\n  ^${Foo}\n', 'Unknown option "Foo" Line 1.'],
  ['unknown option', 'Value Bogus Foo (x)\n\nStart\n  ^${Foo}\n', 'Unknown option "Bogus" Line 1.'],
  ['duplicate option', 'Value Key,Key Foo (x)\n\nStart\n  ^${Foo}\n', 'Duplicate option "Key" Line 1.'],
  [
    'duplicate Value',
    'Value Foo (x)\nValue Foo (y)\n\nStart\n  ^${Foo}\n',
    "Duplicate declarations for Value 'Foo'. Line: 2.",
  ],
  [
    'no blank line after Values',
    'Value Foo (x)\nStart\n  ^${Foo}\n',
    'Expected blank line after last Value entry. Line: 2.',
  ],
  ['no Start state', 'Value Foo (x)\n\nOther\n  ^${Foo}\n', "Missing state 'Start'."],
  [
    'unknown target state',
    'Value Foo (x)\n\nStart\n  ^${Foo} -> Missing\n',
    "State 'Missing' not found, referenced in state 'Start'",
  ],
  [
    'three-space indent',
    'Value Foo (x)\n\nStart\n   ^${Foo}\n',
    "Missing white space or carat ('^') before rule. Line: 4",
  ],
  [
    'single $ in a rule',
    'Value Foo (x)\n\nStart\n  ^${Foo}$\n',
    "Duplicate or invalid variable substitution: '^${Foo}$'. Line: 4.",
  ],
  ['invalid regex', 'Value Foo (x)\n\nStart\n  ^${Foo}(\n', "Invalid regular expression: '^(?P<Foo>x)('. Line: 4."],
  [
    'Continue with a new state',
    'Value Foo (x)\n\nStart\n  ^${Foo} -> Continue Other\n\nOther\n  ^x\n',
    "Action 'Continue' with new state Other specified. Line: 4.",
  ],
  [
    'unknown action',
    'Value Foo (x)\n\nStart\n  ^${Foo} -> Next.Bogus\n',
    "Badly formatted rule '^${Foo} -> Next.Bogus'. Line: 4.",
  ],
  ['non-empty End', 'Value Foo (x)\n\nStart\n  ^${Foo}\n\nEnd\n  ^x\n', "Non-Empty 'End' state."],
  ['too few tokens', 'Value Foo\n\nStart\n  ^x\n', 'Expect at least 3 tokens on line. Line 1.'],
  [
    'name too long',
    `Value ${'A'.repeat(49)} (x)\n\nStart\n  ^x\n`,
    `Invalid Value name '${'A'.repeat(49)}' or name too long. Line 1.`,
  ],
  ['reserved state name', 'Value Foo (x)\n\nStart\n  ^x\n\nRecord\n  ^y\n', "Invalid state name: 'Record'. Line: 6"],
  ['duplicate state', 'Value Foo (x)\n\nStart\n  ^x\n\nStart\n  ^y\n', "Duplicate state name: 'Start'. Line: 6"],
  [
    'same Value twice in a rule',
    'Value A (x)\n\nStart\n  ^${A} ${A}\n',
    "Invalid regular expression: '^(?P<A>x) (?P<A>x)'. Line: 4.",
  ],
  [
    'unbalanced Value regex',
    'Value Foo (a))\n\nStart\n  ^x\n',
    "Value '(a))' must be contained within a '()' pair. Line 1.",
  ],
];

for (const [what, template, message] of ERRORS) {
  test(`template error: ${what}`, () => {
    assert.throws(
      () => compileTemplate(template),
      (err: unknown) => {
        assert.ok(err instanceof TextFsmTemplateError);
        assert.equal(err.message, message);
        return true;
      },
    );
  });
}

test('an empty template is a Null template', () => {
  assert.throws(() => compileTemplate(''), { message: 'Null template.' });
});

test('values, options, states and actions are read as written', () => {
  const tpl = compileTemplate(
    [
      '# leading comment',
      'Value Filldown,Required IFACE (\\S+)',
      'Value List ITEMS (\\d+)',
      '',
      'Start',
      '  # comment inside a state',
      '  ^Interface ${IFACE} -> Continue.Record',
      '  ^Item ${ITEMS} -> Next.Clearall Items',
      '  ^Stop -> End',
      '',
      'Items',
      '\t^Done -> Record Start',
      '  ^Oops -> Error "bad input"',
      '  ^Quit -> EOF',
      '',
      'EOF',
    ].join('\n'),
  );
  assert.deepEqual(tpl.header, ['IFACE', 'ITEMS']);
  assert.deepEqual(tpl.values[0].options, ['Filldown', 'Required']);
  assert.equal(tpl.values[1].isList, true);
  assert.equal(tpl.hasEofState, true);
  const start = tpl.states.get('Start')!;
  assert.equal(start.rules.length, 3);
  assert.deepEqual(
    [start.rules[0].lineOp, start.rules[0].recordOp, start.rules[0].newState],
    ['Continue', 'Record', ''],
  );
  assert.equal(start.rules[0].regex, '^Interface (?P<IFACE>\\S+)');
  assert.deepEqual(
    [start.rules[1].lineOp, start.rules[1].recordOp, start.rules[1].newState],
    ['Next', 'Clearall', 'Items'],
  );
  assert.equal(start.rules[1].target?.name, 'Items');
  assert.equal(start.rules[2].newState, 'End');
  const items = tpl.states.get('Items')!;
  assert.deepEqual([items.rules[0].recordOp, items.rules[0].newState], ['Record', 'Start']);
  assert.deepEqual([items.rules[1].lineOp, items.rules[1].newState], ['Error', '"bad input"']);
  assert.equal(items.rules[0].lineNum, 12);
});

test('$$ is a literal $ and both ${NAME} and $NAME substitute', () => {
  const tpl = compileTemplate('Value A (x)\nValue B (y)\n\nStart\n  ^$A-${B}$$\n');
  assert.equal(tpl.states.get('Start')!.rules[0].regex, '^(?P<A>x)-(?P<B>y)$');
});

test('two spaces before -> keep one trailing space in the rule regex', () => {
  const tpl = compileTemplate('Value A (x)\n\nStart\n  ^${A}  -> Record\n');
  assert.equal(tpl.states.get('Start')!.rules[0].match, '^${A} ');
});

test('CRLF template lines are read like text-mode files', () => {
  const tpl = compileTemplate('Value A (\\w+)\r\n\r\nStart\r\n  ^${A} -> Record\r\n');
  assert.equal(tpl.states.get('Start')!.rules[0].regex, '^(?P<A>\\w+)');
});
