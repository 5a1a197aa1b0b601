/**
 * The pyeapi driver through the whole HTTP API path (accept → FIFO queue → worker → driver →
 * result) against the eAPI simulator over HTTP and HTTPS; /device/test contacting the device.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { resolve } from 'node:path';
import catalogue from '../../plugins/index.ts';
import { startEapiDevice, type EapiDeviceHandle } from '../fakes/eapi-device/index.ts';
import { ECHO_DRIVER, PROJECT_ROOT, startTestServer, waitJob, type TestServer } from '../helpers/server.ts';

const PYEAPI_MODULE = resolve(PROJECT_ROOT, 'plugins/drivers/pyeapi/index.ts');
/** Loaded as an extra module only until the built-in catalogue lists it (a second load would be a duplicate). */
const extraModules = catalogue.includes('./drivers/pyeapi/index.ts') ? [] : [PYEAPI_MODULE];

describe('pyeapi through the HTTP API', () => {
  let s: TestServer;
  let dev: EapiDeviceHandle;
  let tls: EapiDeviceHandle;
  const conn = (d: EapiDeviceHandle, extra: Record<string, unknown> = {}) => ({
    device_type: 'arista_eos',
    host: d.host,
    port: d.port,
    transport: d.https ? 'https' : 'http',
    username: d.username,
    password: d.password,
    timeout: 10,
    ...extra,
  });
  const exec = (body: Record<string, unknown>) => s.call('POST', '/device/exec', { driver: 'pyeapi', ...body });
  const run = async (body: Record<string, unknown>) => {
    const r = await exec(body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return { accepted: r.body.data, job: await waitJob(s, r.body.data.id, 30_000) };
  };

  before(async () => {
    s = await startTestServer({ plugin: { modules: [ECHO_DRIVER, ...extraModules] } });
    dev = await startEapiDevice({
      host: '127.0.5.40',
      username: 'netops',
      password: 'np-pw',
      secret: 'en-pw',
      hostname: 'spine1',
    });
    tls = await startEapiDevice({
      host: '127.0.0.1',
      https: true,
      username: 'admin',
      password: 'tls-pw',
      hostname: 'spine2',
    });
  });
  after(async () => {
    await s.stop();
    await dev.close();
    await tls.close();
  });

  it("a show command runs on the FIFO queue by default and returns pyeapi's list shape", async () => {
    const { accepted, job } = await run({
      connection_args: conn(dev, { secret: 'en-pw' }),
      command: ['show version', 'show clock'],
    });
    assert.equal(accepted.queue, 'FifoQ');
    assert.equal(job.status, 'finished', JSON.stringify(job.result));
    const [ver, clock] = job.result.retval;
    assert.equal(ver.command, 'show version');
    assert.equal(ver.encoding, 'json');
    assert.equal(ver.result.modelName, 'vEOS-lab');
    assert.equal(clock.encoding, 'text', 'no JSON model: rerun as text');
  });

  it('parsing applies per command: jsonata over the JSON result, textfsm over text output', async () => {
    const { job } = await run({
      connection_args: conn(dev, { secret: 'en-pw' }),
      command: ['show version'],
      parsing: { name: 'jsonata', template: '{"model": modelName, "version": version}' },
    });
    assert.equal(job.status, 'finished', JSON.stringify(job.result));
    assert.equal(job.result.retval[0].command, 'show version');
    assert.equal(job.result.retval[0].result.model, 'vEOS-lab');
    assert.equal(typeof job.result.retval[0].result.version, 'string');
  });

  it("config with enable secret and save changes the device and appends write memory's result", async () => {
    const config = ['interface Ethernet2', 'description np-api-pyeapi'];
    const { job } = await run({ connection_args: conn(dev, { secret: 'en-pw' }), config, save: true });
    assert.equal(job.status, 'finished', JSON.stringify(job.result));
    assert.deepEqual(job.result.retval, [{}, {}, { messages: ['Copy completed successfully.'] }]);
    assert.match(dev.runningConfig(), /^interface Ethernet2\n {3}description np-api-pyeapi$/m);
  });

  it('device errors end the job precisely without echoing secrets', async () => {
    const bad = await run({ connection_args: conn(dev, { secret: 'en-pw' }), command: 'show bogus' });
    assert.equal(bad.job.status, 'failed');
    assert.equal(bad.job.result.error.type, 'CommandError');
    assert.match(
      bad.job.result.error.message,
      /Error \[1002\]: CLI command 2 of 2 'show bogus' failed: invalid command \[Invalid input/,
    );
    const denied = await run({ connection_args: conn(dev, { password: 'guessed-pw' }), command: 'show version' });
    assert.equal(denied.job.result.error.type, 'AuthenticationError');
    assert.ok(!JSON.stringify(denied.job).includes('guessed-pw'));
    const noEnable = await run({ connection_args: conn(dev, { secret: 'wrong-en' }), config: ['hostname x'] });
    assert.equal(noEnable.job.result.error.type, 'AuthenticationError');
    assert.ok(!JSON.stringify(noEnable.job).includes('wrong-en'));
  });

  it('https: the self-signed simulator works by default (pinned on first use); verify true refuses it; verify false reaches it', async () => {
    const pinned = await run({ connection_args: conn(tls), command: 'show hostname' });
    assert.equal(pinned.job.status, 'finished', JSON.stringify(pinned.job.result));
    const strict = await run({ connection_args: conn(tls, { verify: true }), command: 'show hostname' });
    assert.equal(strict.job.result.error.type, 'ConnectionError');
    assert.match(strict.job.result.error.message, /not trusted.*verify: false/);
    const lab = await run({
      connection_args: conn(tls, { verify: false }),
      command: 'show hostname',
      driver_args: { encoding: 'json' },
    });
    assert.equal(lab.job.status, 'finished', JSON.stringify(lab.job.result));
    assert.equal(lab.job.result.retval[0].result.hostname, 'spine2');
  });

  it('request validation: free-form driver_args and unknown connection keys are warnings; save on commands is a 400', async () => {
    const r1 = await exec({ connection_args: conn(dev), config: ['hostname y'], driver_args: { encoding: 'text' } });
    assert.equal(r1.status, 201, JSON.stringify(r1.body));
    assert.deepEqual(r1.body.warnings[0].loc, ['body', 'driver_args', 'encoding']);
    const r2 = await exec({ connection_args: conn(dev, { pasword: 'typo' }), command: 'show version' });
    assert.equal(r2.status, 201);
    assert.ok(r2.body.warnings.some((i: any) => i.loc.includes('pasword') && /did you mean 'password'/.test(i.msg)));
    assert.ok(!JSON.stringify(r2.body).includes('typo'));
    const r3 = await exec({ connection_args: conn(dev), command: 'show version', save: true });
    assert.equal(r3.status, 400);
    assert.deepEqual(r3.body.data[0].loc, ['save']);
    const r4 = await exec({
      connection_args: conn(dev, { transport: 'http', ca_file: '/etc/ssl/certs/ca-certificates.crt' }),
      command: 'show version',
    });
    assert.equal(r4.status, 400);
  });

  describe('/device/test', () => {
    const test = async (connection_args: Record<string, unknown>) => {
      const r = await s.call('POST', '/device/test', { driver: 'pyeapi', connection_args });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.data;
    };

    it('contacts the device and reports host, transport, model and version', async () => {
      const ok = await test(conn(tls, { verify: false }));
      assert.equal(ok.success, true, ok.error);
      assert.deepEqual(ok.result, {
        driver: 'pyeapi',
        host: '127.0.0.1',
        transport: 'https',
        port: tls.port,
        model: 'vEOS-lab',
        version: '4.30.1F',
      });
      const denied = await test(conn(dev, { password: 'nope' }));
      assert.equal(denied.success, false);
      assert.match(denied.error, /rejected the credentials of user 'netops'/);
    });

    it('an unreachable device is success:false quickly', async () => {
      const srv = net.createServer();
      await new Promise<void>((r) => srv.listen(0, '127.0.5.41', () => r()));
      const port = (srv.address() as net.AddressInfo).port;
      await new Promise<void>((r) => srv.close(() => r()));
      const t0 = Date.now();
      const down = await test({ host: '127.0.5.41', port, transport: 'http', timeout: 5 });
      assert.equal(down.success, false);
      assert.match(down.error, /connection refused/);
      assert.ok(Date.now() - t0 < 5000);
    });
  });
});
