import { parseCallArgs, PySyntaxError, type PyValue } from './pyliteral.ts';
import { NetPulseError } from '../../../core/errors.ts';

/** One `name(args, kwargs)` item of a `fn1 | fn2(...)` chain. */
export interface FunctionCall {
  name: string;
  args: PyValue[];
  kwargs: Record<string, PyValue>;
}

const ITEM = /^(\S+?)\s?(?:\((.*)\))?$/s;

/**
 * Splits a `|`-separated chain into calls. Like TTP, the split is textual, so a literal `|`
 * inside an argument needs to come from a template variable instead.
 */
export function getAttributes(line: string): FunctionCall[] {
  const result: FunctionCall[] = [];
  for (const raw of line.split('|')) {
    const item = raw.trim();
    if (!item) continue;
    const m = ITEM.exec(item);
    if (!m) throw new NetPulseError('NP_ERR_TEMPLATE', `TTP: cannot parse attribute '${item}'`);
    const call: FunctionCall = { name: m[1], args: [], kwargs: {} };
    if (m[2]) {
      try {
        const parsed = parseCallArgs(m[2]);
        call.args = parsed.args;
        call.kwargs = parsed.kwargs;
      } catch (e) {
        if (e instanceof PySyntaxError) {
          throw new NetPulseError('NP_ERR_TEMPLATE', `TTP: cannot load arguments '${m[2]}' of '${line}': ${e.message}`);
        }
        throw e;
      }
    }
    result.push(call);
  }
  return result;
}
