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

/** Asserts an API error answer: HTTP `status` and the envelope `{code:-1, message, data}`; returns `data`. */
export function envelope(r: { status: number; body: any }, status: number, message?: string | RegExp): any {
  assert.equal(r.status, status, `expected HTTP ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  assert.equal(typeof r.body, 'object', 'error body is JSON');
  assert.deepEqual(Object.keys(r.body).sort(), ['code', 'data', 'message']);
  assert.equal(r.body.code, -1);
  assert.equal(typeof r.body.message, 'string');
  if (typeof message === 'string') assert.equal(r.body.message, message);
  else if (message) assert.match(r.body.message, message);
  return r.body.data;
}
