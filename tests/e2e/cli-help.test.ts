/**
 * The CLI speaks for itself: `netpulse --version` prints the package version, and each command's
 * `--help` lists every option with the environment variable that sets the same thing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../helpers/server.ts';
import { FLAG_KEYS, envName } from '../../core/cli/options.ts';

const BIN = resolve(PROJECT_ROOT, 'bin/netpulse.mjs');
const run = (args: string[]) =>
  new Promise<{ code: number; stdout: string }>((res) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: PROJECT_ROOT, timeout: 60_000, env: { ...process.env, COLUMNS: '200' } },
      (err, stdout) => res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }),
    );
  });

describe('netpulse --version and --help', () => {
  it('--version prints the package version', async () => {
    const r = await run(['--version']);
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout.trim(),
      (JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    );
  });

  for (const command of Object.keys(FLAG_KEYS)) {
    it(`${command} --help lists every option with its environment variable`, async () => {
      const r = await run([command, '--help']);
      assert.equal(r.code, 0);
      const text = r.stdout.replace(/\s+/g, ' ');
      for (const key of FLAG_KEYS[command]) assert.ok(text.includes(`(env: ${envName(key)})`), `${command}: ${key}`);
      assert.ok(text.includes('(env: NETPULSE_CONFIG_FILE)'));
      const options = text.match(/ --[a-z-]+/g) ?? [];
      const withEnv = text.match(/\(env: NETPULSE_[A-Z_]+\)/g) ?? [];
      assert.equal(
        withEnv.length,
        options.filter((o) => o !== ' --help').length,
        'every option but --help names its env variable',
      );
    });
  }

  it('templates fetch ntc and known-hosts forget document their options', async () => {
    const ntc = (await run(['templates', 'fetch', 'ntc', '--help'])).stdout.replace(/\s+/g, ' ');
    for (const env of ['NETPULSE_TEMPLATES__NTC_RELEASE', 'NETPULSE_TEMPLATES__NTC_DIR', 'NETPULSE_TEMPLATES__NTC_URL'])
      assert.ok(ntc.includes(env), env);
    const forget = (await run(['known-hosts', 'forget', '--help'])).stdout;
    assert.match(forget, /--port/);
    assert.match(forget.replace(/\s+/g, ' '), /NETPULSE_SERVER__STATE_DIR/);
  });

  it("known-hosts forget removes a host's SSH keys and TLS pins (one port, or every port)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'np-forget-'));
    const key = 'AAAAC3NzaC1lZDI1NTE5AAAAIJ2v4vK3r0pKqQy3gQ0w7rGx5mCkq3bH3JkWq1n2o3p4';
    writeFileSync(
      join(dir, 'known_hosts'),
      [
        `[10.9.9.1]:2222 ssh-ed25519 ${key}`,
        `10.9.9.1 ssh-ed25519 ${key}`,
        `[10.9.9.2]:2222 ssh-ed25519 ${key}`,
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'tls_known_hosts'), `[10.9.9.1]:443 x509-sha256 ${'A'.repeat(43)}\n`);
    const one = await run(['known-hosts', 'forget', '10.9.9.1', '--port', '2222', '--state-dir', dir]);
    assert.equal(one.code, 0);
    assert.match(one.stdout, /Removed 1 SSH host key line\(s\) and 0 TLS pin\(s\) of 10\.9\.9\.1/);
    const all = await run(['known-hosts', 'forget', '10.9.9.1', '--state-dir', dir]);
    assert.match(all.stdout, /Removed 1 SSH host key line\(s\) and 1 TLS pin\(s\)/);
    assert.equal(
      readFileSync(join(dir, 'known_hosts'), 'utf8'),
      `[10.9.9.2]:2222 ssh-ed25519 ${key}\n`,
      'other hosts kept',
    );
  });
});
