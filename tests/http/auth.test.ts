/**
 * API key authentication over real HTTP: header, query and cookie placements, the public docs
 * paths, a custom key name, X-Request-Id, and that the key never reaches the logs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A raw fetch with no default key header. */
async function raw(s: TestServer, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(s.url + path, { headers });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // HTML for /docs
  }
  return { status: res.status, body, headers: res.headers };
}

function forbidden(r: { status: number; body: any }): void {
  assert.equal(r.status, 403);
  assert.deepEqual(r.body, { code: -1, message: 'Invalid or missing API key.' });
}

describe('default key name X-API-KEY', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.stop();
  });

  it('missing key → 403 without data', async () => {
    forbidden(await raw(s, '/job'));
  });

  it('wrong key in each placement → 403', async () => {
    forbidden(await raw(s, '/job', { 'X-API-KEY': 'wrong-key' }));
    forbidden(await raw(s, '/job?X-API-KEY=wrong-key'));
    forbidden(await raw(s, '/job', { cookie: 'X-API-KEY=wrong-key' }));
  });

  it('a key of another length or a prefix of the right one → 403', async () => {
    forbidden(await raw(s, '/job', { 'X-API-KEY': s.key.slice(0, -1) }));
    forbidden(await raw(s, '/job', { 'X-API-KEY': `${s.key}x` }));
    forbidden(await raw(s, '/job', { 'X-API-KEY': '' }));
  });

  it('right key in each placement → 200', async () => {
    for (const r of [
      await raw(s, '/job', { 'X-API-KEY': s.key }),
      await raw(s, '/job', { 'x-api-key': s.key }),
      await raw(s, `/job?X-API-KEY=${encodeURIComponent(s.key)}`),
      await raw(s, '/job', { cookie: `other=1; X-API-KEY=${s.key}` }),
    ]) {
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.code, 200);
      assert.ok(Array.isArray(r.body.data));
    }
  });

  it('the query parameter name is case-sensitive', async () => {
    forbidden(await raw(s, `/job?x-api-key=${s.key}`));
  });

  it('the key in the query does not upset strict query schemas', async () => {
    const r = await raw(s, `/job?status=queued&X-API-KEY=${s.key}`);
    assert.equal(r.status, 200);
  });

  it('a right key anywhere passes even if another placement is wrong', async () => {
    const r = await raw(s, `/job?X-API-KEY=${s.key}`, { 'X-API-KEY': 'wrong-key' });
    assert.equal(r.status, 200);
  });

  it('auth runs before body validation', async () => {
    const res = await fetch(`${s.url}/device/exec`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nonsense: true }),
    });
    forbidden({ status: res.status, body: await res.json() });
  });

  it('an unknown route without a key is 403 too (nothing is revealed)', async () => {
    forbidden(await raw(s, '/nosuch'));
  });

  it('/docs and /openapi.json need no key', async () => {
    const d = await raw(s, '/docs');
    assert.equal(d.status, 200);
    assert.match(String(d.headers.get('content-type')), /text\/html/);
    const o = await raw(s, '/openapi.json');
    assert.equal(o.status, 200);
    assert.match(o.body.openapi, /^3\./);
  });

  it('/health needs the key', async () => {
    forbidden(await raw(s, '/health'));
    const ok = await raw(s, '/health', { 'X-API-KEY': s.key });
    assert.equal(ok.status, 200);
  });

  it('X-Request-Id: a valid id is echoed, otherwise a uuid is generated', async () => {
    const given = await raw(s, '/health', { 'X-API-KEY': s.key, 'X-Request-Id': 'client-req.42:a_b' });
    assert.equal(given.headers.get('x-request-id'), 'client-req.42:a_b');
    const none = await raw(s, '/health', { 'X-API-KEY': s.key });
    assert.match(String(none.headers.get('x-request-id')), UUID);
    const invalid = await raw(s, '/health', { 'X-API-KEY': s.key, 'X-Request-Id': 'has space <script>' });
    assert.match(String(invalid.headers.get('x-request-id')), UUID);
    const long = await raw(s, '/health', { 'X-API-KEY': s.key, 'X-Request-Id': 'a'.repeat(65) });
    assert.match(String(long.headers.get('x-request-id')), UUID);
    // Rejected requests carry the id as well.
    const denied = await raw(s, '/health', { 'X-Request-Id': 'denied-1' });
    assert.equal(denied.status, 403);
    assert.equal(denied.headers.get('x-request-id'), 'denied-1');
  });

  it('the key never appears in the logs (header, query or cookie)', async () => {
    await raw(s, `/job?X-API-KEY=${s.key}`);
    await raw(s, '/job', { cookie: `X-API-KEY=${s.key}` });
    await raw(s, '/job', { 'X-API-KEY': s.key });
    assert.ok(
      s.logs.some((l) => l.includes('"url":"/job?X-API-KEY=')),
      'request URLs are logged (masked)',
    );
    for (const line of s.logs) assert.ok(!line.includes(s.key), `log line leaks the key: ${line}`);
  });
});

describe('custom server.api_key_name', () => {
  let s: TestServer;
  const KEY = 'custom-key-abcdef-987';
  before(async () => {
    s = await startTestServer({ server: { api_key_name: 'X-Custom-Auth', api_key: KEY } });
  });
  after(async () => {
    await s.stop();
  });

  it('accepts the custom name in every placement', async () => {
    assert.equal((await raw(s, '/health', { 'X-Custom-Auth': KEY })).status, 200);
    assert.equal((await raw(s, `/health?X-Custom-Auth=${KEY}`)).status, 200);
    assert.equal((await raw(s, '/health', { cookie: `X-Custom-Auth=${KEY}` })).status, 200);
  });

  it('the default name no longer works', async () => {
    forbidden(await raw(s, '/health', { 'X-API-KEY': KEY }));
    forbidden(await raw(s, `/health?X-API-KEY=${KEY}`));
  });

  it('the OpenAPI security scheme names the custom header', async () => {
    const o = await raw(s, '/openapi.json');
    assert.deepEqual(o.body.components.securitySchemes.apiKey, { type: 'apiKey', in: 'header', name: 'X-Custom-Auth' });
  });

  it('the key never appears in the logs', async () => {
    await raw(s, `/health?X-Custom-Auth=${KEY}`);
    for (const line of s.logs) assert.ok(!line.includes(KEY), `log line leaks the key: ${line}`);
  });
});
