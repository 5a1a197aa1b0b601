/**
 * netmiko driver against every profile of the multi-vendor SSH simulator (tests/fakes/ssh-device):
 * show, config, save/commit, enable (good and bad secret), the paging safety net, and every fault
 * mapped to its error code within its timeout.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isCode } from '../helpers/errors.ts';
import { after, describe, it } from 'node:test';
import type { Logger } from '../../core/contracts/common.ts';
import type { DriverContext, DriverRequest } from '../../core/contracts/driver.ts';
import { NetmikoDriver } from '../../plugins/drivers/netmiko/driver.ts';
import { NetmikoConnection } from '../../plugins/drivers/netmiko/operations.ts';
import { NetmikoSession } from '../../plugins/drivers/netmiko/session.ts';
import { resolveConnection } from '../../plugins/drivers/netmiko/options.ts';
import { setStateDir } from '../../core/state/dir.ts';

const SIM = new URL('../fakes/ssh-device/index.ts', import.meta.url);
type Sim = typeof import('../fakes/ssh-device/index.ts');
type SimDevice = Awaited<ReturnType<Sim['startDevice']>>;
type SimOptions = Parameters<Sim['startDevice']>[0];

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'np-netmiko-sim-'));
// Host keys go to this test's own state directory (stores must lie inside it).
setStateDir(tmp);
const driver = new NetmikoDriver(silent);
const ctx = (ms = 30_000): DriverContext => ({ log: silent, signal: AbortSignal.timeout(ms) });

/** What each profile is asked to do; commands follow the vendor's CLI (per vendor documentation). */
const PLAN: Record<string, { show: string; long: string; cfg: string[]; persist: 'save' | 'commit'; enable: boolean }> =
  {
    cisco_ios: {
      show: 'show version',
      long: 'show interfaces',
      cfg: ['interface Loopback9', 'description np-test'],
      persist: 'save',
      enable: true,
    },
    cisco_xe: {
      show: 'show version',
      long: 'show interfaces',
      cfg: ['interface Loopback9', 'description np-test'],
      persist: 'save',
      enable: true,
    },
    cisco_nxos: {
      show: 'show version',
      long: 'show interface',
      cfg: ['interface Loopback9', 'description np-test'],
      persist: 'save',
      enable: false,
    },
    cisco_xr: {
      show: 'show version',
      long: 'show interfaces',
      cfg: ['interface Loopback9', 'description np-test'],
      persist: 'commit',
      enable: false,
    },
    arista_eos: {
      show: 'show version',
      long: 'show interfaces',
      cfg: ['interface Loopback9', 'description np-test'],
      persist: 'save',
      enable: true,
    },
    juniper_junos: {
      show: 'show version',
      long: 'show interfaces',
      cfg: ['set interfaces lo0 description np-test'],
      persist: 'commit',
      enable: false,
    },
    huawei: {
      show: 'display version',
      long: 'display interface',
      cfg: ['interface LoopBack9', 'description np-test'],
      persist: 'save',
      enable: false,
    },
    hp_comware: {
      show: 'display version',
      long: 'display interface',
      cfg: ['interface LoopBack9', 'description np-test'],
      persist: 'save',
      enable: false,
    },
  };

function args(dev: SimDevice, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    device_type: dev.profile,
    host: dev.host,
    port: dev.port,
    username: dev.username,
    password: dev.password,
    secret: dev.secret,
    known_hosts_file: path.join(tmp, 'known_hosts'),
    ...extra,
  };
}
const cmd = (
  a: Record<string, unknown>,
  driver_args: Record<string, unknown> = {},
  options: Record<string, unknown> = {},
): DriverRequest => ({
  connection_args: a,
  driver_args,
  operation: 'command',
  options,
});
const cfg = (
  a: Record<string, unknown>,
  driver_args: Record<string, unknown> = {},
  options: Record<string, unknown> = {},
): DriverRequest => ({
  connection_args: a,
  driver_args,
  operation: 'config',
  options,
});
/** Lines that carry the current time differ between two runs of the same show command. */
const withoutClock = (s: string): string =>
  s
    .split('\n')
    .filter((l) => !/\d\d:\d\d:\d\d/.test(l))
    .join('\n');

