import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDeadline } from '../../../core/jobs/pipeline.ts';
import { NetPulseError } from '../../../core/errors.ts';

/** A job body that waits until its signal aborts, then rejects with the reason. */
const untilAborted = (seen: AbortSignal[]) => (signal: AbortSignal) =>
  new Promise<never>((_, reject) => {
    seen.push(signal);
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

test('the parent signal aborts every job running under it, and only those', async () => {
  const stop = new AbortController();
  const seen: AbortSignal[] = [];
  const finished = await withDeadline(
    5,
    async (s) => {
      seen.push(s);
      return 'done';
    },
    stop.signal,
  );
  assert.equal(finished, 'done');
  const running = [1, 2, 3].map(() => withDeadline(5, untilAborted(seen), stop.signal));
  await new Promise((r) => setImmediate(r));
  stop.abort(new Error('node stopping'));
  for (const r of running) await assert.rejects(r, /node stopping/);
  assert.deepEqual(
    seen.map((s) => s.aborted),
    [false, true, true, true],
  );
});

test('a job started under an already-aborted parent starts aborted', async () => {
  const stop = new AbortController();
  stop.abort(new Error('gone'));
  await assert.rejects(withDeadline(5, untilAborted([]), stop.signal), /gone/);
});

test('the deadline fails a job that ignores its signal, with NP_ERR_JOB_TIMEOUT', async () => {
  const err = await withDeadline(0.05, () => new Promise(() => undefined), undefined).catch((e) => e);
  assert.ok(err instanceof NetPulseError);
  assert.equal(err.code, 'NP_ERR_JOB_TIMEOUT');
});
