/**
 * Fidelity: netmiko 2.4.2 (Debian python3-netmiko, a client nobody here wrote)
 * against every simulator profile it supports. Each profile gets its own
 * device and a hard timeout, so a hang fails the case instead of stalling.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { startDevice } from '../fakes/ssh-device/index.ts';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../fixtures/netmiko_fidelity.py', import.meta.url));
const PER_PROFILE_TIMEOUT_MS = 45_000;

const netmikoAvailable = spawnSync(PYTHON, ['-c', 'import netmiko'], { stdio: 'ignore', timeout: 20_000 }).status === 0;

interface FidelityResult {
  ok: boolean;
  error?: string;
  prompt?: string;
  show?: string;
  config?: string;
  save?: string;
  seconds: number;
}

function runNetmiko(args: string[]): Promise<FidelityResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`netmiko did not finish within ${PER_PROFILE_TIMEOUT_MS} ms; stderr: ${stderr.slice(-500)}`));
    }, PER_PROFILE_TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', () => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as FidelityResult);
      } catch {
        reject(new Error(`no JSON from netmiko script; stdout: ${stdout.slice(-500)} stderr: ${stderr.slice(-500)}`));
      }
    });
  });
}

const expectations: Record<string, { show: RegExp; running: RegExp; save: RegExp }> = {
  cisco_ios: { show: /^Cisco IOS Software/, running: /interface Loopback77\n description np-fidelity/, save: /\[OK\]/ },
  cisco_xe: {
    show: /^Cisco IOS XE Software/,
    running: /interface Loopback77\n description np-fidelity/,
    save: /\[OK\]/,
  },
  cisco_nxos: {
    show: /^Cisco Nexus Operating System/,
    running: /interface Loopback77\n {2}description np-fidelity/,
    save: /Copy complete\./,
  },
  cisco_xr: {
    show: /Cisco IOS XR Software, Version 7\.3\.2/,
    running: /interface Loopback77\n description np-fidelity/,
    save: /commit/,
  },
  arista_eos: {
    show: /^Arista vEOS-lab/,
    running: /interface Loopback77\n {3}description np-fidelity/,
    save: /Copy completed successfully\./,
  },
  juniper_junos: {
    show: /^Hostname: R1\nModel: vmx/,
    running: /ge-0\/0\/2 \{\n {8}description np-fidelity;/,
    save: /commit complete/,
  },
  huawei: {
    show: /^Huawei Versatile Routing Platform Software/,
    running: /interface GigabitEthernet0\/0\/2\n(?: .*\n)* description np-fidelity/,
    save: /Save the configuration successfully/,
  },
  hp_comware: {
    show: /^H3C Comware Software/,
    running: /interface GigabitEthernet1\/0\/2\n port link-mode bridge\n description np-fidelity/,
    save: /Saved the current configuration/,
  },
};

describe('netmiko 2.4.2 fidelity', () => {
  for (const [profile, expected] of Object.entries(expectations)) {
    it(`${profile}: show, config set, save/commit`, { timeout: PER_PROFILE_TIMEOUT_MS + 5000 }, async (t) => {
      if (!netmikoAvailable) {
        t.skip('python3-netmiko not installed: apt-get install python3-netmiko');
        return;
      }
      const device = await startDevice({ profile, username: 'netops', password: 'np-pass', secret: 'np-secret' });
      try {
        const result = await runNetmiko([
          profile,
          device.host,
          String(device.port),
          device.username,
          device.password,
          device.secret,
        ]);
        assert.ok(result.ok, `${profile}: ${result.error}`);
        const show = result.show ?? '';
        assert.match(show, expected.show);
        const prompt = (result.prompt ?? '').trim();
        assert.ok(prompt.length > 0, 'netmiko found a prompt');
        assert.ok(!show.includes(prompt), `prompt '${prompt}' stripped from show output`);
        assert.match(device.runningConfig(), expected.running);
        assert.match(result.save ?? '', expected.save);
        assert.ok(device.commandLog.length > 0);
      } finally {
        await device.close();
      }
    });
  }
});