describe('netmiko e2e: multi-vendor simulator', async () => {
  if (!existsSync(SIM)) {
    it('simulator present', (t) => t.skip('tests/fakes/ssh-device/index.ts not present yet'));
    return;
  }
  const sim: Sim = await import(SIM.href);
  const devices: SimDevice[] = [];
  const start = async (o: SimOptions): Promise<SimDevice> => {
    const d = await sim.startDevice(o);
    devices.push(d);
    return d;
  };
  after(async () => {
    await Promise.all(devices.map((d) => d.close()));
    rmSync(tmp, { recursive: true, force: true });
  });

  it('has a plan for every simulator profile', () => {
    for (const p of sim.PROFILES) assert.ok(PLAN[p], `no plan for simulator profile ${p}`);
  });

  for (const profile of sim.PROFILES) {
    const plan = PLAN[profile];
    if (!plan) continue;
    describe(profile, () => {
      it('show: clean output, no echo, no prompt', async () => {
        const dev = await start({ profile });
        const s = await driver.connect(args(dev), ctx());
        try {
          const out = (await s.send([plan.show], cmd(args(dev)), ctx())) as Record<string, string>;
          const text = out[plan.show]!;
          assert.ok(text.split('\n').length > 5, text);
          assert.doesNotMatch(text, /Unrecognized|Invalid input|unknown command/i);
          assert.ok(!text.includes(s.connection.basePrompt + '#') && !text.endsWith('>'), 'prompt stripped');
          assert.ok(!text.startsWith(plan.show), 'echo stripped');
        } finally {
          await s.close();
        }
      });

      it(`config + ${plan.persist}: the change reaches the running config`, async () => {
        const dev = await start({ profile });
        const a = args(dev);
        const s = await driver.connect(a, ctx());
        try {
          const res = await s.config(plan.cfg, cfg(a, {}, { enable_mode: true, save: plan.persist === 'save' }), ctx());
          assert.equal(res.length, 2, 'config output plus save or commit output');
          assert.match(dev.runningConfig(), /np-test/);
          if (plan.persist === 'save') {
            const saveCmd =
              profile === 'cisco_ios' || profile === 'cisco_xe'
                ? 'write mem'
                : profile === 'huawei'
                  ? 'save'
                  : profile === 'hp_comware'
                    ? 'save force'
                    : 'copy running-config startup-config';
            assert.ok(dev.commandLog.includes(saveCmd), `${saveCmd} in ${dev.commandLog.join(' | ')}`);
          } else {
            assert.ok(dev.commandLog.includes('commit'));
          }
          await assert.rejects(
            s.config(['bogus-command-xyz'], cfg(a, {}, { enable_mode: true }), ctx()),
            isCode('NP_ERR_DEVICE_COMMAND', /bogus-command-xyz — \S/),
          );
          assert.notEqual(s.connection.mode, 'config', 'left config mode after the failure');
          assert.equal(await s.probe(ctx()), true);
        } finally {
          await s.close();
        }
      });

      if (plan.enable) {
        it('enable with the right secret, and DEVICE_AUTH "enable failed" with a wrong one', async () => {
          const dev = await start({ profile });
          const good = await driver.connect(args(dev), ctx());
          try {
            assert.equal(good.connection.mode, 'exec');
            const out = (await good.send(
              ['show running-config'],
              cmd(args(dev), {}, { enable_mode: true }),
              ctx(),
            )) as Record<string, string>;
            assert.match(out['show running-config']!, /hostname/);
            assert.equal(good.connection.mode, 'exec', 'back to user mode after');
          } finally {
            await good.close();
          }
          const bad = await driver.connect(args(dev, { secret: 'wrong-secret' }), ctx());
          try {
            await assert.rejects(
              bad.send(['show running-config'], cmd(args(dev), {}, { enable_mode: true }), ctx()),
              (e: unknown) => {
                isCode('NP_ERR_DEVICE_AUTH', /enable failed/)(e);
                assert.doesNotMatch((e as Error).message, /wrong-secret/);
                return true;
              },
            );
            assert.equal(await bad.probe(ctx()), true, 'session still usable');
          } finally {
            await bad.close();
          }
        });
      }

      it('paging left on: the safety net still returns the full output', async () => {
        const dev = await start({ profile });
        const a = args(dev);
        const normal = await driver.connect(a, ctx());
        const settings = resolveConnection(a);
        // Same platform without its on-open commands: the device keeps paging.
        settings.platform = { ...settings.platform, onOpen: [] };
        const paged = new NetmikoSession(await NetmikoConnection.open(settings, { log: silent }), settings);
        try {
          const req = cmd(a, {}, { enable_mode: true });
          const full = ((await normal.send([plan.long], req, ctx())) as Record<string, string>)[plan.long]!;
          const viaPager = ((await paged.send([plan.long], req, ctx())) as Record<string, string>)[plan.long]!;
          assert.ok(full.split('\n').length > 30, 'long enough to page');
          assert.ok(paged.connection.channel.pagingAnswers > 0, 'the pager was answered');
          assert.equal(withoutClock(viaPager), withoutClock(full));
        } finally {
          await normal.close();
          await paged.close();
        }
      });

      it('faults: hang → DEVICE_TIMEOUT by read_timeout; disconnect → DEVICE_CLOSED', async () => {
        const dev = await start({ profile, faults: { hangOn: plan.show, disconnectOn: plan.long } });
        const a = args(dev);
        const s = await driver.connect(a, ctx());
        const started = Date.now();
        await assert.rejects(
          s.send([plan.show], cmd(a, { read_timeout: 0.5 }), ctx()),
          isCode('NP_ERR_DEVICE_TIMEOUT', /Timed out after \d+ ms/),
        );
        assert.ok(Date.now() - started < 2000, `hang ended in ${Date.now() - started} ms`);
        // The device stopped reading: the session cannot resync and says so, then is closed.
        await assert.rejects(s.send([plan.show], cmd(a), ctx()), isCode('NP_ERR_DEVICE_CLOSED', /did not recover/));
        assert.equal(s.alive, false);
        await s.close();

        const s2 = await driver.connect(a, ctx());
        await assert.rejects(
          s2.send([plan.long], cmd(a, {}, { enable_mode: true }), ctx()),
          isCode('NP_ERR_DEVICE_CLOSED'),
        );
        assert.equal(s2.alive, false);
        assert.equal(await s2.probe(ctx()), false);
        await s2.close();
      });

      it('faults: authFail → DEVICE_AUTH; maxSessions → a clear error for the extra session', async () => {
        const dev = await start({ profile, faults: { authFail: true } });
        await assert.rejects(
          driver.connect(args(dev), ctx(10_000)),
          isCode('NP_ERR_DEVICE_AUTH', /Authentication failed for admin@127\.0\.0\.1/),
        );
        const limited = await start({ profile, faults: { maxSessions: 1 } });
        const first = await driver.connect(args(limited), ctx());
        try {
          await assert.rejects(
            driver.connect(args(limited), ctx(10_000)),
            isCode('NP_ERR_DEVICE_CLOSED', /session limit/),
          );
          assert.equal(await first.probe(ctx()), true);
        } finally {
          await first.close();
        }
      });

      it('faults: slow output is complete; command latency is waited for, and bounded by read_timeout', async () => {
        const ref = await start({ profile });
        const slow = await start({ profile, faults: { slow: { delayMs: 2, chunkSize: 64 }, commandLatencyMs: 150 } });
        const s1 = await driver.connect(args(ref), ctx());
        const s2 = await driver.connect(args(slow), ctx());
        try {
          const fast = ((await s1.send([plan.show], cmd(args(ref)), ctx())) as Record<string, string>)[plan.show]!;
          const dribbled = ((await s2.send([plan.show], cmd(args(slow)), ctx())) as Record<string, string>)[plan.show]!;
          assert.equal(withoutClock(dribbled), withoutClock(fast));
          await assert.rejects(
            s2.send([plan.show], cmd(args(slow), { read_timeout: 0.05 }), ctx()),
            isCode('NP_ERR_DEVICE_TIMEOUT'),
          );
        } finally {
          await s1.close();
          await s2.close();
        }
      });
    });
  }
});
