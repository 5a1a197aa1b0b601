/**
 * pyeapi driver against the eAPI simulator over real HTTP on 127.0.0.x: result shapes of send
 * and config, enable and its secret, save, eAPI errors, credentials, test() and sessions.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEapiDevice, type EapiDeviceHandle } from '../../../../fakes/eapi-device/index.ts';
import { PyeapiDriver, type PyeapiSession } from '../../../../../plugins/drivers/pyeapi/index.ts';
import type { DriverRequest } from '../../../../../core/contracts/driver.ts';
import { NetPulseError } from '../../../../../core/errors.ts';
import { isCode } from '../../../../helpers/errors.ts';

const log = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return log;
  },
};
const ctx = () => ({ log, signal: new AbortController().signal });
const driver = new PyeapiDriver(log);

const conn = (d: EapiDeviceHandle, extra: Record<string, unknown> = {}) => ({
  host: d.host,
  port: d.port,
  transport: 'http',
  username: d.username,
  password: d.password,
  timeout: 10,
  ...extra,
});
const request = (
  operation: 'command' | 'config',
  d: EapiDeviceHandle,
  driver_args: Record<string, unknown> = {},
  options: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): DriverRequest => ({
  connection_args: conn(d, extra),
  driver_args,
  operation,
  options,
});

describe('pyeapi driver: commands and config on the simulator', () => {
  let dev: EapiDeviceHandle;
  let session: PyeapiSession;
  before(async () => {
    dev = await startEapiDevice({ host: '127.0.5.1', username: 'admin', password: 'pw', hostname: 'leaf1' });
    session = await driver.connect(conn(dev), ctx());
  });
  after(async () => {
    await session.close();
    await dev.close();
  });

  it('send in json: a list of {command, result, encoding} as pyeapi Node.enable', async () => {
    const out = await session.send(['show version', 'show hostname'], request('command', dev), ctx());
    assert.equal(out.length, 2);
    assert.deepEqual(
      out.map((o) => [o.command, o.encoding]),
      [
        ['show version', 'json'],
        ['show hostname', 'json'],
      ],
    );
    assert.equal(out[0].result.modelName, 'vEOS-lab');
    assert.equal(out[0].result.version, '4.30.1F');
    assert.equal(out[1].result.hostname, 'leaf1');
  });

  it('send in text: each result is {output}', async () => {
    const out = await session.send(['show version'], request('command', dev, { encoding: 'text' }), ctx());
    assert.equal(out[0].encoding, 'text');
    assert.match(String(out[0].result.output), /^Arista vEOS-lab\n/);
  });

  it('a command without a JSON model is rerun as text; the others stay json and each runs once', async () => {
    const before = dev.requests;
    const out = await session.send(['show hostname', 'show clock', 'show version'], request('command', dev), ctx());
    assert.deepEqual(
      out.map((o) => [o.command, o.encoding]),
      [
        ['show hostname', 'json'],
        ['show clock', 'text'],
        ['show version', 'json'],
      ],
    );
    assert.equal(typeof out[1].result.output, 'string');
    assert.equal(out[2].result.modelName, 'vEOS-lab');
    assert.equal(dev.requests - before, 3, 'batch, text rerun of the one command, batch of the rest');
  });

  it('autoComplete and expandAliases reach eAPI', async () => {
    await assert.rejects(session.send(['sh ver'], request('command', dev), ctx()), isCode('NP_ERR_DEVICE_COMMAND'));
    const ac = await session.send(['sh ver'], request('command', dev, { autoComplete: true }), ctx());
    assert.equal(ac[0].command, 'sh ver');
    assert.equal(ac[0].result.modelName, 'vEOS-lab');
    const al = await session.send(['shver'], request('command', dev, { expandAliases: true }), ctx());
    assert.equal(al[0].result.modelName, 'vEOS-lab');
  });

  it("a failing command is DEVICE_COMMAND with eAPI's message and detail", async () => {
    await assert.rejects(
      session.send(['show version', 'show bogus'], request('command', dev), ctx()),
      isCode(
        'NP_ERR_DEVICE_COMMAND',
        /^Error \[1002\]: CLI command 3 of 3 'show bogus' failed: invalid command \[Invalid input \(at token 1: 'bogus'\)\]$/,
      ),
    );
    await assert.rejects(
      session.send(['show bogus'], request('command', dev, { encoding: 'text' }), ctx()),
      (e: unknown) => {
        assert.ok(e instanceof NetPulseError);
        assert.equal(e.type, 'CommandError');
        assert.deepEqual(e.data, { eapi_code: 1002 });
        return true;
      },
    );
  });

  it('a bare configure in a command request is refused', async () => {
    await assert.rejects(
      session.send(['configure', 'hostname x'], request('command', dev), ctx()),
      isCode('NP_ERR_VALIDATION'),
    );
  });

  it("config: per-line results; save appends write memory's result without touching the caller's list", async () => {
    const lines = ['interface Ethernet1', 'description np-uplink'];
    const copy = [...lines];
    const out = await session.config(lines, request('config', dev), ctx());
    assert.deepEqual(out, [{}, {}]);
    assert.match(dev.runningConfig(), /^interface Ethernet1\n {3}description np-uplink$/m);
    const saved = await session.config(['hostname leaf1-new'], request('config', dev, {}, { save: true }), ctx());
    assert.equal(saved.length, 2);
    assert.deepEqual(saved[0], {});
    assert.deepEqual(saved[1], { messages: ['Copy completed successfully.'] });
    assert.deepEqual(lines, copy, 'payload not mutated');
    assert.match(dev.runningConfig(), /^hostname leaf1-new$/m);
    const startup = await session.send(['show startup-config'], request('command', dev, { encoding: 'text' }), ctx());
    assert.match(String(startup[0].result.output), /^hostname leaf1-new$/m, 'write memory saved it');
  });

  it("config: a bad line fails the request with the device's words; MULTILINE: input works", async () => {
    await assert.rejects(
      session.config(['interface Ethernet1', 'mtu 5'], request('config', dev), ctx()),
      isCode('NP_ERR_DEVICE_COMMAND', /invalid command/),
    );
    const out = await session.config(['banner login MULTILINE: authorised use only'], request('config', dev), ctx());
    assert.deepEqual(out, [{}]);
    assert.match(dev.runningConfig(), /authorised use only/);
  });

  it('enable_mode false sends no enable; probe answers true; close is idempotent and ends the session', async () => {
    const out = await session.send(['show hostname'], request('command', dev, {}, { enable_mode: false }), ctx());
    assert.equal(out[0].result.hostname, 'leaf1-new');
    const s = await driver.connect(conn(dev), ctx());
    assert.equal(await s.probe(ctx()), true);
    await s.close();
    await s.close();
    assert.equal(s.alive, false);
    assert.equal(await s.probe(ctx()), false);
    await assert.rejects(s.send(['show version'], request('command', dev), ctx()), isCode('NP_ERR_DEVICE_CLOSED'));
  });
});

describe('pyeapi driver: enable secret and credentials', () => {
  let dev: EapiDeviceHandle;
  before(async () => {
    dev = await startEapiDevice({ host: '127.0.5.2', username: 'ops', password: 'ops-pw', secret: 'en-s3cret' });
  });
  after(() => dev.close());

  it('with the secret, enable succeeds and privileged commands run', async () => {
    const s = await driver.connect(conn(dev, { secret: 'en-s3cret' }), ctx());
    try {
      const out = await s.send(['show running-config'], request('command', dev, { encoding: 'text' }), ctx());
      assert.match(String(out[0].result.output), /hostname sw1/);
      assert.deepEqual(await s.config(['hostname sw9'], request('config', dev), ctx()), [{}]);
    } finally {
      await s.close();
    }
  });

  it('a wrong or missing secret is DEVICE_AUTH and never shows the secret', async () => {
    const wrong = await driver.connect(conn(dev, { secret: 'not-the-secret' }), ctx());
    await assert.rejects(wrong.send(['show version'], request('command', dev), ctx()), (e: unknown) => {
      assert.ok(e instanceof NetPulseError);
      assert.equal(e.code, 'NP_ERR_DEVICE_AUTH');
      assert.match(e.message, /enable failed/);
      assert.ok(!e.message.includes('not-the-secret'));
      return true;
    });
    await wrong.close();
    const none = await driver.connect(conn(dev), ctx());
    await assert.rejects(
      none.config(['hostname x'], request('config', dev), ctx()),
      isCode('NP_ERR_DEVICE_AUTH', /no secret set/),
    );
    await none.close();
  });

  it('a wrong password is DEVICE_AUTH naming the user, not the password', async () => {
    const s = await driver.connect(conn(dev, { password: 'wrong-password' }), ctx());
    await assert.rejects(
      s.send(['show version'], request('command', dev, {}, {}, { password: 'wrong-password' }), ctx()),
      (e: unknown) => {
        assert.ok(e instanceof NetPulseError);
        assert.equal(e.code, 'NP_ERR_DEVICE_AUTH');
        assert.equal(e.type, 'AuthenticationError');
        assert.match(e.message, /rejected the credentials of user 'ops' \(HTTP 401/);
        assert.ok(!e.message.includes('wrong-password'));
        return true;
      },
    );
    await s.close();
  });

  it('test() contacts the device and reports model and version', async () => {
    const r = await driver.test(conn(dev), ctx());
    assert.deepEqual(r, {
      driver: 'pyeapi',
      host: '127.0.5.2',
      transport: 'http',
      port: dev.port,
      model: 'vEOS-lab',
      version: '4.30.1F',
    });
    await assert.rejects(driver.test(conn(dev, { password: 'nope' }), ctx()), isCode('NP_ERR_DEVICE_AUTH'));
  });
});

describe('pyeapi driver: schemas, validation and session keys', () => {
  it('sessionKey applies defaults, changes with any credential and holds no secret', () => {
    const a = driver.sessionKey({ host: 'sw1', password: 'p1' });
    assert.equal(
      a,
      driver.sessionKey({
        host: 'sw1',
        password: 'p1',
        transport: 'https',
        port: 443,
        username: 'admin',
        timeout: 60,
        verify: null,
        host_key_policy: 'auto_add',
      }),
    );
    assert.notEqual(
      a,
      driver.sessionKey({ host: 'sw1', password: 'p1', verify: true }),
      'CA validation is another session than pinning',
    );
    assert.notEqual(a, driver.sessionKey({ host: 'sw1', password: 'p2' }));
    assert.notEqual(a, driver.sessionKey({ host: 'sw1', password: 'p1', secret: 's' }));
    assert.notEqual(a, driver.sessionKey({ host: 'sw1', password: 'p1', transport: 'http' }));
    assert.match(a, /^[0-9a-f]{64}$/);
  });

  it('default queue strategy is fifo; driver_args never share keys with connection_args', () => {
    assert.equal(driver.defaultQueueStrategy, 'fifo');
    const connKeys = Object.keys((driver.schemas.connectionArgs.properties as object) ?? {});
    for (const s of [driver.schemas.commandArgs, driver.schemas.configArgs]) {
      assert.equal(s.additionalProperties, false);
      for (const k of Object.keys(s.properties as object)) assert.ok(!connKeys.includes(k), k);
    }
    assert.equal(driver.schemas.connectionArgs.additionalProperties, false);
  });

  it('prepare rejects save on commands and contradictory TLS settings', () => {
    const base = { driver_args: {}, options: {} };
    assert.throws(
      () => driver.prepare({ ...base, connection_args: { host: 'x' }, operation: 'command', options: { save: true } }),
      isCode('NP_ERR_VALIDATION'),
    );
    assert.doesNotThrow(() =>
      driver.prepare({ ...base, connection_args: { host: 'x' }, operation: 'config', options: { save: true } }),
    );
    for (const bad of [
      { host: 'x', transport: 'http', ca_file: '/tmp/ca.pem' },
      { host: 'x', cert_file: '/tmp/c.pem' },
      { host: 'x', verify: false, ca_file: '/tmp/ca.pem' },
    ]) {
      assert.throws(
        () => driver.prepare({ ...base, connection_args: bad, operation: 'command' }),
        isCode('NP_ERR_VALIDATION'),
        JSON.stringify(bad),
      );
    }
  });
});
