/**
 * Compatibility suite, netmiko: request bodies shaped exactly as the reference documentation and
 * its clients write them (a top-level `options` object, `keepalive`/`timeout` in connection_args,
 * bulk `devices` carrying inventory fields), sent over HTTP to a real server driving the cisco_ios
 * simulator. What the reference accepts must run, with the ignored keys listed in `warnings`;
 * what it rejects (netmiko driver_args extras, wrong types) stays a 400 that names the key.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startDevice, type SimDevice } from '../fakes/ssh-device/index.ts';
import { startTestServer, waitJob, type TestServer } from '../helpers/server.ts';

describe('compat: netmiko bodies as the reference documents them', () => {
  let s: TestServer;
  let strict: TestServer;
  const devices: SimDevice[] = [];
  const conn = (d: SimDevice) => ({
    device_type: 'cisco_ios',
    host: d.host,
    port: d.port,
    username: d.username,
    password: d.password,
    secret: d.secret,
  });

  before(async () => {
    s = await startTestServer();
    strict = await startTestServer({ server: { strict_requests: true } });
    for (let i = 0; i < 3; i++)
      devices.push(await startDevice({ profile: 'cisco_ios', host: `127.0.4.${10 + i}`, port: 0 }));
  });
  after(async () => {
    await s.stop();
    await strict.stop();
    for (const d of devices) await d.close();
  });

  it('exec with `options`, keepalive/timeout and read_timeout runs; ignored keys come back as warnings', async () => {
    const body = {
      driver: 'netmiko',
      connection_args: { ...conn(devices[0]), timeout: 60, keepalive: 180, site: 'ams1' },
      command: ['show version', 'show ip interface brief'],
      driver_args: { read_timeout: 60 },
      options: { queue_strategy: 'pinned', ttl: 300 },
      queue_strategy: 'pinned',
      ttl: 300,
    };
    const r = await s.call('POST', '/device/exec', body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.code, 201);
    assert.deepEqual(r.body.warnings, [
      { loc: ['body', 'options'], msg: 'Ignored: not a known request field' },
      { loc: ['body', 'connection_args', 'site'], msg: 'Ignored: not a known netmiko connection argument' },
    ]);
    const job = await waitJob(s, r.body.data.id, 30_000);
    assert.equal(job.status, 'finished', JSON.stringify(job.result));
    assert.match(job.result.retval['show version'], /Cisco IOS Software/);
    assert.ok(
      s.logs.some((l) => l.includes('request keys ignored') && l.includes('options')),
      'ignored keys are logged',
    );
  });

  it('near misses get a "did you mean"; the job still runs with what was understood', async () => {
    const r = await s.call('POST', '/device/exec', {
      driver: 'netmiko',
      connection_args: { ...conn(devices[0]), pasword: 'x' },
      command: 'show clock',
      commands: ['show x'],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const msgs = Object.fromEntries(
      r.body.warnings.map((w: { loc: string[]; msg: string }) => [w.loc.join('.'), w.msg]),
    );
    assert.match(msgs['body.commands'], /did you mean 'command'\?/);
    assert.match(msgs['body.connection_args.pasword'], /did you mean 'password'\?/);
    assert.ok(!JSON.stringify(r.body).includes('"x"'), 'values are never echoed');
    assert.equal((await waitJob(s, r.body.data.id, 30_000)).status, 'finished');
  });

  it('bulk with inventory fields in devices: every job runs, each ignored key is reported once', async () => {
    const body = {
      driver: 'netmiko',
      connection_args: {
        device_type: 'cisco_ios',
        username: devices[0].username,
        password: devices[0].password,
        port: devices[0].port,
      },
      devices: devices.map((d, i) => ({
        host: d.host,
        port: d.port,
        site: `dc${i}`,
        role: 'access',
        criticality: 'high',
      })),
      command: 'show version',
    };
    const r = await s.call('POST', '/device/bulk', body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.data.succeeded.length, 3);
    assert.deepEqual(r.body.data.failed, []);
    assert.deepEqual(
      r.body.warnings.map((w: { loc: unknown[] }) => w.loc),
      [
        ['body', 'devices', 0, 'site'],
        ['body', 'devices', 0, 'role'],
        ['body', 'devices', 0, 'criticality'],
      ],
    );
    assert.match(r.body.warnings[0].msg, /on 3 devices/);
    for (const j of r.body.data.succeeded) assert.equal((await waitJob(s, j.id, 30_000)).status, 'finished');
  });

  it('config with save and enable_mode as the reference request fields', async () => {
    const r = await s.call('POST', '/device/exec', {
      driver: 'netmiko',
      connection_args: conn(devices[1]),
      config: ['interface GigabitEthernet0/1', 'description uplink'],
      save: true,
      enable_mode: true,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const job = await waitJob(s, r.body.data.id, 30_000);
    assert.equal(job.status, 'finished', JSON.stringify(job.result));
    assert.match(devices[1].runningConfig(), /description uplink/);
  });

  it('what the reference rejects stays a 400 naming the key: netmiko driver_args extras, wrong types', async () => {
    const extra = await s.call('POST', '/device/exec', {
      driver: 'netmiko',
      connection_args: conn(devices[0]),
      command: 'show version',
      driver_args: { read_timout: 5 },
    });
    assert.equal(extra.status, 400);
    assert.deepEqual(extra.body.data[0].loc, ['body', 'driver_args', 'read_timout']);
    const typed = await s.call('POST', '/device/exec', {
      driver: 'netmiko',
      connection_args: { ...conn(devices[0]), port: '22' },
      command: 'show version',
      options: {},
    });
    assert.equal(typed.status, 400);
    assert.deepEqual(typed.body.data[0].loc, ['body', 'connection_args', 'port']);
  });

  it('server.strict_requests: the same ignored keys are 400s with the hint', async () => {
    const r = await strict.call('POST', '/device/exec', {
      driver: 'netmiko',
      connection_args: conn(devices[0]),
      command: 'show version',
      commands: ['x'],
    });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body.data, [
      { loc: ['body', 'commands'], msg: "Extra inputs are not permitted; did you mean 'command'?" },
    ]);
    const inv = await strict.call('POST', '/device/bulk', {
      driver: 'netmiko',
      connection_args: conn(devices[0]),
      devices: [{ host: devices[0].host, site: 'x' }],
      command: 'show version',
    });
    assert.equal(inv.status, 400);
    assert.deepEqual(inv.body.data[0].loc, ['body', 'devices', 0, 'site']);
  });

  it('/device/test answers the documented names next to the code names', async () => {
    const r = await s.call('POST', '/device/test', {
      driver: 'netmiko',
      connection_args: { ...conn(devices[2]), site: 'ams1' },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.message, 'Connection test completed');
    const d = r.body.data;
    assert.equal(d.success, true);
    assert.equal(typeof d.connection_time, 'number');
    assert.equal(d.connection_time, d.latency);
    assert.equal(d.error_message, null);
    assert.deepEqual(d.device_info, d.result);
    assert.equal(d.device_info.driver, 'netmiko');
    assert.equal(d.device_info.host, devices[2].host);
    assert.equal(r.body.warnings[0].loc.join('.'), 'body.connection_args.site');
    const bad = await s.call('POST', '/device/test', {
      driver: 'netmiko',
      connection_args: { ...conn(devices[2]), password: 'wrong' },
    });
    assert.equal(bad.body.message, 'Connection test failed');
    assert.equal(bad.body.data.success, false);
    assert.equal(bad.body.data.error_message, bad.body.data.error);
    assert.equal(bad.body.data.device_info, null);
  });
});
