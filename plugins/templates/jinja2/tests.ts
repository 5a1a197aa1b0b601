/**
 * Jinja2's built-in tests (`x is defined`, `selectattr('a', 'equalto', 1)`), with Python
 * semantics. Every test returns a real boolean because compiled `is` expressions compare the
 * result with `=== true`.
 */
import { PyFloat, isFloat, isMapping, isSafeString, isString, num, pyCmp, pyEq, pyIn, unwrap } from './py.ts';

export type TestFn = (value: unknown, ...args: unknown[]) => boolean;

const isInteger = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v);
const eq: TestFn = (v, other) => pyEq(v, other);
const ne: TestFn = (v, other) => !pyEq(v, other);
const lt: TestFn = (v, other) => pyCmp(v, other, '<') < 0;
const le: TestFn = (v, other) => pyCmp(v, other, '<=') <= 0;
const gt: TestFn = (v, other) => pyCmp(v, other, '>') > 0;
const ge: TestFn = (v, other) => pyCmp(v, other, '>=') >= 0;

export function buildTests(
  registry: () => { filters: Record<string, unknown>; tests: Record<string, TestFn> },
): Record<string, TestFn> {
  return {
    defined: (v) => v !== undefined,
    undefined: (v) => v === undefined,
    none: (v) => v === null,
    // nunjucks' lexer reads `none` as the null literal, so `x is none` arrives as test "null".
    null: (v) => v === null,
    true: (v) => v === true,
    false: (v) => v === false,
    boolean: (v) => typeof v === 'boolean',
    integer: (v) => isInteger(v),
    float: (v) => isFloat(v),
    number: (v) => typeof v === 'number' || v instanceof PyFloat,
    string: (v) => isString(v),
    mapping: (v) => isMapping(unwrap(v)),
    iterable: (v) => isString(v) || Array.isArray(v) || isMapping(unwrap(v)),
    sequence: (v) => isString(v) || Array.isArray(v) || isMapping(unwrap(v)),
    callable: (v) => typeof v === 'function',
    sameas: (v, other) => v === other,
    escaped: (v) => isSafeString(v),
    odd: (v) => Math.abs(num(v) % 2) === 1,
    even: (v) => num(v) % 2 === 0,
    divisibleby: (v, n) => num(v) % num(n) === 0,
    lower: (v) => isString(v) && String(v) === String(v).toLowerCase(),
    upper: (v) => isString(v) && String(v) === String(v).toUpperCase(),
    in: (v, seq) => pyIn(v, seq),
    filter: (v) => typeof v === 'string' && Object.hasOwn(registry().filters, v),
    test: (v) => typeof v === 'string' && Object.hasOwn(registry().tests, v),
    eq,
    equalto: eq,
    '==': eq,
    ne,
    '!=': ne,
    lt,
    lessthan: lt,
    '<': lt,
    le,
    '<=': le,
    gt,
    greaterthan: gt,
    '>': gt,
    ge,
    '>=': ge,
  };
}
