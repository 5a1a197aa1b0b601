/**
 * Row "SSRF defaults": webhooks and remote templates refuse loopback, link-local (cloud metadata),
 * unspecified and multicast targets unless an allow-list names them; every redirect hop is
 * checked; names are resolved once per attempt and the checked address is the one connected to.
 * Only loopback receivers are used; refused targets are never connected to.
 */
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import basic from '../../plugins/webhooks/basic/index.ts';
import { captureLogger, sampleEvent } from '../conformance/webhook.ts';
import { isDeniedAddress, outboundFetch } from '../../core/net/outbound.ts';
import { parseAllowList } from '../../core/net/allow-list.ts';
import { NetPulseError } from '../../core/errors.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { pluginContext } from '../../core/plugin/define.ts';

let receiver: Server;
let base: string;
let hits = 0;

before(async () => {
  receiver = createServer((req, res) => {
    hits++;
    if (req.url === '/to-metadata')
      return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    if (req.url === '/to-self') return void res.writeHead(302, { location: '/t.j2' }).end();
    res.end('remote {{ x }}');
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
});
after(() => new Promise<void>((r) => receiver.close(() => r())));

describe('address policy', () => {
  it('classifies special addresses (v4, v6, v4-mapped)', () => {
    for (const ip of [
      '127.0.0.1',
      '127.9.9.9',
      '169.254.169.254',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:169.254.169.254',
    ]) {
      assert.ok(isDeniedAddress(ip), ip);
    }
    for (const ip of ['192.0.2.10', '10.1.2.3', '2001:db8::1', '::ffff:192.0.2.1']) assert.ok(!isDeniedAddress(ip), ip);
  });

  it('refuses without connecting: loopback by IP and by name, metadata; allows what the list names', async () => {
    const open = parseAllowList([]);
    const before = hits;
    for (const url of [
      `${base}/x`,
      `http://localhost:${new URL(base).port}/x`,
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:9/x',
      'http://0.0.0.0:9/',
    ]) {
      await assert.rejects(
        outboundFetch(url, { allow: open, allowKey: 'k', what: 'test' }),
        (e: unknown) => e instanceof NetPulseError && e.code === 'NP_ERR_OUTBOUND_DENIED',
        url,
      );
    }
    assert.equal(hits, before, 'nothing was connected to');
    const res = await outboundFetch(`${base}/x`, { allow: parseAllowList(['127.0.0.1']), allowKey: 'k', what: 'test' });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'remote {{ x }}');
  });
});

describe('webhooks', () => {
  it('an empty allow_hosts refuses loopback and metadata targets; naming them allows delivery', async () => {
    const { log } = captureLogger();
    const open = await basic.register(pluginContext({ config: { webhook: { retries: 0 } }, log }));
    for (const url of [`${base}/hook`, 'http://169.254.169.254/hook']) {
      const r = await open.deliver({ name: 'basic', url } as never, sampleEvent(), { log });
      assert.equal(r.ok, false);
      assert.match(r.error!, /loopback, link-local/);
    }
    const listed = await basic.register(
      pluginContext({ config: { webhook: { retries: 0, allow_hosts: ['127.0.0.1'] } }, log }),
    );
    assert.equal(
      (await listed.deliver({ name: 'basic', url: `${base}/hook` } as never, sampleEvent(), { log })).ok,
      true,
    );
  });
});

describe('remote templates', () => {
  let s: TestServer;
  let unlisted: TestServer;
  before(async () => {
    s = await startTestServer({ templates: { remote_enabled: true, remote_allow_hosts: ['127.0.0.1'] } });
    unlisted = await startTestServer({ templates: { remote_enabled: true } });
  });
  after(async () => {
    await s?.stop();
    await unlisted?.stop();
  });

  it('loopback sources need remote_allow_hosts; redirect hops are re-checked', async () => {
    const refused = await unlisted.call('POST', '/template/render/jinja2', {
      template: `${base}/t.j2`,
      context: { x: 1 },
    });
    assert.equal(refused.status, 400);
    assert.match(refused.body.message, /remote_allow_hosts/);
    const ok = await s.call('POST', '/template/render/jinja2', { template: `${base}/to-self`, context: { x: 'ok' } });
    assert.equal(ok.body.data, 'remote ok');
    const meta = await s.call('POST', '/template/render/jinja2', { template: `${base}/to-metadata`, context: {} });
    assert.equal(meta.status, 400);
    assert.match(meta.body.message, /169\.254\.169\.254/);
  });
});
