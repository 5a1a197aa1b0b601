/**
 * The API's fail-fast broker: one shared deadline timer must still bound every call by its own
 * time limit (calls made later time out later, answers in time pass through), and the wrapper is
 * made once per method rather than per call.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Broker } from '../../../core/contracts/broker.ts';
import { failFastBroker } from '../../../core/broker/fail-fast.ts';
import { NetPulseError } from '../../../core/errors.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A broker whose `getJob` answers after `answerMs` (never when null) and whose ping never answers. */
function slowBroker(answerMs: (id: string) => number | null): Broker {
  return {
    name: 'slow',
    ping: () => new Promise<boolean>(() => undefined),
    close: async () => undefined,
    getJob: (id: string) =>
      new Promise((resolve) => {
        const ms = answerMs(id);
        if (ms !== null) setTimeout(() => resolve(null), ms);
      }),
  } as unknown as Broker;
}

describe('fail-fast broker', () => {
  it('times out each pending call at its own deadline with one shared timer', async () => {
    const limit = 300;
    const b = failFastBroker(
      slowBroker((id) => (id === 'fast' ? 20 : null)),
      limit,
      quiet,
    );
    const t0 = performance.now();
    const settled: Record<string, number> = {};
    const track = (name: string, p: Promise<unknown>) =>
      p.then(
        () => (settled[name] = -(performance.now() - t0)),
        (e: unknown) => {
          assert.ok(e instanceof NetPulseError && e.code === 'NP_ERR_BROKER_UNAVAILABLE');
          settled[name] = performance.now() - t0;
        },
      );
    const first = track('first', b.getJob('hang-1'));
    const fast = track('fast', b.getJob('fast'));
    await sleep(150);
    const second = track('second', b.getJob('hang-2'));
    await Promise.all([first, fast, second]);
    await b.close();
    assert.ok(settled.fast < 0 && -settled.fast < limit, 'an answer in time passes through');
    assert.ok(settled.first >= limit - 5 && settled.first < limit + 150, `first timed out at ${settled.first}`);
    assert.ok(settled.second >= 150 + limit - 5, `second timed out at ${settled.second}, not with the first`);
  });

  it('hands out the same wrapper for a method on every access', () => {
    const b = failFastBroker(
      slowBroker(() => 1),
      1000,
      quiet,
    );
    assert.equal(b.getJob, b.getJob);
  });
});
