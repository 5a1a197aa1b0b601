/**
 * Fault injection, each seen from a real ssh2 client: slow output, a command
 * that never returns, a connection dropped mid-output, rejected passwords,
 * the VTY limit, and fixed command latency.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Shell, connectClient, trackedSimulators } from './shell-client.ts';
import type { SimDevice, SimDeviceOptions } from '../../../fakes/ssh-device/index.ts';

const { device, shell } = trackedSimulators();

async function nxosShell(opts: Omit<SimDeviceOptions, 'profile'>): Promise<{ dev: SimDevice; sh: Shell }> {
  const dev = await device({ profile: 'cisco_nxos', ...opts });
  const sh = await shell(dev);
  await sh.expect(/N9K1# $/, 10_000);
  return { dev, sh };
}

describe('faults', () => {
  it('slow: output arrives in chunkSize pieces, delayMs apart', async () => {
    const { sh } = await nxosShell({ faults: { slow: { delayMs: 10, chunkSize: 64 } } });
    await sh.run('terminal length 0', /N9K1# $/, 5000);
    const started = Date.now();
    const out = await sh.run('show version', /N9K1# $/, 10_000);
    const elapsed = Date.now() - started;
    const chunks = Math.floor(out.length / 64);
    assert.ok(
      elapsed >= (chunks - 2) * 10,
      `expected >= ${(chunks - 2) * 10} ms for ${out.length} chars, took ${elapsed}`,
    );
    assert.match(out, /Cisco Nexus Operating System/);
  });

  it('hangOn: the command is echoed but no output or prompt ever follows', async () => {
    const { dev, sh } = await nxosShell({ faults: { hangOn: 'show clock' } });
    sh.line('show clock');
    await assert.rejects(sh.expect(/N9K1# $/, 400), /timed out/);
    assert.match(sh.transcript, /show clock\r\n$/);
    assert.ok(dev.commandLog.includes('show clock'));
  });

  it('disconnectOn: part of the output, then the connection is gone', async () => {
    const { sh } = await nxosShell({ faults: { disconnectOn: /^show interface/ } });
    await sh.run('terminal length 0', /N9K1# $/);
    sh.line('show interface');
    await assert.rejects(sh.expect(/N9K1# $/, 3000), /connection closed/);
    assert.match(sh.transcript, /Ethernet1\/1 is up/);
    assert.doesNotMatch(sh.transcript, /Ethernet1\/4 is up/);
  });

  it('authFail: every password is rejected', async () => {
    const dev = await device({ profile: 'cisco_ios', faults: { authFail: true } });
    await assert.rejects(connectClient(dev), /authentication methods failed/i);
    await assert.rejects(connectClient(dev, { keyboardInteractive: true }), /authentication methods failed/i);
  });

  it('wrong password is rejected without faults', async () => {
    const dev = await device({ profile: 'cisco_ios' });
    await assert.rejects(connectClient(dev, { password: 'wrong' }), /authentication methods failed/i);
  });

  it('maxSessions: the extra connection is closed right after auth', async () => {
    const { dev } = await nxosShell({ faults: { maxSessions: 1 } });
    assert.equal(dev.sessions, 1);
    const closedSoon = new Promise<string>((resolve, reject) => {
      connectClient(dev).then(
        (client) => {
          const timer = setTimeout(() => reject(new Error('second session stayed open')), 3000);
          client.on('close', () => {
            clearTimeout(timer);
            resolve('closed after auth');
          });
        },
        () => resolve('refused'),
      );
    });
    assert.match(await closedSoon, /closed after auth|refused/);
    assert.equal(dev.sessions, 1);
  });

  it('commandLatencyMs: every answer waits the configured time', async () => {
    const { sh } = await nxosShell({ faults: { commandLatencyMs: 150 } });
    const started = Date.now();
    await sh.run('show clock', /N9K1# $/);
    await sh.run('show hostname', /N9K1# $/);
    assert.ok(Date.now() - started >= 300, `two commands took ${Date.now() - started} ms`);
  });
});
