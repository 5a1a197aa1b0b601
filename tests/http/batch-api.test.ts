/**
 * Bulk you can follow, through the HTTP API: the bulk answer's batch_id, GET /job?batch=,
 * GET /job?id=a,b,c and GET /batch/{id} (counts, done, ETA) on a real server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestServer, waitJob, type TestServer } from '../helpers/server.ts';

describe('batch API', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());

  it('bulk answers a batch_id every job carries; the batch lists, counts and finishes', async () => {
    const devices = [{ host: 'b1' }, { host: 'b2' }, { host: 'b3' }];
    const r = await s.call('POST', '/device/bulk', {
      driver: 'echo',
      connection_args: { password: 'pw' },
      devices,
      command: 'sleep 200',
    });
    assert.equal(r.status, 201);
    const batch = r.body.data.batch_id as string;
    assert.match(batch, /^[0-9a-f-]{36}$/);
    assert.equal(r.body.data.succeeded.length, 3);
    for (const j of r.body.data.succeeded) assert.equal(j.batch_id, batch);

    const early = await s.call('GET', `/batch/${batch}`);
    assert.equal(early.status, 200);
    assert.equal(early.body.data.id, batch);
    assert.equal(early.body.data.total, 3);
    assert.equal(early.body.data.done, false);
    const c = early.body.data.counts;
    assert.equal(c.queued + c.started + c.finished + c.failed + c.canceled, 3);
    assert.ok(early.body.data.eta_seconds === null || early.body.data.eta_seconds >= 0);

    for (const j of r.body.data.succeeded) await waitJob(s, j.id);
    const done = await s.call('GET', `/batch/${batch}`);
    assert.deepEqual(done.body.data.counts, { queued: 0, started: 0, finished: 3, failed: 0, canceled: 0 });
    assert.equal(done.body.data.done, true);
    assert.equal(done.body.data.eta_seconds, 0);
    assert.match(done.body.data.created_at, /^\d{4}-\d\d-\d\dT/);

    const listed = await s.call('GET', `/job?batch=${batch}`);
    assert.deepEqual(listed.body.data.map((j: any) => j.host).sort(), ['b1', 'b2', 'b3']);
    assert.ok(listed.body.data.every((j: any) => j.batch_id === batch && j.result.type === 1));
  });

  it('GET /job?id=a,b,c returns those jobs; a single exec has batch_id null', async () => {
    const ids: string[] = [];
    for (const host of ['i1', 'i2', 'i3']) {
      const r = await s.call('POST', '/device/exec', {
        driver: 'echo',
        connection_args: { host, password: 'pw' },
        command: 'x',
      });
      assert.equal(r.body.data.batch_id, null);
      ids.push(r.body.data.id);
    }
    const two = await s.call('GET', `/job?id=${ids[0]},${ids[2]},${randomUUID()}`);
    assert.equal(two.status, 200);
    assert.deepEqual(two.body.data.map((j: any) => j.id).sort(), [ids[0], ids[2]].sort());
    const one = await s.call('GET', `/job?id=${ids[1]}`);
    assert.deepEqual(
      one.body.data.map((j: any) => j.id),
      [ids[1]],
    );
  });

  it('an unknown batch is a coded 404 in the envelope', async () => {
    const r = await s.call('GET', `/batch/${randomUUID()}`);
    assert.equal(r.status, 404);
    assert.equal(r.body.code, -1);
    assert.match(r.body.message, /^Batch [0-9a-f-]+ not found$/);
  });
});
