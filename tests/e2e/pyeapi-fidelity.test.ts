/**
 * Fidelity of the eAPI simulator against a client we did not write: Debian's
 * python3-pyeapi 0.8.4 drives it over http and https
 * (tests/fixtures/pyeapi_fidelity.py) and we check what pyeapi made of it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEapiDevice } from '../fakes/eapi-device/index.ts';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../fixtures/pyeapi_fidelity.py', import.meta.url));

function pyeapiMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import pyeapi'], { encoding: 'utf8', timeout: 30_000 });
  if (r.error) return `${PYTHON} not runnable: ${r.error.message}`;
  return r.status === 0 ? undefined : r.stderr.trim().split('\n').pop();
}

/** Runs the driver asynchronously: the simulator lives in this process's event loop. */
function runDriver(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(PYTHON, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '',
      stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d));
    p.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('pyeapi 0.8.4 against the eAPI simulator', () => {
  for (const transport of ['http', 'https'] as const) {
    it(`${transport}: enable/config/errors/running_config as pyeapi sees them`, async (t) => {
      const missing = pyeapiMissing();
      if (missing !== undefined) {
        t.skip('python3-pyeapi not installed: apt-get install python3-pyeapi');
        t.diagnostic(missing ?? '');
        return;
      }
      const dev = await startEapiDevice({
        https: transport === 'https',
        username: 'admin',
        password: 'pw',
        hostname: `fid-${transport}`,
      });
      try {
        const r = await runDriver([transport, dev.host, String(dev.port), dev.username, dev.password]);
        assert.equal(r.code, 0, `driver failed: ${r.stderr}`);
        const out = JSON.parse(r.stdout) as Record<string, any>;

        assert.equal(out.show_version_encoding, 'json');
        assert.equal(out.show_version.modelName, 'vEOS-lab');
        assert.equal(out.show_version.hostname, `fid-${transport}`);
        assert.equal(out.show_version_text_encoding, 'text');
        assert.match(out.show_version_text, /^Arista vEOS-lab\n/);
        assert.deepEqual(out.config_result, [{}, {}]);

        assert.equal(out.error.error_code, 1002);
        assert.equal(out.error.error_text, "CLI command 3 of 3 'show bogus' failed: invalid command");
        assert.equal(out.error.command_error, "Invalid input (at token 1: 'bogus')");
        assert.equal(
          out.error.message,
          "Error [1002]: CLI command 3 of 3 'show bogus' failed: invalid command [Invalid input (at token 1: 'bogus')]",
        );
        assert.deepEqual(out.error.commands, ['enable', 'show version', 'show bogus']);

        assert.equal(out.show_clock_encoding, 'text', 'pyeapi resends a 1003 as text');
        assert.match(out.running_config, /^interface Ethernet1\n {3}description x$/m);
        assert.match(out.running_config, /^! Command: show running-config all$/m);
        assert.equal(out.model, 'vEOS-lab');
        assert.equal(out.version, '4.30.1F');
        assert.ok(dev.runningConfig().includes('interface Ethernet1\n   description x\n'));
        // show version, show version (text), config, the failing request, show clock twice, running_config, show version
        assert.ok(dev.requests >= 7, `requests=${dev.requests}`);
      } finally {
        await dev.close();
      }
    });
  }
});
