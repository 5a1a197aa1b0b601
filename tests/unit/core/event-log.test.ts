/** The memory broker's job event log: a bounded window with ordered `<ms>-<seq>` ids. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { EventLog } from '../../../plugins/brokers/memory/event-log.ts';
import { compareEventIds, type JobRecord } from '../../../core/contracts/broker.ts';

const rec = (id: string) => ({ id }) as unknown as JobRecord;

it('keeps the newest `window` events, in order, with increasing ids', () => {
  const log = new EventLog(5);
  assert.equal(log.tip(), '0-0');
  for (let i = 0; i < 8; i++) log.push('job.queued', rec(`j${i}`));
  const all = log.after('0-0', 100);
  assert.deepEqual(
    all.map((e) => e.job.id),
    ['j3', 'j4', 'j5', 'j6', 'j7'],
    'the three oldest fell out of the window',
  );
  for (let i = 1; i < all.length; i++) assert.ok(compareEventIds(all[i - 1].id, all[i].id) < 0);
  assert.equal(log.tip(), all[4].id);
  assert.deepEqual(
    log.after(all[1].id, 2).map((e) => e.job.id),
    ['j5', 'j6'],
  );
  assert.deepEqual(log.after(all[4].id, 10), []);
});

it('compareEventIds orders by time then sequence, numerically', () => {
  assert.ok(compareEventIds('9-0', '10-0') < 0);
  assert.ok(compareEventIds('10-2', '10-10') < 0);
  assert.equal(compareEventIds('5-1', '5-1'), 0);
});
