/**
 * Runs the driver conformance suite over every built-in driver, as registered in a real NetPulse
 * (the plugin implementation the server uses), each against its device: the SSH simulator for
 * netmiko, the eAPI simulator for pyeapi, the lab's OpenSSH for paramiko, and both simulators for
 * napalm (IOS over the netmiko session, EOS over the pyeapi session). Then a sample through the
 * HTTP API: a request needing a capability the driver does not declare is a coded 501.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Driver, GETTER_NAMES } from '../../core/contracts/driver.ts';
import { startEapiDevice } from '../fakes/eapi-device/index.ts';
import { startDevice } from '../fakes/ssh-device/index.ts';
import { envelope } from '../helpers/errors.ts';
import { LAB, labAvailable, labSkipMessage } from '../helpers/lab.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { runDriverConformance } from './driver.ts';

let server: Promise<TestServer> | null = null;
const registered = async (name: string): Promise<Driver> => {
  server ??= startTestServer();
  return (await server).np.registry.get('driver', name);
};
after(async () => {
  if (server) await (await server).stop();
});

runDriverConformance('netmiko', {
  driver: () => registered('netmiko'),
  async device() {
    const dev = await startDevice({ profile: 'cisco_ios', host: '127.0.6.10' });
    return {
      connectionArgs: {
        device_type: 'cisco_ios',
        host: dev.host,
        port: dev.port,
        username: dev.username,
        password: dev.password,
        secret: dev.secret,
        known_hosts_file: 'known_hosts_conformance', // inside server.state_dir
      },
      command: 'show version',
      expect: /Cisco IOS/,
      config: ['interface Loopback9', 'description np-conformance'],
      configOptions: { enable_mode: true },
      close: () => dev.close(),
    };
  },
});

runDriverConformance('pyeapi', {
  driver: () => registered('pyeapi'),
  async device() {
    const dev = await startEapiDevice({ host: '127.0.6.11', username: 'netops', password: 'np-pw', hostname: 'leaf1' });
    return {
      connectionArgs: {
        device_type: 'arista_eos',
        host: dev.host,
        port: dev.port,
        transport: 'http',
        username: 'netops',
        password: 'np-pw',
        timeout: 10,
      },
      command: 'show version',
      expect: /vEOS/,
      config: ['interface Loopback9', 'description np-conformance'],
      close: () => dev.close(),
    };
  },
});

runDriverConformance('napalm (ios over netmiko)', {
  driver: () => registered('napalm'),
  async device() {
    const dev = await startDevice({ profile: 'cisco_ios', host: '127.0.6.12', hostname: 'np-edge' });
    return {
      // `port` at the top level (not in optional_args, which would win) so the suite can redirect it.
      connectionArgs: {
        device_type: 'cisco_ios',
        host: dev.host,
        port: dev.port,
        username: dev.username,
        password: dev.password,
        optional_args: { secret: dev.secret, known_hosts_file: 'known_hosts_conformance_napalm' },
      },
      command: 'get_facts',
      expect: /"vendor":"Cisco".*"hostname":"np-edge"/,
      config: ['interface Loopback9', ' description np-conformance'],
      close: () => dev.close(),
    };
  },
});

runDriverConformance('napalm (eos over pyeapi)', {
  driver: () => registered('napalm'),
  async device() {
    const dev = await startEapiDevice({ host: '127.0.6.13', username: 'netops', password: 'np-pw', hostname: 'leaf2' });
    return {
      connectionArgs: {
        device_type: 'arista_eos',
        host: dev.host,
        port: dev.port,
        username: 'netops',
        password: 'np-pw',
        timeout: 10,
        optional_args: { transport: 'http' },
      },
      command: 'get_facts',
      expect: /"hostname":"leaf2".*"vendor":"Arista"/,
      config: ['interface Loopback9', '   description np-conformance'],
      close: () => dev.close(),
    };
  },
});

runDriverConformance('paramiko', {
  driver: () => registered('paramiko'),
  async device() {
    if (!(await labAvailable('sshd'))) return labSkipMessage('sshd');
    return {
      connectionArgs: {
        host: LAB.host,
        port: LAB.ssh.port,
        username: LAB.linux.username,
        password: LAB.linux.password,
        known_hosts_file: 'known_hosts_conformance_paramiko',
        look_for_keys: false,
      },
      command: 'uname -s',
      expect: /Linux/,
      config: ['true'],
      close: async () => undefined,
    };
  },
});

describe('driver contract v2 through the HTTP API', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());
  const conn = { device_type: 'cisco_ios', host: '192.0.2.10', username: 'admin', password: 'admin' };

  it('file_transfer on a driver without the fileTransfer capability → 501 NP_ERR_NOT_IMPLEMENTED', async () => {
    const r = await s.call('POST', '/device/exec', {
      driver: 'netmiko',
      connection_args: conn,
      command: 'x',
      driver_args: { file_transfer: { operation: 'upload', local_path: 'a', remote_path: 'b' } },
    });
    envelope(r, 501, 'Driver netmiko does not support file transfer (capability fileTransfer)');
  });

  it('a getters-only command list on a driver without getters → 501', async () => {
    const r = await s.call('POST', '/device/exec', {
      driver: 'pyeapi',
      connection_args: { host: '192.0.2.11', username: 'a', password: 'b' },
      command: ['get_facts'],
    });
    envelope(r, 501, 'Driver pyeapi does not support getters (capability getters)');
  });

  it('dry_run config on a driver without transactions → 501', async () => {
    const r = await s.call('POST', '/device/exec', {
      driver: 'netmiko',
      connection_args: conn,
      config: ['hostname x'],
      dry_run: true,
    });
    envelope(r, 501, 'Driver netmiko does not support configuration transactions (capability transactions)');
  });

  it('napalm config on a platform without transactions (nxos) → 501 before anything is queued', async () => {
    const r = await s.call('POST', '/device/exec', {
      driver: 'napalm',
      connection_args: { device_type: 'nxos', hostname: '192.0.2.12', username: 'a', password: 'b' },
      config: ['hostname x'],
    });
    envelope(r, 501, /napalm configuration transactions are not available for platform 'nxos'/);
  });

  it('napalm declares its getters within the contract allow-list, transactions, and no file transfer', () => {
    const napalm = s.np.registry.get('driver', 'napalm');
    const getters = napalm.capabilities?.getters ?? [];
    for (const g of ['get_facts', 'get_interfaces', 'get_config', 'get_bgp_neighbors', 'is_alive']) {
      assert.ok(getters.includes(g), g);
    }
    for (const g of getters) assert.ok(GETTER_NAMES.includes(g), `${g} is not in GETTER_NAMES`);
    assert.equal(napalm.capabilities?.transactions, true);
    assert.equal(napalm.capabilities?.fileTransfer, false);
    assert.equal(napalm.parserPlatform?.('ios'), 'cisco_ios');
    assert.equal(napalm.parserPlatform?.('juniper'), 'juniper_junos');
  });

  it('parserPlatform maps netmiko aliases for the ntc-templates lookup (juniper → juniper_junos)', async () => {
    const netmiko = s.np.registry.get('driver', 'netmiko');
    assert.equal(netmiko.parserPlatform?.('juniper'), 'juniper_junos');
    assert.equal(netmiko.parserPlatform?.('cisco_ios'), 'cisco_ios');
  });
});
