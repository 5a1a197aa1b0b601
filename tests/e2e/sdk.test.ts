/**
 * The TypeScript SDK, imported the way users do (`netpulse/client`), against a real server: the
 * envelope unwrapped, typed exceptions with the server's NP_ERR codes, waits over the event stream
 * and by polling, batch progress, and AbortSignal.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  NetPulseAuthError,
  NetPulseClient,
  NetPulseConnectionError,
  NetPulseNotFoundError,
  NetPulseValidationError,
  type Batch,
  type Job,
} from 'netpulse/client';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createServer } from 'node:net';

describe('SDK (netpulse/client)', () => {
  let s: TestServer;
  let client: NetPulseClient;
  before(async () => {
    s = await startTestServer();
    client = new NetPulseClient({ url: s.url, apiKey: s.key });
  });
  after(() => s.stop());

  it('exec returns the queued job; waitForJob follows it to the end over the event stream', async () => {
    const job: Job = await client.exec({
      driver: 'echo',
      connection_args: { host: 'sdk-1', password: 'pw' },
      command: 'sleep 300',
    });
    assert.equal(job.status, 'queued');
    assert.equal(job.batch_id, null);
    const t0 = Date.now();
    const done = await client.waitForJob(job.id, { timeoutMs: 10_000, pollMs: 60_000 });
    assert.equal(done.status, 'finished');
    assert.equal(done.result?.type, 1);
    assert.ok(Date.now() - t0 < 5_000, 'not the 60 s poll: the stream woke it');
    // Already ended: answers at once.
    assert.equal((await client.waitForJob(job.id)).id, job.id);
  });

  it('waitForJob by polling gives the same job', async () => {
    const job = await client.exec({
      driver: 'echo',
      connection_args: { host: 'sdk-2', password: 'pw' },
      command: 'fail boom',
    });
    const done = await client.waitForJob(job.id, { poll: true, pollMs: 50, timeoutMs: 10_000 });
    assert.equal(done.status, 'failed');
    assert.equal(done.result?.error?.message, 'boom');
  });

  it('bulk answers a batch_id; waitForBatch reports progress until done', async () => {
    const devices = Array.from({ length: 6 }, (_, i) => ({ host: `sdk-b${i}` }));
    const r = await client.bulk({ driver: 'echo', connection_args: { password: 'pw' }, devices, command: 'sleep 150' });
    assert.equal(r.succeeded.length, 6);
    const seen: Batch[] = [];
    const b = await client.waitForBatch(r.batch_id, { onProgress: (x) => seen.push(x), timeoutMs: 20_000 });
    assert.equal(b.done, true);
    assert.deepEqual(b.counts, { queued: 0, started: 0, finished: 6, failed: 0, canceled: 0 });
    assert.ok(seen.length >= 2, `progress reported (${seen.length})`);
    assert.equal(seen.at(-1)!.done, true);
    const jobs = await client.jobs({ batch: r.batch_id });
    assert.equal(jobs.length, 6);
    const two = await client.jobs({ id: [jobs[0].id, jobs[1].id] });
    assert.deepEqual(two.map((j) => j.id).sort(), [jobs[0].id, jobs[1].id].sort());
  });

  it('errors are typed exceptions carrying the NP_ERR code', async () => {
    const bad = new NetPulseClient({ url: s.url, apiKey: 'wrong' });
    await assert.rejects(
      bad.health(),
      (e: unknown) => e instanceof NetPulseAuthError && e.status === 403 && e.code === 'NP_ERR_UNAUTHORIZED',
    );
    await assert.rejects(
      client.exec({ driver: 'echo', connection_args: { host: 'x' } } as never),
      (e: unknown) => e instanceof NetPulseValidationError && e.code === 'NP_ERR_VALIDATION' && e.issues.length > 0,
    );
    await assert.rejects(
      client.batch('00000000-0000-4000-8000-000000000000'),
      (e: unknown) => e instanceof NetPulseNotFoundError && e.code === 'NP_ERR_UNKNOWN_BATCH',
    );
    // A port just freed on an address of its own, so another process on this machine is unlikely to take it.
    const port = await new Promise<number>((res) => {
      const srv = createServer().listen(0, '127.0.3.78', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => res(p));
      });
    });
    const gone = new NetPulseClient({ url: `http://127.0.3.78:${port}`, apiKey: 'k' });
    await assert.rejects(
      gone.health(),
      (e: unknown) => e instanceof NetPulseConnectionError && /ECONNREFUSED/.test(e.message),
    );
  });

  it('AbortSignal stops a wait and the event iterator', async () => {
    const job = await client.exec({
      driver: 'echo',
      connection_args: { host: 'sdk-abort', password: 'pw' },
      command: 'sleep 5000',
    });
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('enough')), 200);
    const t0 = Date.now();
    await assert.rejects(client.waitForJob(job.id, { signal: ac.signal }), /enough/);
    assert.ok(Date.now() - t0 < 2_000);
    const ac2 = new AbortController();
    const got: string[] = [];
    for await (const e of client.events({ host: ['sdk-abort'], signal: ac2.signal, lastEventId: '0-0' })) {
      got.push(e.type);
      if (got.length === 2) ac2.abort();
    }
    assert.deepEqual(got, ['job.queued', 'job.started']);
    await client.cancelJobs({ host: 'sdk-abort' });
  });

  it('templates, workers and health unwrap the envelope', async () => {
    const out = await client.render({ name: 'jinja2', template: 'hostname {{ h }}', context: { h: 'r1' } });
    assert.equal(out, 'hostname r1');
    const workers = (await client.workers()) as { name: string }[];
    assert.ok(workers.length >= 1);
    const health = (await client.health()) as { status: string };
    assert.equal(health.status, 'ok');
  });
});
