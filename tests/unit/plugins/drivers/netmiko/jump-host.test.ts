/**
 * Jump host: an in-process ssh2 server that only forwards direct-tcpip channels, in front of a
 * simulator device (or the FRR lab when the simulator is absent).
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import ssh2 from 'ssh2';
import type { Logger } from '../../../../../core/contracts/common.ts';
import { NetPulseError } from '../../../../../core/errors.ts';
import { NetmikoDriver } from '../../../../../plugins/drivers/netmiko/driver.ts';
import { forwardToLoopback } from '../../../../helpers/ssh-forward.ts';
import { setStateDir } from '../../../../../core/state/dir.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const SIM = new URL('../../../../fakes/ssh-device/index.ts', import.meta.url);

function startJumpHost(): Promise<{ port: number; close(): Promise<void> }> {
  // ssh2 reads PKCS#1 RSA PEM (it does not parse PKCS#8).
  const hostKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs1', format: 'pem' })
    .toString();
  const sockets = new Set<net.Socket>();
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    client.on('authentication', (ctx) =>
      ctx.method === 'password' && ctx.username === 'jump' && ctx.password === 'hop'
        ? ctx.accept()
        : ctx.reject(['password']),
    );
    client.on('error', () => undefined);
    client.on('ready', () => {
      forwardToLoopback(client, sockets);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        port,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

describe('netmiko transport: jump host (proxy_*)', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'np-netmiko-jump-'));
  // Host keys go to this test's own state directory (stores must lie inside it).
  setStateDir(tmp);
  const jump = await startJumpHost();
  const sim = existsSync(SIM) ? await import(SIM.href) : null;
  const dev = sim ? await sim.startDevice({ profile: 'cisco_ios' }) : null;
  after(async () => {
    await dev?.close();
    await jump.close();
    rmSync(tmp, { recursive: true, force: true });
  });
  const driver = new NetmikoDriver(silent);
  const ctx = () => ({ log: silent, signal: AbortSignal.timeout(20_000) });
  const target = dev
    ? {
        device_type: 'cisco_ios',
        host: dev.host,
        port: dev.port,
        username: dev.username,
        password: dev.password,
        secret: dev.secret,
      }
    : { device_type: 'cisco_ios', host: '127.0.0.1', port: 2222, username: 'netops', password: 'netops' };

  it('reaches the device through the jump host and runs a command', async () => {
    const args = {
      ...target,
      known_hosts_file: path.join(tmp, 'kh'),
      proxy_host: '127.0.0.1',
      proxy_port: jump.port,
      proxy_username: 'jump',
      proxy_password: 'hop',
    };
    const s = await driver.connect(args, ctx());
    try {
      assert.equal(s.connection.localPort, null, 'no direct TCP socket to the device');
      const out = (await s.send(
        ['show version'],
        { connection_args: args, driver_args: {}, operation: 'command', options: {} },
        ctx(),
      )) as Record<string, string>;
      assert.match(out['show version']!, /Cisco IOS|FRRouting/);
    } finally {
      await s.close();
    }
  });

  it('a wrong jump host password is DEVICE_AUTH naming the jump host', async () => {
    const args = {
      ...target,
      known_hosts_file: path.join(tmp, 'kh'),
      proxy_host: '127.0.0.1',
      proxy_port: jump.port,
      proxy_username: 'jump',
      proxy_password: 'nope',
    };
    await assert.rejects(driver.connect(args, ctx()), (e: unknown) => {
      assert.ok(e instanceof NetPulseError);
      assert.equal(e.code, 'NP_ERR_DEVICE_AUTH');
      assert.match(e.message, /^Jump host 127\.0\.0\.1:\d+: Authentication failed for jump@127\.0\.0\.1/);
      return true;
    });
  });
});
