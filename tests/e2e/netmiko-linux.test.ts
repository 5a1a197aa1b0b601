/**
 * netmiko driver, device_type linux, against the lab's bash over OpenSSH (linux/linux on
 * 127.0.0.1:2222): commands, bracketed-paste stripping, enable = `sudo -s` with the secret.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { labAvailable } from '../helpers/lab.ts';
import { after, describe, it } from 'node:test';
import type { Logger } from '../../core/contracts/common.ts';
import type { DriverContext, DriverRequest } from '../../core/contracts/driver.ts';
import { NetPulseError } from '../../core/errors.ts';
import { NetmikoDriver } from '../../plugins/drivers/netmiko/driver.ts';
import { setStateDir } from '../../core/state/dir.ts';

const SKIP = 'FRR lab not running: sudo bash scripts/lab/start.sh';
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'np-netmiko-linux-'));
// Host keys go to this test's own state directory (stores must lie inside it).
setStateDir(tmp);
const ARGS = {
  device_type: 'linux',
  host: '127.0.0.1',
  port: 2222,
  username: 'linux',
  password: 'linux',
  secret: 'linux',
  known_hosts_file: path.join(tmp, 'known_hosts'),
};
const driver = new NetmikoDriver(silent);
const ctx = (ms = 30_000): DriverContext => ({ log: silent, signal: AbortSignal.timeout(ms) });
const req = (options: Record<string, unknown> = {}, driver_args: Record<string, unknown> = {}): DriverRequest => ({
  connection_args: ARGS,
  driver_args,
  operation: 'command',
  options,
});

describe('netmiko e2e: linux (bash over OpenSSH)', async () => {
  const up = await labAvailable('sshd');
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('runs uname -a; prompt has no bracketed-paste escapes', async (t) => {
    if (!up) return t.skip(SKIP);
    const s = await driver.connect(ARGS, ctx());
    try {
      assert.match(s.prompt, /^linux@[\w.-]+:~\$$/);
      assert.doesNotMatch(s.prompt, /\x1b/);
      const out = (await s.send(['uname -a', 'echo "a#b$"'], req(), ctx())) as Record<string, string>;
      assert.match(out['uname -a']!, /^Linux \S+ /);
      assert.doesNotMatch(out['uname -a']!, /\x1b|\$ ?$/);
      assert.equal(out['echo "a#b$"'], 'a#b$');
      const info = await driver.test(ARGS, ctx());
      assert.equal(info.device_type, 'linux');
      assert.match(String(info.prompt), /^linux@.+\$$/);
    } finally {
      await s.close();
    }
  });

  it('enable_mode runs the commands as root via sudo -s and returns to the user shell', async (t) => {
    if (!up) return t.skip(SKIP);
    const s = await driver.connect(ARGS, ctx());
    try {
      const out = (await s.send(['id -u', 'whoami'], req({ enable_mode: true }), ctx())) as Record<string, string>;
      assert.deepEqual(out, { 'id -u': '0', whoami: 'root' });
      assert.equal(s.connection.mode, 'exec');
      const again = (await s.send(['whoami'], req(), ctx())) as Record<string, string>;
      assert.equal(again.whoami, 'linux');
    } finally {
      await s.close();
    }
  });

  it('a wrong secret → DEVICE_AUTH "enable failed", the session stays usable, the secret is not echoed', async (t) => {
    if (!up) return t.skip(SKIP);
    const s = await driver.connect({ ...ARGS, secret: 'not-the-password' }, ctx());
    try {
      await assert.rejects(s.send(['id'], req({ enable_mode: true }), ctx()), (e: unknown) => {
        assert.ok(e instanceof NetPulseError);
        assert.equal(e.code, 'NP_ERR_DEVICE_AUTH');
        assert.match(e.message, /enable failed/);
        assert.doesNotMatch(e.message, /not-the-password/);
        return true;
      });
      assert.equal(await s.probe(ctx()), true);
      const out = (await s.send(['whoami'], req(), ctx())) as Record<string, string>;
      assert.equal(out.whoami, 'linux');
    } finally {
      await s.close();
    }
  });

  it('config runs lines in a root shell and leaves it', async (t) => {
    if (!up) return t.skip(SKIP);
    const s = await driver.connect(ARGS, ctx());
    try {
      const res = await s.config(['whoami', 'true'], { ...req(), operation: 'config' }, ctx());
      assert.equal(res.length, 1);
      assert.match(res[0]!, /\nroot\n/);
      assert.equal(s.connection.mode, 'exec');
      await assert.rejects(
        s.config(
          ['cat /etc/shadow-does-not-exist-np 2>&1 | sed s/No.such.file.or.directory/Permission\\ denied/'],
          { ...req(), operation: 'config' },
          ctx(),
        ),
        (e: unknown) =>
          e instanceof NetPulseError && e.code === 'NP_ERR_DEVICE_COMMAND' && /Permission denied/.test(e.message),
      );
      assert.equal(s.connection.mode, 'exec');
    } finally {
      await s.close();
    }
  });
});
