import assert from 'node:assert/strict';
import { NetPulseError } from '../../core/errors.ts';

/** `assert.rejects` validator: a NetPulseError with `code` (and a message matching `message`). */
export function isCode(code: string, message?: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof NetPulseError, `expected a NetPulseError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  };
}
