/**
 * GET /events on a real server (memory broker): the job lifecycle as Server-Sent Events, filters,
 * authentication like every route, and resumption with Last-Event-ID after a dropped connection.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, waitJob, type TestServer } from '../helpers/server.ts';
import { openEvents } from '../helpers/sse.ts';

describe('GET /events', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());

  it('streams queued → started → finished for a job, with the GET /job view and its result', async () => {
    const stream = await openEvents(`${s.url}/events?host=ev-1`, { 'X-API-KEY': s.key });
    assert.equal(stream.status, 200);
    assert.match(String(stream.contentType), /^text\/event-stream/);
    try {
      const other = await s.call('POST', '/device/exec', {
        driver: 'echo',
        connection_args: { host: 'ev-other', password: 'pw' },
        command: 'x',
      });
      const r = await s.call('POST', '/device/exec', {
        driver: 'echo',
        connection_args: { host: 'ev-1', password: 'pw' },
        command: 'hello',
      });
      const id = r.body.data.id;
      const events = await stream.until((e) => e.event === 'job.finished');
      assert.deepEqual(
        events.map((e) => e.event),
        ['job.queued', 'job.started', 'job.finished'],
      );
      for (const e of events) {
        assert.equal(e.json.type, e.event);
        assert.equal(e.json.job.id, id, 'the host filter keeps other jobs out');
        assert.match(String(e.id), /^\d+-\d+$/);
      }
      assert.notEqual(other.body.data.id, id);
      const finished = events[2].json.job;
      const view = (await s.call('GET', `/job?id=${id}`)).body.data[0];
      assert.deepEqual(finished, view, 'the event carries exactly what GET /job shows');
      assert.equal(finished.result.type, 1);
      assert.ok(!JSON.stringify(events).includes('"pw"'), 'no secrets in events');
    } finally {
      stream.close();
    }
  });

  it('is authenticated like every route: no key → 403; the key as query parameter works', async () => {
    const denied = await openEvents(`${s.url}/events`);
    assert.equal(denied.status, 403);
    const wrong = await openEvents(`${s.url}/events`, { 'X-API-KEY': 'nope' });
    assert.equal(wrong.status, 403);
    const q = await openEvents(`${s.url}/events?X-API-KEY=${encodeURIComponent(s.key)}&job=none`);
    assert.equal(q.status, 200);
    q.close();
    const cookie = await openEvents(`${s.url}/events?job=none`, { cookie: `X-API-KEY=${encodeURIComponent(s.key)}` });
    assert.equal(cookie.status, 200);
    cookie.close();
  });

  it('filters by batch and by job (comma lists)', async () => {
    const r = await s.call('POST', '/device/bulk', {
      driver: 'echo',
      connection_args: { password: 'pw' },
      devices: [{ host: 'evb-1' }, { host: 'evb-2' }],
      command: 'sleep 300',
    });
    const batch = r.body.data.batch_id;
    const ids = r.body.data.succeeded.map((j: any) => j.id);
    // Subscribe after submit: replay from the start of the window via last_event_id=0-0 sees the queued events.
    const byBatch = await openEvents(`${s.url}/events?batch=${batch}&last_event_id=0-0`, { 'X-API-KEY': s.key });
    const byJob = await openEvents(`${s.url}/events?job=${ids[1]},nope`, { 'X-API-KEY': s.key });
    try {
      const seen = new Set<string>();
      const got = await byBatch.until(
        (e) => (e.event === 'job.finished' && seen.add(e.json.job.id) && seen.size === 2) || false,
      );
      assert.ok(got.every((e) => e.json.job.batch_id === batch));
      assert.equal(got.filter((e) => e.event === 'job.queued').length, 2);
      const jobEvents = await byJob.until((e) => e.event === 'job.finished');
      assert.ok(jobEvents.every((e) => e.json.job.id === ids[1]));
    } finally {
      byBatch.close();
      byJob.close();
    }
  });

  it('a dropped connection resumes with Last-Event-ID: nothing lost, nothing repeated', async () => {
    const first = await openEvents(`${s.url}/events?host=ev-resume`, { 'X-API-KEY': s.key });
    const r = await s.call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host: 'ev-resume', password: 'pw' },
      command: 'sleep 400',
    });
    const queued = await first.next();
    assert.equal(queued.event, 'job.queued');
    first.close(); // the connection drops while the job runs
    await waitJob(s, r.body.data.id);
    const again = await openEvents(`${s.url}/events?host=ev-resume`, {
      'X-API-KEY': s.key,
      'Last-Event-ID': String(queued.id),
    });
    try {
      const rest = await again.until((e) => e.event === 'job.finished');
      assert.deepEqual(
        rest.map((e) => e.event),
        ['job.started', 'job.finished'],
      );
    } finally {
      again.close();
    }
  });

  it('a bad Last-Event-ID is a 400 in the envelope', async () => {
    const r = await s.call('GET', '/events', undefined, { 'Last-Event-ID': 'garbage' });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, -1);
  });
});

describe('GET /events keepalive', () => {
  it('writes a `: keepalive` comment on a quiet stream', async () => {
    const Fastify = (await import('fastify')).default;
    const { MemoryBroker } = await import('../../plugins/brokers/memory/broker.ts');
    const { JobEvents } = await import('../../core/events/job-events.ts');
    const { eventsRoutes } = await import('../../core/http/routes/events.ts');
    const broker = new MemoryBroker();
    await broker.start();
    const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
    const events = new JobEvents(broker, silent);
    const app = Fastify();
    eventsRoutes(app, events, 100);
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const stream = await openEvents(`${url}/events`);
    try {
      await new Promise((r) => setTimeout(r, 450));
      assert.ok(stream.comments.filter((c) => c === 'keepalive').length >= 2, JSON.stringify(stream.comments));
      assert.equal(stream.comments[0], 'connected');
    } finally {
      stream.close();
      await app.close();
      await events.stop();
      await broker.close();
    }
  });
});
