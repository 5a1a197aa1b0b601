/**
 * Row "assorted": deep nesting → 400, a directory as a file:// source → 400, malformed HTTP
 * answered in the envelope, no file-existence oracle in key_file errors, no template-context value
 * echoed in errors, security headers with Swagger UI still working.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { resolveConnection } from '../../plugins/drivers/netmiko/options.ts';

let s: TestServer;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'np-small-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'ok.j2'), 'ok {{ x }}');
  writeFileSync(join(dir, 'not-a-key'), 'hello');
  s = await startTestServer({ templates: { dirs: [dir] } });
});
after(async () => {
  await s?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function rawHttp(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = connect(Number(new URL(s.url).port), '127.0.0.1', () => c.write(text));
    let buf = '';
    c.setTimeout(5000, () => c.destroy(new Error('timeout')));
    c.on('data', (d) => (buf += d));
    c.on('close', () => resolve(buf));
    c.on('error', reject);
  });
}

describe('assorted hardening', () => {
  it('60,000-deep JSON nesting is a 400 in the envelope', async () => {
    const body = '{"name":"jinja2","template":"x","context":{"a":' + '['.repeat(60_000) + ']'.repeat(60_000) + '}}';
    const r = await s.call('POST', '/template/render', body);
    assert.equal(r.status, 400);
    assert.match(JSON.stringify(r.body.data), /nested deeper/);
  });

  it('a directory as a file:// source is a 400; outside reads like missing', async () => {
    const d = await s.call('POST', '/template/render/jinja2', { template: 'file://sub' });
    assert.equal(d.status, 400);
    assert.match(d.body.message, /not a file/);
    const outside = await s.call('POST', '/template/render/jinja2', { template: 'file:///etc/passwd' });
    const missing = await s.call('POST', '/template/render/jinja2', { template: 'file:///etc/no-such-file-here' });
    assert.equal(outside.status, 400);
    assert.equal(
      outside.body.message.replace('/etc/passwd', 'P'),
      missing.body.message.replace('/etc/no-such-file-here', 'P'),
    );
    assert.equal(
      (await s.call('POST', '/template/render/jinja2', { template: 'file://ok.j2', context: { x: 1 } })).body.data,
      'ok 1',
    );
  });

  it('malformed HTTP gets a 400 in the envelope', async () => {
    const answer = await rawHttp('GARBAGE / HTTP/9\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.deepEqual(JSON.parse(answer.split('\r\n\r\n')[1]!), {
      code: -1,
      message: 'Malformed HTTP request',
      data: null,
    });
  });

  it('key_file errors do not tell which worker paths exist', () => {
    const msg = (file: string) => {
      try {
        resolveConnection({ device_type: 'cisco_ios', host: '127.0.0.9', username: 'u', key_file: file });
        return 'no error';
      } catch (e) {
        return (e as Error).message.replace(file, 'F');
      }
    };
    assert.equal(msg(join(dir, 'not-a-key')), msg(join(dir, 'absent')));
    assert.equal(msg('/etc/shadow'), msg(join(dir, 'absent')));
  });

  it('template errors never echo a context value', async () => {
    const secret = 'ctx-secret-4f9d2a';
    const r = await s.call('POST', '/template/render', {
      name: 'jinja2',
      template: '{{ x | map(x) | list }}',
      context: { x: secret },
    });
    assert.equal(r.status, 400);
    assert.ok(!JSON.stringify(r.body).includes(secret), JSON.stringify(r.body));
    assert.match(r.body.message, /\*\*\*/);
    assert.ok(!s.logs.join('').includes(secret), 'logged');
  });

  it('security headers on API answers; Swagger UI still loads', async () => {
    const h = await s.call('GET', '/health');
    assert.equal(h.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(h.headers.get('x-frame-options'), 'SAMEORIGIN');
    assert.match(h.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.doesNotMatch(h.headers.get('content-security-policy') ?? '', /upgrade-insecure-requests/);
    const page = await s.call('GET', '/docs');
    assert.equal(page.status, 200);
    const scripts = [...String(page.body).matchAll(/<script src="[^"]*static\/([^"]+\.js)"/g)].map((m) => m[1]!);
    assert.ok(scripts.length >= 2, 'the page loads its scripts from /docs/static');
    assert.ok(!/<script>(?!\s*<\/script>)/.test(String(page.body)), 'no inline script the CSP would block');
    for (const src of scripts) assert.equal((await s.call('GET', `/docs/static/${src}`)).status, 200, src);
    const spec = await s.call('GET', '/docs/json');
    assert.equal(spec.status, 200);
    assert.ok(spec.body.paths['/device/exec']);
  });
});
