/**
 * napalm configuration transactions through the whole HTTP API path (accept → pinned queue →
 * worker → napalm driver → device simulator), with request bodies written the way the reference
 * documents them: `config` + `driver_args {message, revert_in}` + `dry_run`, plus our
 * `driver_args.mode`, and the transaction methods as `command`.
 * Simulators run with timeScale 0.01: a 60 s revert fires after 0.6 s of real time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEapiDevice, type EapiDeviceHandle } from '../fakes/eapi-device/index.ts';
import { startDevice, type SimDevice } from '../fakes/ssh-device/index.ts';
import { startTestServer, waitJob, type TestServer } from '../helpers/server.ts';

const TIME_SCALE = 0.01;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A fresh /24 of loopback per run: host keys land in the shared known_hosts file, and each simulator
 * process has its own key, so an address:port used by an earlier run must not come back. */
const net = `127.${100 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 250)}`;

describe('napalm configuration transactions through the HTTP API', { timeout: 180_000 }, () => {
  let s: TestServer;
  let ios: SimDevice;
  let junos: SimDevice;
  let xr: SimDevice;
  let eos: EapiDeviceHandle;

  // Each device on its own loopback address: pinned sessions (and their transaction state) are per host.
  before(async () => {
    s = await startTestServer();
    ios = await startDevice({ profile: 'cisco_ios', host: `${net}.11`, timeScale: TIME_SCALE });
    junos = await startDevice({ profile: 'juniper_junos', host: `${net}.12`, timeScale: TIME_SCALE });
    xr = await startDevice({ profile: 'cisco_xr', host: `${net}.13`, timeScale: TIME_SCALE });
    eos = await startEapiDevice({ host: `${net}.14`, timeScale: TIME_SCALE });
  });
  after(async () => {
    await s.stop();
    await Promise.all([ios.close(), junos.close(), xr.close(), eos.close()]);
  });

  const sshConn = (d: SimDevice, deviceType: string) => ({
    device_type: deviceType,
    hostname: d.host,
    username: d.username,
    password: d.password,
    optional_args: { port: d.port, secret: d.secret },
  });
  const eosConn = () => ({
    device_type: 'arista_eos',
    hostname: eos.host,
    username: eos.username,
    password: eos.password,
    optional_args: { port: eos.port, transport: 'http' },
  });

  async function job(body: Record<string, unknown>) {
    const r = await s.call('POST', '/device/exec', { driver: 'napalm', ...body });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const done = await waitJob(s, r.body.data.id, 60_000);
    return { accepted: r.body.data, job: done };
  }
  async function ok(body: Record<string, unknown>) {
    const { accepted, job: done } = await job(body);
    assert.equal(done.status, 'finished', JSON.stringify(done.result));
    return { accepted, retval: done.result.retval };
  }

  it('ios: the reference body merges, answers [diff] on the pinned queue and saves', async () => {
    const { accepted, retval } = await ok({
      connection_args: sshConn(ios, 'cisco_ios'),
      config: ['interface Loopback21', ' description np-api-merge'],
    });
    assert.equal(accepted.queue, `HostQ_${ios.host}`);
    assert.ok(Array.isArray(retval) && retval.length === 1, JSON.stringify(retval));
    assert.match(retval[0], /\+interface Loopback21\n\+ description np-api-merge/);
    assert.match(ios.runningConfig(), /^interface Loopback21\n description np-api-merge$/m);
  });

  it('ios: dry_run returns the diff and leaves the device as it was', async () => {
    const before = ios.runningConfig();
    const conn = sshConn(ios, 'cisco_ios');
    const { retval } = await ok({ connection_args: conn, config: 'hostname NP-DRY', dry_run: true });
    assert.match(retval[0], /\+hostname NP-DRY/);
    assert.equal(ios.runningConfig(), before);
    const { retval: cmp } = await ok({ connection_args: sshConn(ios, 'cisco_ios'), command: ['compare_config'] });
    assert.deepEqual(cmp, { compare_config: '' });
  });

  it('ios: mode replace removes what the candidate lacks; rollback brings it back', async () => {
    const full = ios
      .runningConfig()
      .split('\n')
      .filter((l) => !l.startsWith('ip route 0.0.0.0'))
      .join('\n');
    const conn = sshConn(ios, 'cisco_ios');
    const { retval } = await ok({ connection_args: conn, config: full, driver_args: { mode: 'replace' } });
    assert.match(retval[0], /^-ip route 0\.0\.0\.0 0\.0\.0\.0 192\.0\.2\.254$/m);
    assert.doesNotMatch(ios.runningConfig(), /ip route 0\.0\.0\.0/);
    const { retval: rb } = await ok({ connection_args: sshConn(ios, 'cisco_ios'), command: ['rollback'] });
    assert.deepEqual(rb, { rollback: null });
    assert.match(ios.runningConfig(), /^ip route 0\.0\.0\.0 0\.0\.0\.0 192\.0\.2\.254$/m);
  });

  it('ios: a commit message is refused as NAPALM refuses it, and nothing changes', async () => {
    const before = ios.runningConfig();
    const { job: done } = await job({
      connection_args: sshConn(ios, 'cisco_ios'),
      config: ['interface Loopback22', ' description np-msg'],
      driver_args: { message: 'change 42' },
    });
    assert.equal(done.status, 'failed');
    assert.equal(done.result.error.type, 'NotImplementedError');
    assert.equal(ios.runningConfig(), before);
  });

  it('eos: an unconfirmed commit (revert_in) reverts by itself; has_pending_commit follows it', async () => {
    const before = eos.runningConfig();
    const { retval } = await ok({
      connection_args: eosConn(),
      config: ['interface Ethernet3', '   description np-api-unconfirmed'],
      driver_args: { revert_in: 60 },
    });
    assert.match(retval[0], /\+ {3}description np-api-unconfirmed/);
    assert.match(eos.runningConfig(), /description np-api-unconfirmed/);
    const pending = await ok({ connection_args: eosConn(), command: ['has_pending_commit'] });
    assert.deepEqual(pending.retval, { has_pending_commit: true });
    const blocked = await job({ connection_args: eosConn(), config: ['interface Ethernet4', '   description np-no'] });
    assert.equal(blocked.job.status, 'failed');
    assert.match(blocked.job.result.error.message, /Pending commit confirm/);
    const end = Date.now() + 10_000;
    while (eos.runningConfig().includes('np-api-unconfirmed') && Date.now() < end) await sleep(100);
    assert.equal(eos.runningConfig(), before);
    const after = await ok({ connection_args: eosConn(), command: ['has_pending_commit'] });
    assert.deepEqual(after.retval, { has_pending_commit: false });
  });

  it('eos: confirm_commit keeps a commit past its timer', async () => {
    const config = ['interface Ethernet4', '   description np-api-kept'];
    await ok({ connection_args: eosConn(), config, driver_args: { revert_in: 60 } });
    const confirmed = await ok({ connection_args: eosConn(), command: ['confirm_commit'] });
    assert.deepEqual(confirmed.retval, { confirm_commit: null });
    await sleep(60 * 1000 * TIME_SCALE + 800);
    assert.match(eos.runningConfig(), /description np-api-kept/);
    const again = await job({ connection_args: eosConn(), command: ['confirm_commit'] });
    assert.equal(again.job.status, 'failed');
    assert.equal(again.job.result.error.type, 'CommitConfirmException');
  });

  it('junos: merge with a commit message; the comment is in the commit history', async () => {
    const { retval } = await ok({
      connection_args: sshConn(junos, 'juniper_junos'),
      config: ['set interfaces ge-0/0/2 description np-api-junos'],
      driver_args: { message: 'np api change', revert_in: null },
    });
    assert.match(retval[0], /\[edit interfaces ge-0\/0\/2\]\n\+ +description np-api-junos;/);
    const history = await ok({ connection_args: sshConn(junos, 'juniper_junos'), command: ['show system commit'] });
    assert.match(history.retval['show system commit'], /^0 .*\n {4}np api change$/m);
  });

  it('junos: the methods by name — load, compare, discard, and commit_config with arguments', async () => {
    const conn = sshConn(junos, 'juniper_junos');
    await ok({
      connection_args: conn,
      command: ['load_replace_candidate'],
      driver_args: {
        load_replace_candidate: {
          config: 'set system host-name R1\nset system services ssh\nset interfaces ge-0/0/3 description np-only-this',
        },
      },
    });
    const cmp = await ok({ connection_args: conn, command: ['compare_config'] });
    assert.match(cmp.retval.compare_config, /-\s+next-hop 192\.0\.2\.254;/);
    assert.match(cmp.retval.compare_config, /\+\s+description np-only-this;/);
    await ok({ connection_args: conn, command: ['discard_config'] });
    const empty = await ok({ connection_args: conn, command: ['compare_config'] });
    assert.deepEqual(empty.retval, { compare_config: '' });
    await ok({
      connection_args: conn,
      command: ['load_merge_candidate', 'commit_config'],
      driver_args: {
        load_merge_candidate: { config: 'set interfaces ge-0/0/3 description np-by-name' },
        commit_config: { message: 'by name', revert_in: 60 },
      },
    });
    assert.match(junos.runningConfig(), /description np-by-name;/);
    const end = Date.now() + 10_000;
    while (junos.runningConfig().includes('np-by-name') && Date.now() < end) await sleep(100);
    assert.doesNotMatch(junos.runningConfig(), /np-by-name/, 'the unconfirmed commit reverted');
  });

  it('iosxr: replace with a message, then rollback restores the dropped section', async () => {
    const conn = sshConn(xr, 'cisco_xr');
    const full = xr
      .runningConfig()
      .split('\n')
      .filter((l) => !/^(router static| address-family| 0\.0\.0\.0)/.test(l))
      .join('\n');
    const driverArgs = { mode: 'replace', message: 'np xr replace' };
    const { retval } = await ok({ connection_args: conn, config: full, driver_args: driverArgs });
    assert.match(retval[0], /^-router static$/m);
    assert.doesNotMatch(xr.runningConfig(), /router static/);
    await ok({ connection_args: conn, command: ['rollback'] });
    assert.match(xr.runningConfig(), /^router static$/m);
  });

  it('bad requests are 400s naming the field: unknown mode, revert_in with dry_run', async () => {
    const bad = await s.call('POST', '/device/exec', {
      driver: 'napalm',
      connection_args: sshConn(ios, 'cisco_ios'),
      config: ['hostname X'],
      driver_args: { mode: 'overwrite' },
    });
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
    assert.ok(JSON.stringify(bad.body.data).includes('mode'));
    const dry = await s.call('POST', '/device/exec', {
      driver: 'napalm',
      connection_args: sshConn(ios, 'cisco_ios'),
      config: ['hostname X'],
      driver_args: { revert_in: 60 },
      dry_run: true,
    });
    assert.equal(dry.status, 400, JSON.stringify(dry.body));
    assert.ok(JSON.stringify(dry.body.data).includes('revert_in'));
  });
});
