/**
 * Compatibility suite, capacity and state: shipped defaults; a refusal for capacity is a 503 that
 * says capacity is full, how many slots exist and which setting raises it; host keys live in the
 * server's state directory, a request cannot point its store outside it, and a re-keyed device is
 * refused with a message naming how to forget it — after `DELETE /known-host` it works again.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../core/config/load.ts';
import { startDevice, type SimDevice } from '../fakes/ssh-device/index.ts';
import { PROJECT_ROOT, startTestServer, waitJob, type TestServer } from '../helpers/server.ts';

const echo = (host: string, extra: Record<string, unknown> = {}) => ({
  driver: 'echo',
  connection_args: { host, username: 'u', password: 'p' },
  command: 'show x',
  queue_strategy: 'pinned',
  ...extra,
});

describe('compat: capacity', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ worker: { pinned_per_node: 2 } });
  });
  after(async () => s.stop());

  it("defaults: the reference's shipped scheduler, and thousands of pinned sessions per node", async () => {
    // Schema defaults, and what `npm start` really gets with the repository's netpulse.config.ts.
    for (const opts of [{ skipConfigTs: true }, { cwd: PROJECT_ROOT }]) {
      const { config } = await loadConfig({ env: {}, ...opts });
      assert.equal(config.worker.scheduler, 'load_weighted_random');
      assert.ok(config.worker.pinned_per_node >= 1000, `pinned_per_node ${config.worker.pinned_per_node}`);
    }
  });

  it('a bulk beyond capacity queues what fits and names the reason for the rest; exec beyond it is a 503', async () => {
    const bulk = await s.call('POST', '/device/bulk', {
      ...echo('10.20.0.1'),
      devices: [{ host: '10.20.0.1' }, { host: '10.20.0.2' }, { host: '10.20.0.3' }],
    });
    assert.equal(bulk.status, 201, JSON.stringify(bulk.body));
    assert.equal(bulk.body.data.succeeded.length, 2);
    assert.equal(bulk.body.data.failed.length, 1);
    const reason = bulk.body.data.reasons[bulk.body.data.failed[0]];
    assert.match(
      reason,
      /^No available node to run the job: pinned capacity is full \(2 of 2 pinned sessions in use on 1 live node\); raise worker\.pinned_per_node \(NETPULSE_WORKER__PINNED_PER_NODE\)/,
    );
    const exec = await s.call('POST', '/device/exec', echo('10.20.0.9'));
    assert.equal(exec.status, 503);
    assert.equal(exec.body.code, -1);
    assert.equal(exec.body.message, reason);
    const none = await s.call('POST', '/device/bulk', {
      ...echo('10.20.0.7'),
      devices: [{ host: '10.20.0.7' }, { host: '10.20.0.8' }],
    });
    assert.equal(none.status, 503, 'nothing could be queued: 503 as for exec');
    assert.match(none.body.message, /pinned capacity is full/);
  });
});

describe('compat: state directory and host keys', () => {
  let s: TestServer;
  let d: SimDevice;
  let stateDir: string;
  const conn = (extra: Record<string, unknown> = {}) => ({
    device_type: 'cisco_ios',
    host: d.host,
    port: d.port,
    username: d.username,
    password: d.password,
    ...extra,
  });
  before(async () => {
    s = await startTestServer();
    stateDir = s.np.config.server.state_dir!;
    d = await startDevice({ profile: 'cisco_ios', host: '127.0.4.40', port: 0 });
  });
  after(async () => {
    await s.stop();
    await d.close();
  });

  it('a request may name a known_hosts_file only inside server.state_dir', async () => {
    for (const file of ['/tmp/evil_known_hosts', '../outside', '/etc/passwd']) {
      const r = await s.call('POST', '/device/exec', {
        driver: 'netmiko',
        connection_args: conn({ known_hosts_file: file }),
        command: 'show clock',
      });
      assert.equal(r.status, 400, file);
      assert.deepEqual(r.body.data[0].loc, ['body', 'connection_args', 'known_hosts_file']);
      assert.match(r.body.data[0].msg, /inside the state directory/);
    }
    const inside = await s.call('POST', '/device/exec', {
      driver: 'netmiko',
      connection_args: conn({ known_hosts_file: 'lab_known_hosts' }),
      command: 'show clock',
    });
    assert.equal(inside.status, 201, JSON.stringify(inside.body));
    assert.equal((await waitJob(s, inside.body.data.id, 30_000)).status, 'finished');
    assert.ok(existsSync(join(stateDir, 'lab_known_hosts')));
  });

  it("napalm's optional_args.known_hosts_file (passed on to the SSH session) is held to the same rule", async () => {
    const r = await s.call('POST', '/device/exec', {
      driver: 'napalm',
      connection_args: {
        device_type: 'ios',
        hostname: d.host,
        username: d.username,
        password: d.password,
        optional_args: { port: d.port, known_hosts_file: '/tmp/evil_known_hosts' },
      },
      command: ['get_facts'],
    });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.deepEqual(r.body.data[0].loc, ['body', 'connection_args', 'optional_args', 'known_hosts_file']);
    assert.match(r.body.data[0].msg, /inside the state directory/);
  });

  it('a re-keyed device is refused naming how to forget it; DELETE /known-host lets it in again', async () => {
    const run = async () => {
      const r = await s.call('POST', '/device/exec', {
        driver: 'netmiko',
        connection_args: conn(),
        command: 'show clock',
        queue_strategy: 'fifo',
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return waitJob(s, r.body.data.id, 30_000);
    };
    assert.equal((await run()).status, 'finished');
    const file = join(stateDir, 'known_hosts');
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`[${d.host}]:${d.port} `))!;
    assert.ok(line, 'the host key was recorded in the state directory');
    // The device now shows another key than the recorded one (as after a re-key).
    writeFileSync(
      file,
      line.replace(/ \S+$/, ' AAAAC3NzaC1lZDI1NTE5AAAAIOfakefakefakefakefakefakefakefakefakefakefake') + '\n',
    );
    const refused = await run();
    assert.equal(refused.status, 'failed');
    assert.match(
      refused.result.error.message,
      new RegExp(`has CHANGED.*netpulse known-hosts forget ${d.host.replace(/\./g, '\\.')} --port ${d.port}`),
    );
    const del = await s.call('DELETE', `/known-host?host=${d.host}&port=${d.port}`);
    assert.equal(del.status, 200, JSON.stringify(del.body));
    assert.equal(del.body.data.removed.known_hosts, 1);
    assert.equal((await run()).status, 'finished');
    assert.equal((await s.call('DELETE', '/known-host')).status, 400, 'host is required');
  });
});
