import v8 from 'node:v8';
import { NetPulseError, type ValidationItem } from '../errors.ts';

/**
 * Regexes a request supplies and the server runs against device output in its own event loop
 * (netmiko `expect_string`, `error_pattern`, `terminator`, `bypass_commands`) must be runnable by
 * V8's linear-time engine: with `--enable-experimental-regexp-engine-on-excessive-backtracks`
 * a match that backtracks excessively is re-run there in O(pattern × text), so
 * `^(\s*\S+\s*)*XYZ$` cannot freeze the node (the netmiko channel also caps the time one read
 * spends matching). The engine has no lookaround, backreferences or the `i`/`u` flags (Node 20);
 * such patterns are refused with NP_ERR_REGEX_LIMIT rather than run on the backtracking engine
 * alone. Template regexes (TextFSM, TTP, jsonata) run in the template
 * sandbox instead, which has a wall-clock kill.
 */
v8.setFlagsFromString('--enable-experimental-regexp-engine');
// Patterns compiled without `l` (the platforms' own) also switch to the linear-time engine when a
// match backtracks excessively.
v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/** Longest user regex source accepted. */
export const MAX_USER_REGEX_LENGTH = 1024;

/** Compiles `source` for the linear-time engine, or throws NP_ERR_REGEX_LIMIT (400) naming `loc`. */
export function linearRegExp(source: string, flags: string, loc: (string | number)[] = ['body']): RegExp {
  const items: ValidationItem[] = [];
  const re = compileLinear(source, flags, loc, items);
  if (!re) throw regexError(items);
  return re;
}

/**
 * Like {@link linearRegExp} but collects the problem into `items` (for validation that reports every
 * field at once) and returns null. A syntax error is reported as such; {@link regexError} builds
 * the coded error from the items.
 */
export function compileLinear(
  source: string,
  flags: string,
  loc: (string | number)[],
  items: ValidationItem[],
): RegExp | null {
  if (source.length > MAX_USER_REGEX_LENGTH) {
    items.push({ loc, msg: `regular expression is longer than ${MAX_USER_REGEX_LENGTH} characters` });
    return null;
  }
  try {
    new RegExp(source, flags);
  } catch (e) {
    items.push({ loc, msg: `invalid regular expression: ${(e as Error).message}` });
    return null;
  }
  try {
    // Compiled with `l` only to prove the linear-time engine can run it; the pattern itself runs
    // on the backtracking engine (about 1000× faster on ordinary patterns) and V8 switches it to
    // the linear-time engine when a match backtracks excessively.
    new RegExp(source, flags + 'l');
    return new RegExp(source, flags);
  } catch {
    items.push({
      loc,
      msg: 'regular expression cannot run in linear time (lookaround and backreferences are not supported)',
    });
    return null;
  }
}

/** NP_ERR_REGEX_LIMIT when any item is a linear-time refusal, else a plain validation error. */
export function regexError(items: ValidationItem[]): NetPulseError {
  const limit = items.some((i) => /linear time|longer than/.test(i.msg));
  return limit
    ? new NetPulseError('NP_ERR_REGEX_LIMIT', `Regex refused: ${items.map((i) => i.msg).join('; ')}`, { data: items })
    : new NetPulseError('NP_ERR_VALIDATION', 'Validation Error', { data: items });
}
