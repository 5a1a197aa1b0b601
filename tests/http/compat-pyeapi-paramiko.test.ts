/**
 * Compatibility suite, pyeapi and paramiko: bodies as the reference documentation writes them,
 * over HTTP to a real server. pyeapi runs against the eAPI simulator (plain http and the
 * self-signed https one, which works by default through trust on first use) with the free-form
 * `driver_args` the reference forwards (`format`, `timestamps`, `expand`, `detail`); paramiko runs
 * against the lab's OpenSSH with `keepalive` in connection_args and inventory fields in `devices`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEapiDevice, type EapiDeviceHandle } from '../fakes/eapi-device/index.ts';
import { startTestServer, waitJob, type TestServer } from '../helpers/server.ts';
import { LAB, labAvailable, labSkipMessage } from '../helpers/lab.ts';

describe('compat: pyeapi bodies as the reference documents them', () => {
  let s: TestServer;
  let plain: EapiDeviceHandle;
  let tls: EapiDeviceHandle;
  before(async () => {
    s = await startTestServer();
    plain = await startEapiDevice({ host: '127.0.5.60', username: 'admin', password: 'eos-pw', hostname: 'leaf1' });
    tls = await startEapiDevice({
      host: '127.0.0.1',
      https: true,
      username: 'admin',
      password: 'eos-pw',
      hostname: 'leaf2',
    });
  });
  after(async () => {
    await s.stop();
    await plain.close();
    await tls.close();
  });

  it('free-form driver_args are accepted and reported; the job answers eAPI results', async () => {
    const r = await s.call('POST', '/device/exec', {
      driver: 'pyeapi',
      connection_args: { host: plain.host, port: plain.port, transport: 'http', username: 'admin', password: 'eos-pw' },
      command: ['show version', 'show hostname'],
      driver_args: { encoding: 'json', format: 'json', timestamps: false, expand: true, detail: true },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual(r.body.warnings.map((w: { loc: string[] }) => w.loc.join('.')).sort(), [
      'body.driver_args.detail',
      'body.driver_args.expand',
      'body.driver_args.format',
      'body.driver_args.timestamps',
    ]);
    const job = await waitJob(s, r.body.data.id, 30_000);
    assert.equal(job.status, 'finished', JSON.stringify(job.result));
    assert.equal(job.result.retval[1].result.hostname, 'leaf1');
  });

  it('a self-signed https device works with the default verify (trust on first use) and /device/test fields', async () => {
    const args = { host: tls.host, port: tls.port, username: 'admin', password: 'eos-pw', device_type: 'arista_eos' };
    const r = await s.call('POST', '/device/exec', {
      driver: 'pyeapi',
      connection_args: args,
      command: 'show hostname',
    });
    const job = await waitJob(s, r.body.data.id, 30_000);
    assert.equal(job.status, 'finished', JSON.stringify(job.result));
    const t = await s.call('POST', '/device/test', { driver: 'pyeapi', connection_args: args });
    assert.equal(t.body.data.success, true, JSON.stringify(t.body));
    assert.equal(t.body.data.device_info.transport, 'https');
    assert.equal(t.body.data.connection_time, t.body.data.latency);
    assert.equal(t.body.data.error_message, null);
  });
});

describe('compat: paramiko bodies as the reference documents them (lab OpenSSH)', async () => {
  const up = await labAvailable('sshd');
  let s: TestServer;
  const conn = {
    host: LAB.host,
    port: LAB.ssh.port,
    username: LAB.linux.username,
    password: LAB.linux.password,
    keepalive: 30,
    timeout: 30,
  };
  before(async () => {
    if (up) s = await startTestServer();
  });
  after(async () => {
    if (up) await s.stop();
  });

  it('exec with keepalive in connection_args runs and reports it as ignored', {
    skip: !up && labSkipMessage('sshd'),
  }, async () => {
    const r = await s.call('POST', '/device/exec', {
      driver: 'paramiko',
      connection_args: conn,
      command: ['uname -s', 'whoami'],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual(r.body.warnings, [
      { loc: ['body', 'connection_args', 'keepalive'], msg: 'Ignored: not a known paramiko connection argument' },
    ]);
    const job = await waitJob(s, r.body.data.id, 30_000);
    assert.equal(job.status, 'finished', JSON.stringify(job.result));
    assert.deepEqual(job.result.retval.whoami, { output: 'linux\n', error: '', exit_status: 0 });
  });

  it('bulk with inventory fields in devices', { skip: !up && labSkipMessage('sshd') }, async () => {
    const r = await s.call('POST', '/device/bulk', {
      driver: 'paramiko',
      connection_args: conn,
      devices: [{ host: LAB.host, site: 'lab', role: 'server', criticality: 'low' }],
      command: 'hostname',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.data.succeeded.length, 1);
    const job = await waitJob(s, r.body.data.succeeded[0].id, 30_000);
    assert.equal(job.status, 'finished', JSON.stringify(job.result));
  });

  it('/device/test answers connection_time, error_message and device_info', {
    skip: !up && labSkipMessage('sshd'),
  }, async () => {
    const r = await s.call('POST', '/device/test', { driver: 'paramiko', connection_args: conn });
    const d = r.body.data;
    assert.equal(d.success, true, JSON.stringify(r.body));
    assert.match(d.device_info.remote_version, /OpenSSH/);
    assert.equal(d.connection_time, d.latency);
    assert.equal(d.error_message, null);
  });
});
