/**
 * pyeapi driver transport failures, each a precise device error within its bound: refused port,
 * a server that never answers, aborts through ctx.signal, HTTPS certificate checks, non-eAPI
 * answers and unreadable TLS files.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEapiDevice, type EapiDeviceHandle } from '../../../../fakes/eapi-device/index.ts';
import { selfSignedCert } from '../../../../fakes/eapi-device/cert.ts';
import { PyeapiDriver } from '../../../../../plugins/drivers/pyeapi/index.ts';
import type { DriverRequest } from '../../../../../core/contracts/driver.ts';
import { NetPulseError } from '../../../../../core/errors.ts';
import { isCode } from '../../../../helpers/errors.ts';
import { setStateDir } from '../../../../../core/state/dir.ts';

const log = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return log;
  },
};
const ctx = (signal: AbortSignal = new AbortController().signal) => ({ log, signal });
const driver = new PyeapiDriver(log);
const showReq = (connection_args: Record<string, unknown>): DriverRequest => ({
  connection_args,
  driver_args: {},
  operation: 'command',
  options: {},
});

async function send(args: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
  const s = await driver.connect(args, ctx(signal));
  try {
    return await s.send(['show version'], showReq(args), ctx(signal));
  } finally {
    await s.close();
  }
}

/** An HTTP server that accepts requests and never answers (bounded by the test's close). */
async function startHangingServer(host: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req) => {
    req.resume();
  });
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe('pyeapi driver: transport failures', () => {
  let hanging: Awaited<ReturnType<typeof startHangingServer>>;
  before(async () => {
    hanging = await startHangingServer('127.0.5.20');
  });
  after(() => hanging.close());

  it('a closed port is DEVICE_CONNECT (connection refused)', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.5.21', () => r()));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const t0 = Date.now();
    await assert.rejects(
      send({ host: '127.0.5.21', port, transport: 'http', timeout: 5 }),
      isCode(
        'NP_ERR_DEVICE_CONNECT',
        /Cannot connect to eAPI at http:\/\/127\.0\.5\.21:\d+: connection refused \(ECONNREFUSED\)/,
      ),
    );
    assert.ok(Date.now() - t0 < 3000);
    const r = await driver
      .test({ host: '127.0.5.21', port, transport: 'http', timeout: 5 }, ctx())
      .catch((e: unknown) => e);
    assert.ok(r instanceof NetPulseError && r.code === 'NP_ERR_DEVICE_CONNECT', 'test() contacts the device');
  });

  it('a server that never answers is DEVICE_TIMEOUT at connection_args.timeout', async () => {
    const t0 = Date.now();
    await assert.rejects(
      send({ host: '127.0.5.20', port: hanging.port, transport: 'http', timeout: 0.5 }),
      isCode('NP_ERR_DEVICE_TIMEOUT', /did not answer within 0\.5 s/),
    );
    const took = Date.now() - t0;
    assert.ok(took >= 450 && took < 2500, `took ${took} ms`);
  });

  it('ctx.signal aborts a request: its NetPulseError reason is kept, another reason is a TimeoutError', async () => {
    const ac = new AbortController();
    const jobTimeout = new NetPulseError('NP_ERR_JOB_TIMEOUT', 'Job exceeded execution_timeout of 1 s');
    setTimeout(() => ac.abort(jobTimeout), 150);
    const t0 = Date.now();
    await assert.rejects(
      send({ host: '127.0.5.20', port: hanging.port, transport: 'http', timeout: 30 }, ac.signal),
      (e: unknown) => e === jobTimeout,
    );
    assert.ok(Date.now() - t0 < 2000);
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(new Error('node stopping')), 100);
    await assert.rejects(
      send({ host: '127.0.5.20', port: hanging.port, transport: 'http', timeout: 30 }, ac2.signal),
      isCode('NP_ERR_DEVICE_TIMEOUT', /Aborted while waiting for eAPI.*node stopping/),
    );
    const done = new AbortController();
    done.abort(new Error('already'));
    await assert.rejects(driver.connect({ host: '127.0.5.20' }, ctx(done.signal)), isCode('NP_ERR_DEVICE_TIMEOUT'));
  });

  it('an HTTP answer that is not eAPI is DEVICE_CONNECT with a hint', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Not found\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.5.22', () => r()));
    try {
      const port = (server.address() as net.AddressInfo).port;
      await assert.rejects(
        send({ host: '127.0.5.22', port, transport: 'http' }),
        isCode('NP_ERR_DEVICE_CONNECT', /answered HTTP 404: Not found.*management api http-commands/),
      );
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('pyeapi driver: keep-alive', () => {
  /**
   * A minimal eAPI that answers `{}` per command. `dropReused`: the second request on a
   * connection gets the connection destroyed without an answer (a device closing an idle
   * keep-alive socket); `dropAll`: every request does.
   */
  async function startMiniEapi(host: string, mode: 'keep' | 'dropReused' | 'dropAll') {
    const stats = { connections: 0, requests: 0 };
    const perSocket = new WeakMap<object, number>();
    const server = http.createServer((req, res) => {
      stats.requests++;
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        if (mode === 'dropAll' || (mode === 'dropReused' && n > 1)) return req.socket.destroy();
        const rpc = JSON.parse(body) as { id: string; params: { cmds: unknown[] } };
        const text = JSON.stringify({ jsonrpc: '2.0', id: rpc.id, result: rpc.params.cmds.map(() => ({})) });
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
      });
    });
    server.on('connection', () => stats.connections++);
    await new Promise<void>((r) => server.listen(0, host, () => r()));
    return {
      stats,
      port: (server.address() as net.AddressInfo).port,
      close: () =>
        new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
    };
  }

  it('one session reuses one connection across requests', async () => {
    const mini = await startMiniEapi('127.0.5.30', 'keep');
    const args = { host: '127.0.5.30', port: mini.port, transport: 'http' };
    const s = await driver.connect(args, ctx());
    try {
      for (let i = 0; i < 3; i++) await s.send(['show hostname'], showReq(args), ctx());
      assert.equal(await s.probe(ctx()), true);
      assert.deepEqual(mini.stats, { connections: 1, requests: 4 });
    } finally {
      await s.close();
      await mini.close();
    }
    assert.equal(await s.probe(ctx()), false);
  });

  it('a keep-alive socket the device dropped is retried once on a fresh connection; a fresh one is not', async () => {
    const mini = await startMiniEapi('127.0.5.31', 'dropReused');
    const args = { host: '127.0.5.31', port: mini.port, transport: 'http' };
    const s = await driver.connect(args, ctx());
    try {
      await s.send(['show hostname'], showReq(args), ctx());
      const out = await s.config(['hostname x'], { ...showReq(args), operation: 'config' }, ctx());
      assert.deepEqual(out, [{}]);
      assert.deepEqual(mini.stats, { connections: 2, requests: 3 });
    } finally {
      await s.close();
      await mini.close();
    }
    const dead = await startMiniEapi('127.0.5.32', 'dropAll');
    try {
      const deadArgs = { host: '127.0.5.32', port: dead.port, transport: 'http' };
      await assert.rejects(send(deadArgs), isCode('NP_ERR_DEVICE_CLOSED', /closed the connection before answering/));
      assert.equal(dead.stats.requests, 1);
    } finally {
      await dead.close();
    }
  });
});

