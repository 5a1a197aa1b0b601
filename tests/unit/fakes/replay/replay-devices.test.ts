/**
 * Replay devices: recorded outputs named by NAPALM's mocked-data rule answer commands on the SSH
 * and eAPI simulators (directories in order, first match wins); unknown show commands get the
 * platform's invalid-input error; login, enable and paging stay the profile's. Also the lab
 * launcher's `--replay` flag.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetmikoDriver } from '../../../../plugins/drivers/netmiko/index.ts';
import { startEapiDevice } from '../../../fakes/eapi-device/index.ts';
import { replayFileName } from '../../../fakes/replay.ts';
import { startDevice } from '../../../fakes/ssh-device/index.ts';
import { PROJECT_ROOT } from '../../../helpers/server.ts';

const silent = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silent;
  },
} as never;
const ctx = () => ({ log: silent, signal: AbortSignal.timeout(20_000) });

const dirs: string[] = [];
function recordings(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'np-replay-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('replay devices', () => {
  it('file names follow NAPALM: every non-alphanumeric character is one _, cut to 150', () => {
    assert.equal(replayFileName('show arp | exclude Incomplete'), 'show_arp___exclude_Incomplete');
    assert.equal(replayFileName('show lldp neighbors  detail'), 'show_lldp_neighbors__detail');
    assert.equal(replayFileName('show mac-address-table'), replayFileName('show mac address-table'));
    assert.equal(replayFileName('x'.repeat(200)).length, 150);
  });

  it('SSH: recordings answer in directory order, paging handled; unknown show commands are invalid input', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `line ${i}`).join('\n');
    const first = recordings({ 'show_version.txt': 'FIRST VERSION\n', 'show_tech.txt': long });
    const second = recordings({
      'show_version.txt': 'SECOND VERSION\n',
      'show_clock.txt': '*10:00:00.000 UTC Mon Jan 1 2024\n',
    });
    const dev = await startDevice({ profile: 'cisco_ios', replay: [first, second] });
    const driver = new NetmikoDriver(silent);
    const session = await driver.connect(
      {
        device_type: 'cisco_ios',
        host: dev.host,
        port: dev.port,
        username: 'admin',
        password: 'admin',
        secret: 'secret',
      },
      ctx(),
    );
    try {
      const req = {
        connection_args: {},
        driver_args: {},
        operation: 'command' as const,
        options: { enable_mode: true },
      };
      const out = await session.send(
        ['show version', 'show clock', 'show tech', 'show interfaces', 'terminal width 200'],
        req,
        ctx(),
      );
      assert.equal(out['show version'].trim(), 'FIRST VERSION', 'the first directory wins');
      assert.match(out['show clock'], /10:00:00/, 'later directories are searched too');
      assert.equal(
        out['show tech'].trim(),
        long,
        'a long recording arrives whole (paging is off after the session setup)',
      );
      assert.match(out['show interfaces'], /% Invalid input detected at '\^' marker\./, 'no recording: invalid input');
      assert.equal(out['terminal width 200'].trim(), '', 'session commands still work');
      assert.ok(dev.commandLog.includes('enable'), "login and enable are the profile's");
    } finally {
      await session.close();
      await dev.close();
    }
  });

  it('eAPI: .json answers json, .text answers text; a show command without a recording is error 1002', async () => {
    const dir = recordings({
      'show_version.json': JSON.stringify({ version: '4.23.0F', modelName: 'DCS-7050' }),
      'show_running_config.text': 'hostname r1\n',
    });
    const dev = await startEapiDevice({ replay: [dir] });
    const call = async (cmds: string[], format: string) => {
      const res = await fetch(`http://${dev.host}:${dev.port}/command-api`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'runCmds', id: 1, params: { version: 1, cmds, format } }),
      });
      return (await res.json()) as { result?: any[]; error?: { code: number; message: string } };
    };
    try {
      assert.equal(dev.https, false, 'replay devices serve HTTP unless asked for HTTPS');
      assert.deepEqual((await call(['enable', 'show version'], 'json')).result, [
        {},
        { version: '4.23.0F', modelName: 'DCS-7050' },
      ]);
      assert.deepEqual((await call(['show running-config'], 'text')).result, [{ output: 'hostname r1\n' }]);
      const missing = await call(['show interfaces'], 'json');
      assert.equal(missing.error?.code, 1002);
      assert.match(missing.error?.message ?? '', /'show interfaces' failed: invalid command/);
      assert.equal(
        (await call(['show version'], 'text')).error?.code,
        1002,
        'a json recording does not answer a text request',
      );
    } finally {
      await dev.close();
    }
  });

  it('npm run lab --replay prints the usual inventory and serves the recordings', async () => {
    const dir = recordings({ 'show_version.json': JSON.stringify({ version: '4.30.0F' }) });
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/lab/main.ts',
        '--profile',
        'arista_eapi',
        '--replay',
        dir,
        '--count',
        '1',
        '--json',
        '--port',
        '0',
      ],
      {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no inventory line: ${out}`)), 20_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) {
            clearTimeout(timer);
            resolve(out.split('\n')[0]);
          }
        });
        child.once('exit', (code) => reject(new Error(`lab exited ${code}: ${out}`)));
      });
      const [entry] = JSON.parse(line) as Array<{ host: string; port: number; device_type: string }>;
      assert.equal(entry.device_type, 'arista_eapi');
      const res = await fetch(`http://${entry.host}:${entry.port}/command-api`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
        body: JSON.stringify({
          jsonrpc: '2.0',
          method: 'runCmds',
          id: 1,
          params: { version: 1, cmds: ['show version'], format: 'json' },
        }),
      });
      assert.deepEqual(((await res.json()) as { result: unknown[] }).result, [{ version: '4.30.0F' }]);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
