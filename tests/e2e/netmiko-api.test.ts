/**
 * The netmiko driver through the whole HTTP API path (accept → pinned/fifo queue → worker →
 * driver → result): every simulator profile, persistent sessions, faults ending in precise job
 * errors within their timeouts, /device/test, and the real FRR router behind OpenSSH.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { PROFILES, startDevice, type SimDevice } from '../fakes/ssh-device/index.ts';
import { startTestServer, waitJob, type TestServer } from '../helpers/server.ts';
import { LAB, labAvailable, labSkipMessage } from '../helpers/lab.ts';

const SHOW: Record<string, string> = { huawei: 'display version', hp_comware: 'display version' };
const CONFIG: Record<string, string[]> = {
  juniper_junos: ['set interfaces lo0 description np-api'],
  huawei: ['interface LoopBack9', 'description np-api'],
  hp_comware: ['interface LoopBack9', 'description np-api'],
};
const COMMITS = new Set(['juniper_junos', 'cisco_xr']);
/** Profiles that log in at user level and need `enable` before configuring. */
const ENABLE = new Set(['cisco_ios', 'cisco_xe', 'arista_eos']);

describe('netmiko through the HTTP API', () => {
  let s: TestServer;
  const devices: SimDevice[] = [];
  const conn = (d: SimDevice, extra: Record<string, unknown> = {}) => ({
    device_type: d.profile,
    host: d.host,
    port: d.port,
    username: d.username,
    password: d.password,
    secret: d.secret,
    ...extra,
  });
  const run = async (body: Record<string, unknown>) => {
    const r = await s.call('POST', '/device/exec', { driver: 'netmiko', ...body });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return waitJob(s, r.body.data.id, 60_000);
  };
  let hostSeq = 10;
  const device = async (profile: string, faults = {}) => {
    const d = await startDevice({ profile, host: `127.0.1.${hostSeq++}`, port: 0, faults });
    devices.push(d);
    return d;
  };

  before(async () => {
    s = await startTestServer({ worker: { idle_timeout: 60 } });
  });
  after(async () => {
    await s.stop();
    for (const d of devices) await d.close();
  });

  for (const profile of PROFILES) {
    it(`${profile}: show, then config with ${COMMITS.has(profile) ? 'commit' : 'save'} on one persistent session`, async () => {
      const d = await device(profile);
      const show = await run({ connection_args: conn(d), command: SHOW[profile] ?? 'show version' });
      assert.equal(show.status, 'finished', JSON.stringify(show.result));
      const out = show.result.retval[SHOW[profile] ?? 'show version'] as string;
      assert.ok(out.length > 100 && !/--More--|---- More ----/.test(out), 'full output, paging answered or disabled');
      const lines = CONFIG[profile] ?? ['interface Loopback9', 'description np-api'];
      const cfg = await run({
        connection_args: conn(d),
        config: lines,
        save: !COMMITS.has(profile),
        ...(ENABLE.has(profile) ? { enable_mode: true } : {}),
      });
      assert.equal(cfg.status, 'finished', JSON.stringify(cfg.result));
      assert.ok(
        Array.isArray(cfg.result.retval) && cfg.result.retval.length >= 2,
        `config output + ${COMMITS.has(profile) ? 'commit' : 'save'} output`,
      );
      assert.match(d.runningConfig(), /np-api/);
      assert.equal(d.sessions, 1, 'the pinned session stays open and is reused');
      assert.equal(show.worker, cfg.worker);
    });
  }

  it('a FIFO job closes its session; a pinned worker reports its open session', async () => {
    const d = await device('cisco_ios');
    const j = await run({ connection_args: conn(d), command: 'show clock', queue_strategy: 'fifo' });
    assert.equal(j.status, 'finished');
    for (let i = 0; i < 50 && d.sessions > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(d.sessions, 0);
    const p = await run({ connection_args: conn(d), command: 'show clock' });
    let workers: any[] = [];
    // The worker listing comes from node heartbeats (every 0.5 s here).
    for (let i = 0; i < 40; i++) {
      workers = (await s.call('GET', `/worker?host=${d.host}`)).body.data;
      if (workers[0]?.sessions === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(workers.length, 1);
    assert.equal(workers[0].name, p.worker);
    assert.equal(workers[0].sessions, 1);
  });

  it('enable_mode with a good secret works; a changed password opens a new session and a wrong one fails precisely', async () => {
    const d = await device('cisco_ios');
    const ok = await run({ connection_args: conn(d), command: 'show running-config', enable_mode: true });
    assert.equal(ok.status, 'finished');
    const bad = await run({ connection_args: conn(d, { password: 'not-the-password' }), command: 'show clock' });
    assert.equal(bad.status, 'failed');
    assert.equal(bad.result.error.type, 'AuthenticationError');
    assert.ok(!JSON.stringify(bad).includes('not-the-password'), 'the password is not echoed');
    const again = await run({ connection_args: conn(d), command: 'show clock' });
    assert.equal(again.status, 'finished');
    assert.equal(d.sessions, 1, 'the old session was closed when the arguments changed');
  });

  it('a hung command fails by read_timeout, a hard execution_timeout cuts a slow device, and the host recovers', async () => {
    const d = await device('cisco_ios', { hangOn: 'show tech-support' });
    const t0 = Date.now();
    const hung = await run({
      connection_args: conn(d),
      command: 'show tech-support',
      driver_args: { read_timeout: 1 },
    });
    assert.equal(hung.status, 'failed');
    assert.equal(hung.result.error.type, 'TimeoutError');
    const cut = await run({
      connection_args: conn(d),
      command: 'show tech-support',
      driver_args: { read_timeout: 100 },
      execution_timeout: 2,
    });
    assert.equal(cut.status, 'failed');
    assert.equal(cut.result.error.type, 'JobTimeoutError');
    assert.ok(cut.duration < 4, `ended at the deadline (${cut.duration} s)`);
    assert.ok(Date.now() - t0 < 20_000);
    const after = await run({ connection_args: conn(d), command: 'show clock' });
    assert.equal(after.status, 'finished', JSON.stringify(after.result));
  });

  it('a device that drops the connection mid-output fails the job as ConnectionClosedError; the next job reconnects', async () => {
    const d = await device('arista_eos', { disconnectOn: 'show interfaces' });
    const j = await run({ connection_args: conn(d), command: 'show interfaces' });
    assert.equal(j.status, 'failed');
    assert.equal(j.result.error.type, 'ConnectionClosedError');
    const next = await run({ connection_args: conn(d), command: 'show version' });
    assert.equal(next.status, 'finished');
  });

  it("a config error fails the job with the device's own words", async () => {
    const d = await device('cisco_ios');
    const j = await run({
      connection_args: conn(d),
      config: ['interface Loopback9', 'bogus-command-xyz'],
      enable_mode: true,
    });
    assert.equal(j.status, 'failed');
    assert.equal(j.result.error.type, 'CommandError');
    assert.match(j.result.error.message, /Invalid input/);
  });

  it('unreachable and auth-failing devices end in precise errors', async () => {
    const down = await run({
      connection_args: {
        device_type: 'cisco_ios',
        host: '127.0.0.1',
        port: 1,
        username: 'a',
        password: 'b',
        timeout: 5,
      },
      command: 'show clock',
      queue_strategy: 'fifo',
    });
    assert.equal(down.result.error.type, 'ConnectionError');
    const d = await device('cisco_ios', { authFail: true });
    const denied = await run({ connection_args: conn(d), command: 'show clock' });
    assert.equal(denied.result.error.type, 'AuthenticationError');
  });

  it('driver_args are validated by operation; unknown driver_args are 400s that name them, unknown connection keys warnings', async () => {
    const d = await device('cisco_ios');
    const r1 = await s.call('POST', '/device/exec', {
      driver: 'netmiko',
      connection_args: conn(d),
      command: 'show clock',
      driver_args: { exit_config_mode: false },
    });
    assert.equal(r1.status, 400);
    assert.deepEqual(r1.body.data[0].loc, ['body', 'driver_args', 'exit_config_mode']);
    const r2 = await s.call('POST', '/device/exec', {
      driver: 'netmiko',
      connection_args: conn(d),
      config: ['hostname X'],
      driver_args: { read_timeout: 5, bogus_knob: 1 },
    });
    assert.equal(r2.status, 400);
    assert.ok(r2.body.data.some((i: any) => i.loc.includes('bogus_knob')));
    const r3 = await s.call('POST', '/device/exec', {
      driver: 'netmiko',
      connection_args: conn(d, { pasword: 'typo' }),
      command: 'show clock',
    });
    assert.equal(r3.status, 201, 'the reference ignores unknown connection_args keys');
    assert.ok(r3.body.warnings.some((i: any) => i.loc.includes('pasword') && /did you mean 'password'/.test(i.msg)));
  });

  describe('/device/test', () => {
    let silent: Server;
    let silentPort = 0;
    const sockets = new Set<import('node:net').Socket>();
    before(async () => {
      // Accepts TCP and never speaks SSH. It reads (and drops) what arrives so it sees the client's close.
      silent = createServer((c) => {
        sockets.add(c);
        c.resume();
        c.on('close', () => sockets.delete(c));
      });
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
      silentPort = (silent.address() as { port: number }).port;
    });
    after(() => {
      for (const c of sockets) c.destroy();
      return new Promise<void>((r) => silent.close(() => r()));
    });

    const test = async (connection_args: Record<string, unknown>) => {
      const r = await s.call('POST', '/device/test', { driver: 'netmiko', connection_args });
      assert.equal(r.status, 200);
      return r.body;
    };

    it('returns driver, host, device_type, prompt and the latency', async () => {
      const d = await device('cisco_nxos');
      const b = await test(conn(d));
      assert.equal(b.message, 'Connection test completed');
      assert.equal(b.data.success, true);
      assert.deepEqual(Object.keys(b.data.result).sort(), ['device_type', 'driver', 'host', 'prompt']);
      assert.match(b.data.result.prompt, /#$/);
      assert.ok(b.data.latency > 0);
    });

    it('authentication failure, timeout, unreachable host: success false with a precise error', async () => {
      const d = await device('cisco_ios');
      const auth = await test(conn(d, { password: 'nope' }));
      assert.equal(auth.data.success, false);
      assert.match(auth.data.error, /Authentication failed/);
      const t0 = Date.now();
      const slow = await test({
        device_type: 'cisco_ios',
        host: '127.0.0.1',
        port: silentPort,
        username: 'a',
        password: 'b',
        timeout: 2,
      });
      assert.equal(slow.data.success, false);
      assert.match(slow.data.error, /tim(ed|e) ?out/i);
      assert.ok(Date.now() - t0 < 10_000);
      const down = await test({ device_type: 'cisco_ios', host: '127.0.0.1', port: 1, username: 'a', password: 'b' });
      assert.equal(down.data.success, false);
      assert.match(down.data.error, /refused|unreachable|connect/i);
    });

    it('an unrecognised prompt is a precise failure', async (t) => {
      if (!(await labAvailable('sshd'))) return t.skip(labSkipMessage('sshd'));
      const b = await test({
        device_type: 'cisco_ios',
        host: LAB.host,
        port: LAB.ssh.port,
        username: LAB.linux.username,
        password: LAB.linux.password,
        timeout: 8,
      });
      assert.equal(b.data.success, false);
      assert.match(b.data.error, /prompt/i);
    });
  });

  describe('real FRR vtysh behind OpenSSH', () => {
    const frr = () => ({
      device_type: 'cisco_ios',
      host: LAB.host,
      port: LAB.ssh.port,
      username: LAB.router.username,
      password: LAB.router.password,
    });

    it('show, config, write memory, and recovery after the server drops the session', async (t) => {
      if (!(await labAvailable('frr'))) return t.skip(labSkipMessage('frr'));
      const show = await run({ connection_args: frr(), command: 'show version' });
      assert.equal(show.status, 'finished', JSON.stringify(show.result));
      assert.match(show.result.retval['show version'], /FRRouting/);
      const cfg = await run({
        connection_args: frr(),
        config: ['interface lo7', 'description np-api-test'],
        save: true,
      });
      assert.equal(cfg.status, 'finished', JSON.stringify(cfg.result));
      assert.match(cfg.result.retval.at(-1), /OK|saved/i);
      const rc = await run({ connection_args: frr(), command: 'show running-config' });
      assert.match(rc.result.retval['show running-config'], /description np-api-test/);
      // Drop every netops session server-side; the pinned session dies and the next job reconnects.
      const { execSync } = await import('node:child_process');
      try {
        execSync("pkill -TERM -f 'sshd: netops'", { stdio: 'ignore' });
      } catch {
        // pkill exits 1 when nothing matched
      }
      await new Promise((r) => setTimeout(r, 300));
      const again = await run({ connection_args: frr(), command: 'show version' });
      assert.equal(again.status, 'finished', JSON.stringify(again.result));
      const undo = await run({ connection_args: frr(), config: ['no interface lo7'], save: true });
      assert.equal(undo.status, 'finished', JSON.stringify(undo.result));
    });
  });
});

describe('netmiko structured output through driver_args', () => {
  it('use_textfsm with textfsm_template returns records; a parse failure keeps the text unless raise_parsing_error', async () => {
    const s = await startTestServer();
    const d = await startDevice({ profile: 'cisco_ios', host: '127.0.1.200', port: 0 });
    try {
      const conn = { device_type: 'cisco_ios', host: d.host, port: d.port, username: d.username, password: d.password };
      const tpl = 'Value VERSION (\\S+)\n\nStart\n  ^.*Version ${VERSION},\n';
      const run = async (driver_args: Record<string, unknown>) => {
        const r = await s.call('POST', '/device/exec', {
          driver: 'netmiko',
          connection_args: conn,
          command: 'show version',
          driver_args,
        });
        return waitJob(s, r.body.data.id, 30_000);
      };
      const parsed = await run({ use_textfsm: true, textfsm_template: tpl });
      assert.deepEqual(Object.keys(parsed.result.retval['show version'][0]), ['VERSION']);
      const kept = await run({ use_textfsm: true, textfsm_template: 'Value X (\\S+\n' });
      assert.equal(typeof kept.result.retval['show version'], 'string');
      const raised = await run({ use_textfsm: true, textfsm_template: 'Value X (\\S+\n', raise_parsing_error: true });
      assert.equal(raised.status, 'failed');
      assert.equal(raised.result.error.type, 'TemplateError');
    } finally {
      await s.stop();
      await d.close();
    }
  });
});
