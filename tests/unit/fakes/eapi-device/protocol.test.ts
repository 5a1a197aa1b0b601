import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startEapiDevice, type EapiDeviceHandle } from '../../../fakes/eapi-device/index.ts';
import { basic, post, runCmds, runCmdsHttps } from './helpers.ts';

describe('eapi-device: HTTP transport and JSON-RPC envelope', () => {
  let dev: EapiDeviceHandle;
  before(async () => {
    dev = await startEapiDevice({ username: 'ops', password: 'pw' });
  });
  after(() => dev.close());

  it('binds to loopback on an ephemeral port and echoes the request id', async () => {
    assert.equal(dev.host, '127.0.0.1');
    assert.ok(dev.port > 0);
    assert.equal(dev.https, false);
    const r = await runCmds(dev, ['show hostname']);
    assert.equal(r.jsonrpc, '2.0');
    assert.equal(r.id, 'req-1');
    assert.deepEqual(r.result, [{ hostname: 'sw1', fqdn: 'sw1' }]);
  });

  it('answers 401 with a Basic challenge on bad or missing credentials, and counts requests', async () => {
    const before = dev.requests;
    const body = JSON.stringify({
      jsonrpc: '2.0',
      method: 'runCmds',
      id: 1,
      params: { version: 1, cmds: ['show version'] },
    });
    const bad = await post(dev, body, basic('ops', 'wrong'));
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get('www-authenticate') ?? '', /^Basic/);
    const none = await post(dev, body, '');
    assert.equal(none.status, 401);
    assert.equal(dev.requests, before + 2);
  });

  it('maps envelope problems to JSON-RPC error codes without data', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['{not json', -32700, /Parse error/],
      ['[1,2]', -32600, /Invalid Request/],
      [
        JSON.stringify({ method: 'runCmds', params: { version: 1, cmds: ['show version'] }, id: 1 }),
        -32600,
        /^Expected field 'jsonrpc' not specified$/,
      ],
      [JSON.stringify({ jsonrpc: '2.0', method: 'getCmds', params: {}, id: 2 }), -32601, /Method not found/],
      [JSON.stringify({ jsonrpc: '2.0', method: 'runCmds', params: { version: 1, cmds: [] }, id: 3 }), -32602, /cmds/],
      [
        JSON.stringify({ jsonrpc: '2.0', method: 'runCmds', params: { version: 2, cmds: ['show version'] }, id: 4 }),
        -32602,
        /version/,
      ],
      [
        JSON.stringify({
          jsonrpc: '2.0',
          method: 'runCmds',
          params: { version: 1, cmds: ['show version'], format: 'xml' },
          id: 5,
        }),
        -32602,
        /format/,
      ],
      [
        JSON.stringify({
          jsonrpc: '2.0',
          method: 'runCmds',
          params: { version: 1, cmds: ['show version'], bogusParam: 1 },
          id: 6,
        }),
        -32602,
        /runCmds\(\) got an unexpected keyword argument 'bogusParam'/,
      ],
    ];
    for (const [body, code, msg] of cases) {
      const r = await post(dev, body);
      assert.equal(r.status, 200, body);
      assert.equal(r.json?.error?.code, code, body);
      assert.match(r.json?.error?.message ?? '', msg, body);
      assert.equal(r.json?.error?.data, undefined, body);
      assert.equal(r.json?.result, undefined, body);
    }
    const noJsonrpc = await post(dev, JSON.stringify({ method: 'runCmds', id: 9 }));
    assert.equal(noJsonrpc.json?.id, null);
  });

  it('accepts pyeapi 0.8.4 bodies verbatim (top-level streaming) and jsonrpclib positional params', async () => {
    const pyeapi =
      '{"jsonrpc": "2.0", "method": "runCmds", "params": {"version": 1, "cmds": ["enable", "show version"], "format": "json"}, "id": "140164320448336", "streaming": false}';
    const r = await post(dev, pyeapi);
    assert.equal(r.json?.id, '140164320448336');
    assert.deepEqual(r.json?.result?.[0], {});
    assert.equal(r.json?.result?.[1].modelName, 'vEOS-lab');
    const pos = await post(
      dev,
      JSON.stringify({ jsonrpc: '2.0', method: 'runCmds', id: null, params: [1, ['show hostname'], 'text'] }),
    );
    assert.equal(pos.json?.id, null);
    assert.deepEqual(pos.json?.result, [{ output: 'Hostname: sw1\nFQDN:     sw1\n' }]);
  });

  it('adds _meta with timestamps and keeps running after errors with stopOnError false', async () => {
    const t = await runCmds(dev, ['show hostname'], { timestamps: true });
    const meta = t.result?.[0]._meta as { execStartTime: number; execDuration: number };
    assert.ok(Math.abs(meta.execStartTime - Date.now() / 1000) < 60);
    assert.ok(meta.execDuration >= 0);
    const s = await runCmds(dev, ['show bogus', 'show hostname'], { stopOnError: false });
    assert.equal(s.error?.code, 1002);
    assert.equal(s.error?.message, "CLI command 1 of 2 'show bogus' failed: invalid command");
    assert.equal(s.error?.data?.length, 2);
    assert.equal(s.error?.data?.[1].hostname, 'sw1');
  });

  it('HEAD /command-api answers 200 when authenticated; other paths 404, other methods 405', async () => {
    const base = `http://${dev.host}:${dev.port}`;
    const head = await fetch(`${base}/command-api`, { method: 'HEAD', headers: { Authorization: basic('ops', 'pw') } });
    assert.equal(head.status, 200);
    const get = await fetch(`${base}/command-api`, { headers: { Authorization: basic('ops', 'pw') } });
    assert.equal(get.status, 405);
    await get.text();
    const nf = await fetch(`${base}/nope`, { method: 'POST', body: '{}' });
    assert.equal(nf.status, 404);
    await nf.text();
  });

  it('supports session login with a cookie (pyeapi 1.x http_session style)', async () => {
    const base = `http://${dev.host}:${dev.port}`;
    const bad = await fetch(`${base}/login`, {
      method: 'POST',
      body: JSON.stringify({ username: 'ops', password: 'x' }),
    });
    assert.equal(bad.status, 401);
    await bad.text();
    const ok = await fetch(`${base}/login`, {
      method: 'POST',
      body: JSON.stringify({ username: 'ops', password: 'pw' }),
    });
    assert.equal(ok.status, 200);
    await ok.text();
    const cookie = (ok.headers.get('set-cookie') ?? '').split(';')[0];
    assert.match(cookie, /^Session=[0-9a-f]{32}$/);
    const r = await post(
      dev,
      JSON.stringify({ jsonrpc: '2.0', method: 'runCmds', id: 1, params: { version: 1, cmds: ['show hostname'] } }),
      '',
    );
    assert.equal(r.status, 401);
    const withCookie = await fetch(`${base}/command-api`, {
      method: 'POST',
      headers: { Cookie: cookie },
      body: JSON.stringify({
        jsonrpc: '2.0',
        method: 'runCmds',
        id: 1,
        params: { version: 1, cmds: ['show hostname'] },
      }),
    });
    assert.equal(((await withCookie.json()) as { result: unknown[] }).result.length, 1);
  });

  it('refuses to bind to a non-loopback address', async () => {
    await assert.rejects(startEapiDevice({ host: '0.0.0.0' }), /non-loopback/);
  });
});

describe('eapi-device: HTTPS', () => {
  let dev: EapiDeviceHandle;
  before(async () => {
    dev = await startEapiDevice({ https: true, hostname: 'leaf7' });
  });
  after(() => dev.close());

  it('serves runCmds over TLS with a self-signed certificate for 127.0.0.1', async () => {
    assert.equal(dev.https, true);
    const r = await runCmdsHttps(dev, ['show hostname']);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.result, [{ hostname: 'leaf7', fqdn: 'leaf7' }]);
    assert.ok(r.cert);
    const x = new crypto.X509Certificate(r.cert);
    assert.ok(x.verify(x.publicKey), 'self-signed');
    assert.match(x.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.ok(x.checkIP('127.0.0.1'));
  });

  it('close() resolves even with keep-alive connections open, and the port stops answering', async () => {
    const other = await startEapiDevice({});
    const body = JSON.stringify({
      jsonrpc: '2.0',
      method: 'runCmds',
      id: 1,
      params: { version: 1, cmds: ['show hostname'] },
    });
    await post(other, body);
    await other.close();
    await other.close();
    await assert.rejects(post(other, body));
  });
});
