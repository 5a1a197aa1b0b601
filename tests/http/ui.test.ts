/**
 * The web console's server side over real HTTP: the public shell and assets (CSP, ETag, size
 * budget), sign-in/out with the HttpOnly cookie the API then accepts, the catalogue and job
 * request summary routes (key required, no secrets), the reconnect counter on GET /worker, and
 * `server.ui: false`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, waitJob, type TestServer } from '../helpers/server.ts';

/** The whole console (script + stylesheet, uncompressed) stays well under this. */
const BUDGET_BYTES = 300 * 1024;

async function raw(s: TestServer, path: string, init: RequestInit = {}) {
  const res = await fetch(s.url + path, init);
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // HTML, JS and CSS stay text
  }
  return { status: res.status, body, headers: res.headers, text };
}

const signIn = (s: TestServer, key: unknown) =>
  raw(s, '/ui/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key }),
  });

describe('web console server side', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.stop();
  });

  it('serves the shell without a key, with a strict CSP and no inline script', async () => {
    const r = await raw(s, '/ui');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /text\/html/);
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(r.text, /<script>(?!<\/script>)/, 'no inline script');
    assert.match(r.text, /<script type="module" src="\/ui\/assets\/app\.js\?v=/);
    assert.ok(!r.text.includes(s.key));
  });

  it('builds the assets in memory, revalidates with ETag and stays within the size budget', async () => {
    const js = await raw(s, '/ui/assets/app.js');
    const css = await raw(s, '/ui/assets/app.css');
    assert.equal(js.status, 200);
    assert.equal(css.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /text\/javascript/);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
    const total = Buffer.byteLength(js.text) + Buffer.byteLength(css.text);
    assert.ok(total < BUDGET_BYTES, `console is ${total} bytes`);
    const etag = js.headers.get('etag')!;
    const again = await raw(s, '/ui/assets/app.js', { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal((await raw(s, '/ui/assets/other.js')).status, 400);
  });

  it('a wrong key is refused with the API message and sets no cookie', async () => {
    const r = await signIn(s, 'wrong-key');
    assert.equal(r.status, 403);
    assert.deepEqual(r.body, { code: -1, message: 'Invalid or missing API key.' });
    assert.equal(r.headers.get('set-cookie'), null);
    const bad = await raw(s, '/ui/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'x', extra: 1 }),
    });
    assert.equal(bad.status, 400);
  });

  it('the right key sets an HttpOnly SameSite=Strict cookie that the API accepts; sign-out clears it', async () => {
    const r = await signIn(s, s.key);
    assert.equal(r.status, 200);
    const cookie = r.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^X-API-KEY=/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\//);
    assert.doesNotMatch(JSON.stringify(r.body), new RegExp(s.key));
    const pair = cookie.split(';')[0];
    assert.equal((await raw(s, '/job', { headers: { cookie: pair } })).status, 200);
    assert.deepEqual((await raw(s, '/ui/session', { headers: { cookie: pair } })).body.data, { signed_in: true });
    assert.deepEqual((await raw(s, '/ui/session')).body.data, { signed_in: false });
    assert.ok(!s.logs.join('').includes(s.key), 'the key never reaches the logs');
    const out = await raw(s, '/ui/session', { method: 'DELETE', headers: { cookie: pair } });
    assert.match(out.headers.get('set-cookie') ?? '', /X-API-KEY=;.*(Expires=Thu, 01 Jan 1970|Max-Age=0)/);
  });

  it('the catalogue needs the key and lists drivers with their platforms, renderers and parsers', async () => {
    assert.equal((await raw(s, '/ui/api/catalog')).status, 403);
    const r = await s.call('GET', '/ui/api/catalog');
    assert.equal(r.status, 200);
    const netmiko = r.body.data.drivers.find((d: any) => d.name === 'netmiko');
    assert.ok(netmiko.device_types.includes('cisco_ios'));
    assert.equal(netmiko.default_queue_strategy, 'pinned');
    assert.ok(r.body.data.renderers.includes('jinja2'));
    assert.ok(r.body.data.parsers.includes('textfsm') && r.body.data.parsers.includes('ttp'));
    assert.equal(r.body.data.api_key_name, 'X-API-KEY');
  });

  it('a job request summary names the commands and never a credential', async () => {
    const q = await s.call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host: '192.0.2.40', username: 'u', password: 'hunter2-secret' },
      command: ['show clock', 'show version'],
    });
    assert.equal(q.status, 201);
    await waitJob(s, q.body.data.id);
    assert.equal((await raw(s, `/ui/api/job/${q.body.data.id}/request`)).status, 403);
    const r = await s.call('GET', `/ui/api/job/${q.body.data.id}/request`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.data.commands, ['show clock', 'show version']);
    assert.equal(r.body.data.operation, 'command');
    assert.equal(r.body.data.strategy, 'pinned');
    assert.ok(!JSON.stringify(r.body).includes('hunter2'));
    assert.equal((await s.call('GET', '/ui/api/job/00000000-0000-4000-8000-000000000000/request')).status, 404);

    // Configuration lines may hold secrets: they are counted, never shown.
    const c = await s.call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host: '192.0.2.40' },
      config: ['username ops secret s3cr3t-line', 'end'],
    });
    const cs = await s.call('GET', `/ui/api/job/${c.body.data.id}/request`);
    assert.equal(cs.body.data.operation, 'config');
    assert.equal(cs.body.data.config_lines, 2);
    assert.deepEqual(cs.body.data.commands, []);
    assert.ok(!JSON.stringify(cs.body).includes('s3cr3t'));
  });

  it('GET /worker reports a pinned worker\u2019s reconnects', async () => {
    const conn = (password: string) => ({ host: '192.0.2.41', username: 'u', password });
    await waitJob(
      s,
      (await s.call('POST', '/device/exec', { driver: 'echo', connection_args: conn('a'), command: 'x' })).body.data.id,
    );
    // New credentials change the session key: the pinned worker closes and reopens its session.
    await waitJob(
      s,
      (await s.call('POST', '/device/exec', { driver: 'echo', connection_args: conn('b'), command: 'x' })).body.data.id,
    );
    // Worker state is published with each heartbeat (0.5 s here); allow for a loaded machine.
    const deadline = Date.now() + 15_000;
    let w: any;
    do {
      await new Promise((r) => setTimeout(r, 100));
      w = (await s.call('GET', '/worker?host=192.0.2.41')).body.data.find((x: any) =>
        x.queues.includes('HostQ_192.0.2.41'),
      );
    } while ((w?.reconnects !== 1 || w?.sessions !== 1) && Date.now() < deadline);
    assert.equal(w?.reconnects, 1, JSON.stringify(w));
    assert.equal(w.sessions, 1);
  });
});

describe('server.ui: false', () => {
  it('serves no console', async () => {
    const s = await startTestServer({ server: { ui: false } });
    try {
      assert.equal((await raw(s, '/ui')).status, 404);
      assert.equal((await raw(s, '/ui/assets/app.js')).status, 404);
      assert.equal((await s.call('GET', '/ui/api/catalog')).status, 404);
    } finally {
      await s.stop();
    }
  });
});
