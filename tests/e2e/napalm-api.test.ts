/**
 * The napalm driver through the whole HTTP API path (accept → pinned queue → worker → napalm over
 * the netmiko / pyeapi sessions → result) against the SSH and eAPI simulators, with request
 * bodies written the way the reference server's napalm clients write them.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEapiDevice, type EapiDeviceHandle } from '../fakes/eapi-device/index.ts';
import { startDevice, type SimDevice } from '../fakes/ssh-device/index.ts';
import { napalmDiff } from '../helpers/napalm-corpus.ts';
import { PROJECT_ROOT, startTestServer, waitJob, type TestServer } from '../helpers/server.ts';

/**
 * The server's state directory (server.state_dir) of this run only: simulators get fresh host keys on
 * ports earlier runs may have used. Stores a request names lie inside it, as they must.
 */
const STATE = mkdtempSync(join(tmpdir(), 'np-napalm-e2e-'));
const KNOWN_HOSTS = 'known_hosts';
/** Recorded outputs of the nxos and junos getters (one case folder per getter). */
const FIXTURES = join(PROJECT_ROOT, 'tests/fixtures/napalm');

describe('napalm through the HTTP API', () => {
  let s: TestServer;
  let ios: SimDevice;
  let eos: EapiDeviceHandle;
  /** The reference's napalm connection_args: `hostname`, optional_args for port and enable secret. */
  const iosConn = (extra: Record<string, unknown> = {}) => ({
    device_type: 'cisco_ios',
    hostname: ios.host,
    username: ios.username,
    password: ios.password,
    timeout: 30,
    optional_args: { port: ios.port, secret: ios.secret, known_hosts_file: KNOWN_HOSTS },
    ...extra,
  });
  const eosConn = () => ({
    device_type: 'arista_eos',
    hostname: eos.host,
    username: eos.username,
    password: eos.password,
    optional_args: { port: eos.port, transport: 'http' },
  });
  const exec = (body: Record<string, unknown>) => s.call('POST', '/device/exec', { driver: 'napalm', ...body });
  const run = async (body: Record<string, unknown>) => {
    const r = await exec(body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return { accepted: r.body.data, job: await waitJob(s, r.body.data.id, 30_000) };
  };

  before(async () => {
    s = await startTestServer({ server: { state_dir: STATE }, worker: { idle_timeout: 60 } });
    ios = await startDevice({ profile: 'cisco_ios', host: '127.0.24.1', hostname: 'edge1' });
    eos = await startEapiDevice({ host: '127.0.24.2', hostname: 'leaf7' });
  });
  after(async () => {
    await s.stop();
    await ios.close();
    await eos.close();
    rmSync(STATE, { recursive: true, force: true });
  });

  it('IOS getters run on the pinned queue over one reused SSH session and return {getter: result}', async () => {
    const first = await run({ connection_args: iosConn(), command: ['get_facts', 'get_interfaces'] });
    assert.equal(first.accepted.queue, `HostQ_${ios.host}`, 'napalm defaults to the pinned queue');
    assert.equal(first.job.status, 'finished', JSON.stringify(first.job.result));
    const facts = first.job.result.retval.get_facts;
    assert.equal(facts.hostname, 'edge1');
    assert.equal(facts.vendor, 'Cisco');
    assert.ok(Array.isArray(facts.interface_list) && facts.interface_list.includes('GigabitEthernet0/0'));
    assert.equal(typeof facts.uptime, 'number');
    const gi0 = first.job.result.retval.get_interfaces['GigabitEthernet0/0'];
    assert.match(gi0.mac_address, /^([0-9A-F]{2}:){5}[0-9A-F]{2}$/);
    assert.equal(gi0.speed, 1000);
    const second = await run({
      connection_args: iosConn(),
      command: ['get_config'],
      driver_args: { get_config: { retrieve: 'running' } },
    });
    assert.equal(second.job.status, 'finished', JSON.stringify(second.job.result));
    const cfg = second.job.result.retval.get_config;
    assert.equal(cfg.startup, '');
    assert.equal(cfg.candidate, '');
    assert.match(cfg.running, /^hostname edge1$/m);
    assert.doesNotMatch(cfg.running, /^Building configuration/m, 'IOS header lines are removed');
    assert.equal(ios.sessions, 1, 'the pinned SSH session is reused between jobs');
    assert.equal(first.job.worker, second.job.worker);
  });

  it('get_config sanitized replaces the secrets by <removed>', async () => {
    const { job } = await run({
      connection_args: iosConn(),
      command: ['get_config'],
      driver_args: { get_config: { retrieve: 'running', sanitized: true } },
    });
    assert.equal(job.status, 'finished', JSON.stringify(job.result));
    const running = job.result.retval.get_config.running as string;
    assert.match(running, /^enable secret 9 <removed>$/m);
    assert.doesNotMatch(running, /\$9\$npsimulated/);
  });

  it('a name outside the getter allow-list is never called: it is a plain CLI command (NAPALM cli())', async () => {
    const { job } = await run({
      connection_args: iosConn(),
      command: ['show clock', '__init__'],
      driver_args: { encoding: 'text' },
    });
    assert.equal(job.status, 'finished', JSON.stringify(job.result));
    assert.match(job.result.retval['show clock'], /UTC/);
    assert.match(job.result.retval.__init__, /% Invalid input/, 'sent to the device, which rejects it');
  });

  it('EOS getters over eAPI (http) with the reference connection_args', async () => {
    const { job } = await run({
      connection_args: eosConn(),
      command: ['get_facts', 'get_lldp_neighbors', 'show version'],
      driver_args: { encoding: 'json' },
    });
    assert.equal(job.status, 'finished', JSON.stringify(job.result));
    const r = job.result.retval;
    assert.equal(r.get_facts.hostname, 'leaf7');
    assert.equal(r.get_facts.vendor, 'Arista');
    assert.equal(r.get_facts.model, 'vEOS-lab');
    assert.deepEqual(r.get_lldp_neighbors.Ethernet1, [{ hostname: 'spine1', port: 'Ethernet1' }]);
    assert.equal(r['show version'].modelName, 'vEOS-lab', 'cli() with encoding json returns the parsed answer');
  });

  it('/device/test opens the device and reports facts-level identity', async () => {
    const r = await s.call('POST', '/device/test', { driver: 'napalm', connection_args: iosConn() });
    assert.equal(r.status, 200);
    assert.equal(r.body.data.success, true, JSON.stringify(r.body));
    assert.deepEqual(
      { hostname: r.body.data.result.hostname, vendor: r.body.data.result.vendor, model: r.body.data.result.model },
      { hostname: 'edge1', vendor: 'Cisco', model: 'IOSv' },
    );
    assert.match(r.body.data.result.os_version, /Version 15/);
    const e = await s.call('POST', '/device/test', { driver: 'napalm', connection_args: eosConn() });
    assert.equal(e.body.data.result.hostname, 'leaf7');
    assert.equal(e.body.data.result.os_version, '4.30.1F-32315456.4301F');
    const bad = await s.call('POST', '/device/test', {
      driver: 'napalm',
      connection_args: iosConn({ password: 'wrong-pw' }),
    });
    assert.equal(bad.body.data.success, false);
    assert.ok(!JSON.stringify(bad.body).includes('wrong-pw'), 'the password is not echoed');
  });

  it('reference request bodies are accepted unchanged; unknown driver_args stay 400s naming the key', async () => {
    // Cli {encoding} for command, CommitConfig {message, revert_in} for config. The config jobs
    // go to an address where nothing listens: only their acceptance is checked here.
    const nowhere = { ...iosConn(), hostname: '127.0.24.9', optional_args: { port: 1 }, timeout: 2 };
    assert.equal(
      (await exec({ connection_args: iosConn(), command: ['show clock'], driver_args: { encoding: 'text' } })).status,
      201,
    );
    assert.equal(
      (await exec({ connection_args: nowhere, config: ['hostname x'], driver_args: { message: 'm', revert_in: 60 } }))
        .status,
      201,
    );
    assert.equal((await exec({ connection_args: nowhere, config: ['hostname x'], dry_run: true })).status, 201);
    assert.equal((await exec({ connection_args: nowhere, config: ['hostname x'] })).status, 201, 'driver_args absent');
    const bad = await exec({ connection_args: iosConn(), command: ['get_facts'], driver_args: { read_timeout: 60 } });
    assert.equal(bad.status, 400);
    assert.deepEqual(
      bad.body.data.map((i: { loc: string[] }) => i.loc.join('.')),
      ['body.driver_args.read_timeout'],
    );
    const badArg = await exec({
      connection_args: iosConn(),
      command: ['get_arp_table'],
      driver_args: { get_arp_table: { vrf: 'A', bogus: 1 } },
    });
    assert.equal(badArg.status, 400);
    assert.match(JSON.stringify(badArg.body.data), /get_arp_table.*bogus|bogus/);
    const badType = await exec({ connection_args: { ...iosConn(), device_type: 'huawei' }, command: ['get_facts'] });
    assert.equal(badType.status, 400);
    assert.ok(!JSON.stringify(badType.body).includes(ios.password), 'no secret in the error body');
  });

  it('Junos getters over SSH (juniper_junos, mapped to junos)', async () => {
    const junos = await startDevice({ profile: 'juniper_junos', host: '127.0.24.3', hostname: 'r41' });
    try {
      const conn = {
        device_type: 'juniper_junos',
        hostname: junos.host,
        username: junos.username,
        password: junos.password,
        optional_args: { port: junos.port, known_hosts_file: KNOWN_HOSTS },
      };
      const { job } = await run({ connection_args: conn, command: ['get_facts', 'get_arp_table'] });
      assert.equal(job.status, 'finished', JSON.stringify(job.result));
      const facts = job.result.retval.get_facts;
      assert.deepEqual([facts.vendor, facts.hostname, facts.model], ['Juniper', 'r41', 'vmx']);
      assert.ok(
        facts.interface_list.includes('ge-0/0/0') && !facts.interface_list.some((i: string) => i.includes('.')),
        'physical interfaces only',
      );
      assert.ok(
        job.result.retval.get_arp_table.every(
          (e: { interface: string; mac: string }) => /^ge-/.test(e.interface) && /^([0-9A-F]{2}:){5}/.test(e.mac),
        ),
      );
      const t = await s.call('POST', '/device/test', { driver: 'napalm', connection_args: conn });
      assert.equal(t.body.data.result.vendor, 'Juniper');
    } finally {
      await junos.close();
    }
  });

  it('netmiko arguments in optional_args reach the SSH session (as NAPALM passes them to netmiko)', async () => {
    // A known host with another key: host_key_policy reject must refuse it, proving both keys arrived.
    const strictStore = 'strict_known_hosts';
    const blob = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    writeFileSync(join(STATE, strictStore), `[${ios.host}]:${ios.port} ssh-ed25519 ${blob}\n`);
    const known = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '');
    const r = await s.call('POST', '/device/test', {
      driver: 'napalm',
      connection_args: iosConn({
        optional_args: { port: ios.port, known_hosts_file: strictStore, host_key_policy: 'reject' },
      }),
    });
    assert.equal(r.body.data.success, false);
    assert.ok(r.body.data.error.includes(known), `refused against the given store: ${r.body.data.error}`);
  });

  it('a getter argument reaches the getter (get_arp_table with vrf)', async () => {
    const { job } = await run({
      connection_args: iosConn(),
      command: ['get_arp_table'],
      driver_args: { get_arp_table: { vrf: 'TEST' } },
    });
    // The simulator has no VRF TEST: IOS answers with an error line, which NAPALM's parser rejects.
    const cmds = ios.commandLog.filter((c) => c.startsWith('show arp'));
    assert.ok(cmds.includes('show arp vrf TEST | exclude Incomplete'), JSON.stringify(cmds));
    assert.ok(['finished', 'failed'].includes(job.status));
  });
  /**
   * Replay devices on the NX-OS, Junos and IOS-XR simulator profiles serve the recorded outputs of the
   * getters' test cases (login, prompts and paging from the profile): each getter's result through
   * the API must equal the case's expected result.
   */
  for (const [platform, profile, deviceType, host, getters] of [
    [
      'nxos',
      'cisco_nxos',
      'cisco_nxos',
      '127.0.24.4',
      ['get_interfaces_counters', 'get_environment', 'get_snmp_information', 'get_users'],
    ],
    [
      'junos',
      'juniper_junos',
      'juniper_junos',
      '127.0.24.5',
      [
        'get_interfaces_counters',
        'get_lldp_neighbors_detail',
        'get_mac_address_table',
        'get_bgp_neighbors',
        'get_environment',
        'get_snmp_information',
      ],
    ],
    ['iosxr', 'cisco_xr', 'cisco_xr', '127.0.24.6', ['get_users', 'get_ntp_servers', 'get_snmp_information']],
  ] as const) {
    it(`${platform} getters through the API on a replaying ${profile} simulator`, async () => {
      const dirs = getters.map((g) => join(FIXTURES, platform, g, 'normal'));
      const dev = await startDevice({ profile, host, hostname: `${platform}-replay`, replay: dirs });
      try {
        const conn = {
          device_type: deviceType,
          hostname: dev.host,
          username: dev.username,
          password: dev.password,
          optional_args: { port: dev.port, known_hosts_file: KNOWN_HOSTS },
        };
        const { job } = await run({ connection_args: conn, command: [...getters] });
        assert.equal(job.status, 'finished', JSON.stringify(job.result));
        for (const [i, getter] of getters.entries()) {
          const expected = JSON.parse(readFileSync(join(dirs[i], 'expected_result.json'), 'utf8'));
          assert.equal(napalmDiff(job.result.retval[getter], expected), null, getter);
        }
      } finally {
        await dev.close();
      }
    });
  }

  it('an interface name that is not a name is refused before queueing (it would reach the CLI)', async () => {
    const r = await exec({
      connection_args: iosConn(),
      command: ['get_lldp_neighbors_detail'],
      driver_args: { get_lldp_neighbors_detail: { interface: 'Gi0/1 | include x' } },
    });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.code, -1);
  });
});