describe('pyeapi driver: https', () => {
  let dev: EapiDeviceHandle;
  let dir: string;
  before(async () => {
    dev = await startEapiDevice({ host: '127.0.0.1', https: true, username: 'admin', password: 'pw' });
    dir = mkdtempSync(join(tmpdir(), 'np-pyeapi-'));
    setStateDir(join(dir, 'state'));
    writeFileSync(join(dir, 'ca.pem'), selfSignedCert().cert);
  });
  after(async () => {
    await dev.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const https = (extra: Record<string, unknown> = {}) => ({
    host: dev.host,
    port: dev.port,
    username: 'admin',
    password: 'pw',
    timeout: 10,
    ...extra,
  });

  it('verify: true checks the CA: a self-signed certificate fails with a clear DEVICE_CONNECT', async () => {
    await assert.rejects(
      send(https({ verify: true })),
      isCode(
        'NP_ERR_DEVICE_CONNECT',
        /TLS certificate of eAPI at https:\/\/127\.0\.0\.1:\d+ not trusted: .*self[- ]signed.*Set ca_file .* or verify: false/,
      ),
    );
  });

  it('https is the default transport and pins the certificate on first use; a changed one is refused, naming how to forget it', async () => {
    const pins = join(dir, 'state', 'tls_known_hosts');
    rmSync(pins, { force: true });
    await assert.rejects(
      send(https({ host_key_policy: 'reject' })),
      isCode('NP_ERR_DEVICE_CONNECT', /TLS certificate verification failed: .* is not in .* host_key_policy is reject/),
    );
    const out = (await send(https())) as { result: Record<string, unknown> }[];
    assert.equal(out[0].result.modelName, 'vEOS-lab');
    const line = readFileSync(pins, 'utf8').trim();
    assert.match(line, /^\[127\.0\.0\.1\]:\d+ x509-sha256 [A-Za-z0-9+/]{43}$/);
    assert.ok((await send(https({ host_key_policy: 'reject' }))) !== null, 'pinned: reject policy passes');
    // The device now shows another certificate than the pinned one.
    writeFileSync(pins, line.replace(/ \S+$/, ' ' + 'A'.repeat(43)) + '\n');
    const requestsBefore = dev.requests;
    await assert.rejects(
      send(https()),
      isCode(
        'NP_ERR_DEVICE_CONNECT',
        /TLS certificate verification failed: the x509-sha256 TLS certificate of \[127\.0\.0\.1\]:\d+ has CHANGED.*netpulse known-hosts forget 127\.0\.0\.1 --port \d+/,
      ),
    );
    assert.equal(dev.requests, requestsBefore, 'no request (no credentials) reached the changed peer');
    rmSync(pins, { force: true });
  });

  it('verify: false skips the check', async () => {
    const out = (await send(https({ verify: false }))) as { result: Record<string, unknown> }[];
    assert.equal(out[0].result.modelName, 'vEOS-lab');
    const r = await driver.test(https({ verify: false }), ctx());
    assert.equal(r.transport, 'https');
    assert.equal(r.model, 'vEOS-lab');
  });

  it('ca_file trusts the device certificate with verification on', async () => {
    const out = (await send(https({ ca_file: join(dir, 'ca.pem') }))) as { result: Record<string, unknown> }[];
    assert.equal(out[0].result.version, '4.30.1F');
  });

  it('an unreadable ca_file is DEVICE_CONNECT naming the file', async () => {
    await assert.rejects(
      driver.connect(https({ ca_file: join(dir, 'missing.pem') }), ctx()),
      isCode('NP_ERR_DEVICE_CONNECT', /Cannot use ca_file '.*missing\.pem' on the worker: missing or unreadable/),
    );
  });

  it('http against the https port is a precise error, not a hang', async () => {
    const t0 = Date.now();
    await assert.rejects(send(https({ transport: 'http', timeout: 5 })), (e: unknown) => {
      assert.ok(e instanceof NetPulseError);
      assert.ok(['NP_ERR_DEVICE_CONNECT', 'NP_ERR_DEVICE_CLOSED'].includes(e.code), `${e.code}: ${e.message}`);
      return true;
    });
    assert.ok(Date.now() - t0 < 4000);
  });
});
