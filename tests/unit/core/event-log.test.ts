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

it('memory broker: no events before anyone reads; ended jobs carry their result only while it is kept', async () => {
  const { MemoryBroker } = await import('../../../plugins/brokers/memory/broker.ts');
  const { newJob, nodeRecord } = await import('../../conformance/broker.ts');
  const broker = new MemoryBroker();
  await broker.start();
  try {
    await broker.heartbeat(nodeRecord('n-ring'), 5000);
    await broker.enqueueFifo([newJob({ queue: 'FifoQ' })]);
    assert.equal(await broker.eventTip(), '0-0', 'nobody had read: nothing recorded');
    const tip = await broker.eventTip();
    const job = newJob({ queue: 'FifoQ', result_ttl: 1 });
    await broker.enqueueFifo([job]);
    const work = await broker.nextWork('n-ring', 10, 0);
    const mine = work.find((w) => w.kind === 'fifo' && w.job.record.id === job.id);
    assert.ok(mine);
    const big = 'x'.repeat(1 << 20);
    await broker.finishJob(job.id, { ok: true, retval: big });
    const ended = (await broker.readEvents(tip, 100, 0)).filter((e) => e.job.id === job.id);
    assert.deepEqual(
      ended.map((e) => e.type),
      ['job.queued', 'job.started', 'job.finished'],
    );
    assert.equal(ended[2]!.job.result?.retval, big, 'the reader gets the result of an ended job');
    // Past result_ttl the job is gone, and the retained event no longer reaches its megabyte.
    await new Promise((r) => setTimeout(r, 1100));
    await broker.expireQueued(Date.now());
    const later = (await broker.readEvents(tip, 100, 0)).filter((e) => e.job.id === job.id);
    assert.equal(later.length, 3);
    assert.equal(later[2]!.job.result, null);
  } finally {
    await broker.close();
  }
});
