import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import basic from '../../../../plugins/webhooks/basic/index.ts';
import { parseRetryAfter, attemptTimeoutMs } from '../../../../plugins/webhooks/basic/caller.ts';
import { hostAllowed, parseAllowList } from '../../../../plugins/webhooks/basic/target.ts';
import { isNetPulseError } from '../../../../core/errors.ts';
import type { WebhookCaller } from '../../../../core/contracts/webhook.ts';
import {
  captureLogger,
  closedPort,
  hookFor,
  sampleEvent,
  startHookServer,
  type HookServer,
} from '../../../conformance/webhook.ts';
import { pluginContext } from '../../../../core/plugin/define.ts';

// The hook receivers listen on loopback, which webhooks refuse unless allow_hosts names it.
async function caller(webhook: Record<string, unknown> = {}): Promise<WebhookCaller> {
  return basic.register(
    pluginContext({ config: { webhook: { allow_hosts: ['127.0.0.1'], ...webhook } }, log: captureLogger().log }),
  );
}

describe('basic webhook', () => {
  let server: HookServer;

  before(async () => {
    server = await startHookServer();
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
    server.reply(() => ({ status: 204 }));
  });

  it('is a webhook plugin named basic', async () => {
    assert.equal(basic.kind, 'webhook');
    assert.equal(basic.name, 'basic');
    assert.equal((await caller()).name, 'basic');
  });

  it('sends method, headers, cookies and HTTP Basic auth, with the event as a JSON object', async () => {
    const { log } = captureLogger();
    const event = sampleEvent();
    const d = await (await caller()).deliver(
      hookFor(`${server.url}/hooks/job?src=np`, {
        method: 'PUT',
        headers: { 'X-Trace': 'abc123', 'X-Api-Version': '2' },
        cookies: { session: 'tok1', theme: 'dark' },
        auth: ['alice', 'pa:ss wörd'],
      }),
      event,
      { log },
    );
    assert.deepEqual(d, { ok: true, attempts: 1, status: 204 });
    const [req] = server.requests;
    assert.equal(req!.method, 'PUT');
    assert.equal(req!.url, '/hooks/job?src=np');
    assert.equal(req!.headers['x-trace'], 'abc123');
    assert.equal(req!.headers['x-api-version'], '2');
    assert.equal(req!.headers.cookie, 'session=tok1; theme=dark');
    assert.equal(req!.headers.authorization, `Basic ${Buffer.from('alice:pa:ss wörd', 'utf8').toString('base64')}`);
    assert.match(String(req!.headers['content-type']), /^application\/json/);
    assert.deepEqual(JSON.parse(req!.body), event);
  });

  it('lets a custom Content-Type through and appends cookies to a Cookie header', async () => {
    const { log } = captureLogger();
    await (await caller()).deliver(
      hookFor(`${server.url}/x`, {
        headers: { 'Content-Type': 'application/vnd.np+json', Cookie: 'a=1' },
        cookies: { b: 'x;y=z' },
      }),
      sampleEvent(),
      { log },
    );
    const [req] = server.requests;
    assert.equal(req!.headers['content-type'], 'application/vnd.np+json');
    // A value that would inject another cookie is percent-encoded.
    assert.equal(req!.headers.cookie, 'a=1; b=x%3By%3Dz');
  });

  it('failure events carry error {type, message} and a null result', async () => {
    const { log } = captureLogger();
    const event = sampleEvent({
      event: 'job.failed',
      status: 'failed',
      result: null,
      error: { type: 'ValueError', message: 'boom' },
    });
    await (await caller()).deliver(hookFor(`${server.url}/x`), event, { log });
    const body = JSON.parse(server.requests[0]!.body);
    assert.deepEqual(body.error, { type: 'ValueError', message: 'boom' });
    assert.equal(body.status, 'failed');
    assert.equal(body.result, null);
  });

  it('GET sends no body and the job id as query parameter id, keeping existing parameters', async () => {
    const { log } = captureLogger();
    const d = await (await caller()).deliver(
      hookFor(`${server.url}/notify?team=net`, { method: 'GET' }),
      sampleEvent({ id: 'job 42/x' }),
      { log },
    );
    assert.equal(d.ok, true);
    const [req] = server.requests;
    assert.equal(req!.method, 'GET');
    assert.equal(req!.body, '');
    assert.equal(req!.headers['content-type'], undefined);
    const url = new URL(req!.url, server.url);
    assert.equal(url.pathname, '/notify');
    assert.equal(url.searchParams.get('team'), 'net');
    assert.equal(url.searchParams.get('id'), 'job 42/x');
  });

  it('retries after a 500 and succeeds, waiting the backoff', async () => {
    server.reply((_r, n) => ({ status: n === 0 ? 500 : 200 }));
    const { log, lines } = captureLogger();
    const d = await (await caller({ retries: 3, backoff_ms: 80 })).deliver(hookFor(`${server.url}/x`), sampleEvent(), {
      log,
    });
    assert.deepEqual(d, { ok: true, attempts: 2, status: 200 });
    assert.equal(server.requests.length, 2);
    const gap = server.requests[1]!.at - server.requests[0]!.at;
    assert.ok(gap >= 70, `gap ${gap}`);
    assert.equal(lines.filter((l) => l.level === 'warn').length, 1);
  });

  it('retries 429 too', async () => {
    server.reply((_r, n) => ({ status: n < 2 ? 429 : 201 }));
    const { log } = captureLogger();
    const d = await (await caller({ retries: 3, backoff_ms: 5 })).deliver(hookFor(`${server.url}/x`), sampleEvent(), {
      log,
    });
    assert.deepEqual(d, { ok: true, attempts: 3, status: 201 });
  });

  it('backs off exponentially and gives up after retries + 1 attempts', async () => {
    server.reply(() => ({ status: 502 }));
    const { log, lines } = captureLogger();
    const d = await (await caller({ retries: 2, backoff_ms: 60 })).deliver(hookFor(`${server.url}/x`), sampleEvent(), {
      log,
    });
    assert.equal(d.ok, false);
    assert.equal(d.attempts, 3);
    assert.equal(d.status, 502);
    assert.equal(server.requests.length, 3);
    const [a, b, c] = server.requests.map((r) => r.at);
    assert.ok(b! - a! >= 50 && c! - b! >= 110, `gaps ${b! - a!} ${c! - b!}`);
    assert.ok(lines.some((l) => l.level === 'warn' && l.msg === 'webhook delivery failed'));
  });

  it('does not retry a 400', async () => {
    server.reply(() => ({ status: 400 }));
    const { log } = captureLogger();
    const d = await (await caller({ retries: 3, backoff_ms: 5 })).deliver(hookFor(`${server.url}/x`), sampleEvent(), {
      log,
    });
    assert.equal(d.ok, false);
    assert.equal(d.attempts, 1);
    assert.equal(d.status, 400);
    assert.equal(server.requests.length, 1);
  });

  it('does not follow redirects (they could leave the allow-list)', async () => {
    server.reply(() => ({ status: 302, headers: { location: 'http://169.254.169.254/latest' } }));
    const { log } = captureLogger();
    const d = await (await caller({ retries: 3 })).deliver(hookFor(`${server.url}/x`), sampleEvent(), { log });
    assert.equal(d.ok, false);
    assert.equal(d.status, 302);
    assert.equal(d.attempts, 1);
    assert.equal(server.requests.length, 1);
  });

  it('times out each attempt after hook.timeout seconds and fails within bounds', { timeout: 10_000 }, async () => {
    server.reply(() => ({ hang: true }));
    const { log } = captureLogger();
    const started = performance.now();
    const d = await (await caller({ retries: 1, backoff_ms: 10 })).deliver(
      hookFor(`${server.url}/slow`, { timeout: 0.5 }),
      sampleEvent(),
      { log },
    );
    const elapsed = performance.now() - started;
    assert.equal(d.ok, false);
    assert.equal(d.attempts, 2);
    assert.match(d.error!, /timeout/);
    assert.ok(elapsed >= 950 && elapsed < 3000, `elapsed ${elapsed}`);
  });

  it('honours Retry-After (seconds)', { timeout: 10_000 }, async () => {
    server.reply((_r, n) => (n === 0 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200 }));
    const { log } = captureLogger();
    const d = await (await caller({ retries: 2, backoff_ms: 10 })).deliver(hookFor(`${server.url}/x`), sampleEvent(), {
      log,
    });
    assert.equal(d.ok, true);
    const gap = server.requests[1]!.at - server.requests[0]!.at;
    assert.ok(gap >= 950 && gap < 2500, `gap ${gap}`);
  });

  it('caps Retry-After at webhook.max_delay_ms', { timeout: 10_000 }, async () => {
    server.reply((_r, n) => (n === 0 ? { status: 429, headers: { 'retry-after': '3600' } } : { status: 200 }));
    const { log } = captureLogger();
    const d = await (await caller({ retries: 1, backoff_ms: 10, max_delay_ms: 200 })).deliver(
      hookFor(`${server.url}/x`),
      sampleEvent(),
      { log },
    );
    assert.equal(d.ok, true);
    const gap = server.requests[1]!.at - server.requests[0]!.at;
    assert.ok(gap >= 180 && gap < 1500, `gap ${gap}`);
  });

  it('stops waiting when the caller aborts during backoff', { timeout: 10_000 }, async () => {
    server.reply(() => ({ status: 500 }));
    const { log } = captureLogger();
    const ac = new AbortController();
    const started = performance.now();
    const pending = (await caller({ retries: 3, backoff_ms: 5000 })).deliver(
      hookFor(`${server.url}/x`),
      sampleEvent(),
      { log, signal: ac.signal },
    );
    setTimeout(() => ac.abort(), 100);
    const d = await pending;
    assert.equal(d.ok, false);
    assert.match(d.error!, /cancelled/);
    assert.ok(performance.now() - started < 2000);
  });

  it('never logs or returns credentials, cookies, header values or the URL path', async () => {
    const secrets = {
      user: 'svc-webhook-user',
      pass: 'Sup3r$ecretPass',
      cookie: 'cookie-secret-value-123',
      header: 'Bearer header-secret-token-456',
      pathToken: 'T000PATHTOKEN999',
    };
    const basicValue = Buffer.from(`${secrets.user}:${secrets.pass}`).toString('base64');
    const hook = {
      headers: { Authorization2: secrets.header },
      cookies: { sid: secrets.cookie },
      auth: [secrets.user, secrets.pass] as [string, string],
    };
    const { log, lines } = captureLogger();
    const results = [];
    const c = await caller({ retries: 1, backoff_ms: 5 });

    server.reply(() => ({ status: 500 }));
    results.push(await c.deliver(hookFor(`${server.url}/services/${secrets.pathToken}`, hook), sampleEvent(), { log }));
    const port = await closedPort();
    results.push(
      await c.deliver(hookFor(`http://127.0.0.1:${port}/services/${secrets.pathToken}`, hook), sampleEvent(), { log }),
    );
    // An invalid header value makes fetch quote the value in its error; it must not get through.
    results.push(
      await c.deliver(
        hookFor(`${server.url}/x`, { ...hook, headers: { 'X-Bad': `${secrets.header}\r\nInjected: 1` } }),
        sampleEvent(),
        { log },
      ),
    );
    results.push(
      await c.deliver(
        hookFor(`http://${secrets.user}:${secrets.pass}@127.0.0.1:${server.port}/x`, hook),
        sampleEvent(),
        { log },
      ),
    );

    assert.ok(lines.length >= 4, 'failures are logged');
    assert.ok(lines.every((l) => l.level === 'warn'));
    const text = JSON.stringify(lines) + JSON.stringify(results);
    for (const s of [...Object.values(secrets), basicValue]) assert.ok(!text.includes(s), `leaked ${s}: ${text}`);
    assert.ok(results.every((r) => !r.ok));
  });

  it('refuses non-http schemes and URLs with embedded credentials without sending anything', async () => {
    const { log } = captureLogger();
    const c = await caller();
    for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1/', `http://u:p@127.0.0.1:${server.port}/`]) {
      const d = await c.deliver(hookFor(url), sampleEvent(), { log });
      assert.equal(d.ok, false);
      assert.equal(d.attempts, 0);
    }
    assert.equal(server.requests.length, 0);
  });

  it('enforces webhook.allow_hosts', async () => {
    const { log } = captureLogger();
    const blocked = await (await caller({ allow_hosts: ['10.0.0.0/8', 'hooks.example.com'] })).deliver(
      hookFor(`${server.url}/x`),
      sampleEvent(),
      { log },
    );
    assert.equal(blocked.ok, false);
    assert.equal(blocked.attempts, 0);
    assert.match(blocked.error!, /allow_hosts/);
    assert.equal(server.requests.length, 0);
    const allowed = await (await caller({ allow_hosts: ['127.0.0.0/8'] })).deliver(
      hookFor(`${server.url}/x`),
      sampleEvent(),
      { log },
    );
    assert.equal(allowed.ok, true);
    const single = await (await caller({ allow_hosts: '192.0.2.1, 127.0.0.1' })).deliver(
      hookFor(`${server.url}/x`),
      sampleEvent(),
      { log },
    );
    assert.equal(single.ok, true);
  });

  it('matches allow-list entries by exact name, *.suffix, IP and CIDR (v4 and v6)', () => {
    const list = parseAllowList([
      'Hooks.Example.com',
      '*.corp.test',
      '192.0.2.7',
      '10.1.0.0/16',
      '2001:db8::/32',
      '[::1]',
    ]);
    assert.ok(hostAllowed(list, 'hooks.example.com'));
    assert.ok(hostAllowed(list, 'HOOKS.example.com.'));
    assert.ok(!hostAllowed(list, 'evil-hooks.example.com'));
    assert.ok(hostAllowed(list, 'a.b.corp.test'));
    assert.ok(!hostAllowed(list, 'corp.test'));
    assert.ok(hostAllowed(list, '192.0.2.7'));
    assert.ok(!hostAllowed(list, '192.0.2.8'));
    assert.ok(hostAllowed(list, '10.1.255.3'));
    assert.ok(!hostAllowed(list, '10.2.0.1'));
    assert.ok(hostAllowed(list, '[2001:db8::5]'));
    assert.ok(hostAllowed(list, '[::1]'));
    assert.ok(!hostAllowed(list, '[2001:db9::5]'));
    assert.ok(hostAllowed(parseAllowList([]), 'anything.example'));
  });

  it('rejects bad configuration at registration with NP_ERR_CONFIG', async () => {
    for (const webhook of [
      { retries: -1 },
      { retries: 'many' },
      { backoff_ms: 1.5 },
      { allow_hosts: ['10.0.0.0/40'] },
      { allow_hosts: ['bad host!'] },
      { allow_hosts: [42] },
    ]) {
      await assert.rejects(
        async () => caller(webhook),
        (e: unknown) => isNetPulseError(e) && e.code === 'NP_ERR_CONFIG',
        JSON.stringify(webhook),
      );
    }
  });

  it('parses Retry-After dates and clamps hook.timeout to 0.5–120 s', () => {
    const now = Date.parse('2025-11-01T10:00:00Z');
    assert.equal(parseRetryAfter('Sat, 01 Nov 2025 10:00:03 GMT', now), 3000);
    assert.equal(parseRetryAfter('Sat, 01 Nov 2025 09:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter('soon', now), null);
    assert.equal(parseRetryAfter(null, now), null);
    assert.equal(attemptTimeoutMs(0.1), 500);
    assert.equal(attemptTimeoutMs(500), 120_000);
    assert.equal(attemptTimeoutMs(undefined), 5000);
    assert.equal(attemptTimeoutMs(2.5), 2500);
  });
});
