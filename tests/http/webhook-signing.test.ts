/**
 * Webhooks you can trust: events are signed per Standard Webhooks (checked with the reference
 * `standardwebhooks` verifier) with per-request or configured secrets and rotation; an event that
 * exhausts its retries lands in the dead-letter list and an operator's replay delivers it, with
 * the same event id, to a receiver on loopback.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { startTestServer, waitJob, type TestServer } from '../helpers/server.ts';
import { sampleValue } from '../helpers/prometheus.ts';

const secret = () => `whsec_${randomBytes(32).toString('base64')}`;
const CONFIGURED = secret();
const PREVIOUS = secret();

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('signed webhooks and the dead-letter list', () => {
  let s: TestServer;
  let hook: Server;
  let base = '';
  let failing = false;
  const received: Received[] = [];

  const waitReceived = async (n: number) => {
    for (let i = 0; i < 200 && received.length < n; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(received.length, n);
  };
  const verify = (sec: string, r: Received) => new Webhook(sec).verify(r.body, r.headers as Record<string, string>);
  const exec = async (host: string, webhook: Record<string, unknown>) => {
    const res = await s.call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host, password: 'pw' },
      command: 'show clock',
      webhook,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return waitJob(s, res.body.data.id);
  };

  before(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (failing) {
          res.statusCode = 500;
          res.end('down');
          return;
        }
        received.push({ path: req.url ?? '', headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(hook.address() as { port: number }).port}`;
    s = await startTestServer({
      webhook: {
        retries: 1,
        backoff_ms: 10,
        signing_secret: CONFIGURED,
        signing_secret_previous: PREVIOUS,
        allow_hosts: ['127.0.0.1'],
      },
    });
  });
  after(async () => {
    await s.stop();
    await new Promise<void>((r) => hook.close(() => r()));
  });

  it('signs with the request secrets (two while rotating); the reference verifier accepts either', async () => {
    const current = secret();
    const old = secret();
    const job = await exec('sig-1', { url: `${base}/hooks?token=t0k3n`, secret: [current, old] });
    await waitReceived(1);
    const r = received[0];
    assert.equal(r.headers['webhook-id'], `evt_${job.id}`);
    assert.match(String(r.headers['webhook-timestamp']), /^\d{10}$/);
    assert.equal(String(r.headers['webhook-signature']).split(' ').length, 2);
    assert.equal((verify(current, r) as { id: string }).id, job.id);
    assert.equal((verify(old, r) as { event_id: string }).event_id, `evt_${job.id}`);
    assert.throws(
      () => verify(CONFIGURED, r),
      /signature/i,
      'the configured secret is not used when the request names its own',
    );
    assert.throws(
      () => new Webhook(current).verify(r.body.replace('finished', 'failed'), r.headers as Record<string, string>),
      /signature/i,
    );
  });

  it('signs with the configured secret and the previous one when the request has none', async () => {
    await exec('sig-2', { url: `${base}/hooks` });
    await waitReceived(2);
    const r = received[1];
    assert.ok(verify(CONFIGURED, r));
    assert.ok(verify(PREVIOUS, r));
  });

  it('rejects a malformed secret before queueing', async () => {
    const res = await s.call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host: 'sig-x' },
      command: 'x',
      webhook: { url: `${base}/h`, secret: 'not-a-secret' },
    });
    assert.equal(res.status, 400);
    assert.ok(!JSON.stringify(res.body).includes('not-a-secret'), 'the value is not echoed');
  });

  it('dead-letters an event after its retries, lists it without secrets, and replays it with the same event id', async () => {
    const own = secret();
    const before = await (await fetch(`${s.url}/metrics`, { headers: { 'X-API-KEY': s.key } })).text();
    failing = true;
    const job = await exec('dead-1', {
      url: `${base}/hooks/private-path?token=hook-token-9`,
      secret: own,
      headers: { 'X-Hook-Token': 'hdr-secret-7' },
    });
    const id = `evt_${job.id}`;
    let dead: any[] = [];
    for (let i = 0; i < 200; i++) {
      dead = (await s.call('GET', '/webhook/deliveries?status=failed')).body.data;
      if (dead.some((d) => d.id === id)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const entry = dead.find((d) => d.id === id);
    assert.ok(entry, 'the event is in the dead-letter list');
    assert.deepEqual(
      {
        job_id: entry.job_id,
        status: entry.status,
        attempts: entry.attempts,
        http_status: entry.http_status,
        target: entry.target,
        event: entry.event,
      },
      { job_id: job.id, status: 'failed', attempts: 2, http_status: 500, target: base, event: 'job.finished' },
    );
    const listing = JSON.stringify((await s.call('GET', '/webhook/deliveries')).body);
    for (const secretText of [own, 'hook-token-9', 'hdr-secret-7', 'private-path'])
      assert.ok(!listing.includes(secretText), `listing leaks ${secretText}`);
    // At rest the broker holds the hook sealed (server.secret_key), not its URL, headers or secret.
    const stored = JSON.stringify(await s.np.broker.ops!.getDelivery(id));
    assert.match(stored, /"\$sealed"/);
    for (const secretText of [own, 'hook-token-9', 'hdr-secret-7', 'private-path'])
      assert.ok(!stored.includes(secretText), `the stored delivery holds ${secretText} in clear`);

    failing = false;
    const n = received.length;
    const replay = await s.call('POST', `/webhook/deliveries/${id}/retry`);
    assert.equal(replay.status, 200, JSON.stringify(replay.body));
    assert.equal(replay.body.data.status, 'delivered');
    assert.equal(replay.body.data.replays, 1);
    assert.equal(replay.body.data.attempts, 3);
    await waitReceived(n + 1);
    const got = received[n];
    assert.equal(got.headers['webhook-id'], id, 'same event id on replay: receivers can drop duplicates');
    assert.equal(got.headers['x-hook-token'], 'hdr-secret-7');
    assert.equal((verify(own, got) as { id: string }).id, job.id);
    assert.ok(!(await s.call('GET', '/webhook/deliveries?status=failed')).body.data.some((d: any) => d.id === id));
    assert.ok((await s.call('GET', '/webhook/deliveries?status=delivered')).body.data.some((d: any) => d.id === id));

    const after = await (await fetch(`${s.url}/metrics`, { headers: { 'X-API-KEY': s.key } })).text();
    const delta = (o: string) =>
      sampleValue(after, 'netpulse_webhook_deliveries_total', { outcome: o }) -
      sampleValue(before, 'netpulse_webhook_deliveries_total', { outcome: o });
    assert.deepEqual([delta('failed'), delta('replayed_delivered'), delta('delivered')], [1, 1, 0]);
    assert.equal((await s.call('GET', '/system/stats')).body.data.webhooks.dead_letters, 0);
  });

  it('answers 404 for an unknown delivery and 400 for a bad filter', async () => {
    assert.equal((await s.call('POST', '/webhook/deliveries/evt_nope/retry')).status, 404);
    assert.equal((await s.call('GET', '/webhook/deliveries?status=lost')).status, 400);
  });
});
