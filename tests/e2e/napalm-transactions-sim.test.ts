/**
 * napalm configuration transactions against the device simulators, through the napalm driver's
 * sessions (the same objects a worker uses): merge + diff + commit, dry-run, replace, rollback,
 * commit-confirm that reverts by itself, confirm that keeps it, on ios, eos, junos and iosxr.
 * Simulators run with timeScale 0.01, so a 60 s revert fires after 0.6 s of real time.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Logger } from '../../core/contracts/common.ts';
import type { Driver, DriverContext, DriverRegistry, DriverRequest } from '../../core/contracts/driver.ts';
import { toDriverRequest } from '../../core/jobs/request.ts';
import { NapalmDriver, type NapalmSession } from '../../plugins/drivers/napalm/driver.ts';
import { NetmikoDriver } from '../../plugins/drivers/netmiko/driver.ts';
import { runTransactionMethod } from '../../plugins/drivers/napalm/transactions/index.ts';
import { PyeapiDriver } from '../../plugins/drivers/pyeapi/driver.ts';
import { startEapiDevice } from '../fakes/eapi-device/index.ts';
import { startDevice } from '../fakes/ssh-device/index.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const netmiko = new NetmikoDriver(silent);
const pyeapi = new PyeapiDriver(silent);
const lookup: DriverRegistry = {
  get: (name: string): Driver => {
    if (name === 'netmiko') return netmiko;
    if (name === 'pyeapi') return pyeapi;
    throw new Error(`no driver ${name}`);
  },
  names: () => ['netmiko', 'pyeapi'],
};
const napalm = new NapalmDriver(silent, lookup);
const ctx = (ms = 30_000): DriverContext => ({ log: silent, signal: AbortSignal.timeout(ms) });
const TIME_SCALE = 0.01;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * A loopback address of its own per device: the napalm driver records host keys in the shared
 * default known_hosts file, and simulators make a new key per process, so a host:port another
 * test process used before must not come back.
 */
const octet = (from: number, span: number) => from + Math.floor(Math.random() * span);
const freshHost = () => `127.${octet(100, 100)}.${octet(0, 250)}.${octet(2, 250)}`;

/** Running configs print the time (XR, Junos headers); compare them without it. */
const timeless = (text: string) => text.replace(/\d\d:\d\d:\d\d(\.\d+)?/g, '<time>');

interface Target {
  session: NapalmSession;
  args: Record<string, unknown>;
  running(): string;
  close(): Promise<void>;
}

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

/** Opens a napalm session to a started simulator; both are closed after the file's tests. */
type Simulated = { runningConfig(): string; close(): Promise<void> };

async function connect(args: Record<string, unknown>, dev: Simulated): Promise<Target> {
  const session = await napalm.connect(args, ctx());
  const close = async () => {
    await session.close();
    await dev.close();
  };
  cleanups.push(close);
  return { session, args, running: () => dev.runningConfig(), close };
}

const login = (dev: { host: string; username: string; password: string }) => ({
  host: dev.host,
  username: dev.username,
  password: dev.password,
});

async function sshTarget(profile: string, deviceType: string): Promise<Target> {
  const dev = await startDevice({ profile, host: freshHost(), timeScale: TIME_SCALE });
  const optional = { port: dev.port, secret: dev.secret };
  return connect({ ...login(dev), device_type: deviceType, optional_args: optional }, dev);
}

async function eosTarget(): Promise<Target> {
  const dev = await startEapiDevice({ host: freshHost(), timeScale: TIME_SCALE });
  const optional = { port: dev.port, transport: 'http' };
  return connect({ ...login(dev), device_type: 'arista_eos', optional_args: optional }, dev);
}

/** As the node builds it: driver_args resolved once by the driver's `prepare`. */
function configReq(t: Target, driverArgs: Record<string, unknown> = {}, dryRun = false): DriverRequest {
  const base = { connection_args: t.args, driver_args: driverArgs, operation: 'config' as const };
  return toDriverRequest(napalm, { ...base, options: { dry_run: dryRun } });
}

async function apply(t: Target, config: string, driverArgs: Record<string, unknown> = {}, dryRun = false) {
  const out = (await t.session.config(config.split('\n'), configReq(t, driverArgs, dryRun), ctx())) as string[];
  assert.equal(out.length, 1, 'the config result is [diff]');
  return out[0];
}

async function call(t: Target, method: string, args: Record<string, unknown> = {}): Promise<unknown> {
  return send(t, method, { [method]: args });
}

/** One command through the napalm session, as a `command` job runs it. */
async function send(t: Target, command: string, driverArgs: Record<string, unknown> = {}): Promise<unknown> {
  const base = { connection_args: t.args, driver_args: driverArgs, operation: 'command' as const, options: {} };
  const req = toDriverRequest(napalm, base);
  const out = (await t.session.send([command], req, ctx())) as Record<string, unknown>;
  return out[command];
}

async function eventually(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return;
    await sleep(50);
  }
  assert.ok(check(), 'condition not reached in time');
}

/** One platform's phrasing of the same scenarios. */
interface Plan {
  name: string;
  open(): Promise<Target>;
  /** Merge adding `marker` somewhere visible in the running config. */
  merge(marker: string): string;
  /** Text `marker` produces in the running config. */
  shows(marker: string): string;
  /** A full configuration that keeps the device usable but lacks `dropped`, plus `marker`. */
  replace(t: Target, marker: string): string;
  dropped: string;
  message: boolean;
  /** revert_in the platform accepts (seconds). */
  revertIn: number;
  prepare?(t: Target): Promise<void>;
  /** Reads the commit comment back from the device. */
  history?(t: Target): Promise<string>;
}

const PLANS: Plan[] = [
  {
    name: 'ios',
    open: () => sshTarget('cisco_ios', 'cisco_ios'),
    merge: (m) => `interface Loopback7\n description ${m}`,
    shows: (m) => ` description ${m}`,
    replace: (t, m) =>
      t
        .running()
        .split('\n')
        .filter((l) => !l.includes('ip route 0.0.0.0'))
        .join('\n')
        .replace('interface GigabitEthernet0/3', `interface Loopback8\n description ${m}\n$&`),
    dropped: 'ip route 0.0.0.0 0.0.0.0 192.0.2.254',
    message: false,
    revertIn: 60,
    // The revert timer is an archive feature, as on a real router.
    prepare: async (t) => {
      await apply(t, 'archive\n path flash:archive\n maximum 5');
    },
  },
  {
    name: 'eos',
    open: eosTarget,
    merge: (m) => `interface Ethernet3\n   description ${m}`,
    shows: (m) => `description ${m}`,
    replace: (t, m) =>
      t
        .running()
        .split('\n')
        .filter((l) => !l.startsWith('ip route 0.0.0.0/0'))
        .join('\n')
        .replace('interface Ethernet4', `interface Ethernet4\n   description ${m}`),
    dropped: 'ip route 0.0.0.0/0 192.0.2.1',
    message: false,
    revertIn: 60,
  },
  {
    name: 'junos',
    open: () => sshTarget('juniper_junos', 'juniper_junos'),
    merge: (m) => `set interfaces ge-0/0/2 description ${m}`,
    shows: (m) => `description ${m};`,
    replace: (_t, m) =>
      [
        'set system host-name R1',
        'set system login user admin class super-user',
        'set system services ssh',
        'set interfaces ge-0/0/0 unit 0 family inet address 192.0.2.1/24',
        `set interfaces ge-0/0/3 description ${m}`,
      ].join('\n'),
    dropped: 'next-hop 192.0.2.254',
    message: true,
    revertIn: 60,
    history: async (t) => String(await send(t, 'show system commit')),
  },
  {
    name: 'iosxr',
    open: () => sshTarget('cisco_xr', 'cisco_xr'),
    merge: (m) => `interface GigabitEthernet0/0/0/2\n description ${m}`,
    shows: (m) => ` description ${m}`,
    replace: (t, m) =>
      t
        .running()
        .split('\n')
        .filter((l) => !/^(router static| {1,2}address-family| {1,2}0\.0\.0\.0)/.test(l) && !/^\w{3} \w{3} /.test(l))
        .join('\n')
        .replace('interface GigabitEthernet0/0/0/2', `interface GigabitEthernet0/0/0/3\n description ${m}\n$&`),
    dropped: 'router static',
    message: true,
    revertIn: 60,
    history: async (t) => String(await send(t, 'show configuration commit list detail')),
  },
];

for (const plan of PLANS) {
  describe(`napalm transactions on the ${plan.name} simulator`, { timeout: 120_000 }, () => {
    let t: Target;

    it('opens the device', async () => {
      t = await plan.open();
      await plan.prepare?.(t);
      assert.equal(await call(t, 'has_pending_commit'), false);
    });

    it('merge: the result is [diff] and the change is committed', async () => {
      const diff = await apply(t, plan.merge('np-merge-1'), plan.message ? { message: 'np change 1' } : {});
      assert.match(diff, /np-merge-1/);
      assert.ok(t.running().includes(plan.shows('np-merge-1')), t.running());
      if (plan.history) assert.match(await plan.history(t), /np change 1/);
      // Nothing left loaded: a new compare shows nothing.
      assert.equal(await call(t, 'compare_config'), '');
    });

    it('a commit message is refused where the platform has none', { skip: plan.message }, async () => {
      const before = t.running();
      await assert.rejects(apply(t, plan.merge('np-msg'), { message: 'nope' }), /not implemented/i);
      assert.equal(timeless(t.running()), timeless(before));
    });

    it('dry_run: returns the diff and changes nothing', async () => {
      const before = t.running();
      const diff = await apply(t, plan.merge('np-dry'), {}, true);
      assert.match(diff, /np-dry/);
      assert.equal(timeless(t.running()), timeless(before));
      assert.equal(await call(t, 'compare_config'), '');
    });

    it('load + compare + discard as separate calls', async () => {
      const before = t.running();
      await call(t, 'load_merge_candidate', { config: plan.merge('np-loaded') });
      assert.match(String(await call(t, 'compare_config')), /np-loaded/);
      await call(t, 'discard_config');
      assert.equal(await call(t, 'compare_config'), '');
      assert.equal(timeless(t.running()), timeless(before));
    });

    it('replace: lines absent from the candidate disappear', async () => {
      assert.ok(t.running().includes(plan.dropped), 'the line to drop is there before');
      const diff = await apply(t, plan.replace(t, 'np-replaced'), { mode: 'replace' });
      assert.match(diff, /np-replaced/);
      assert.ok(diff.includes(plan.dropped.split(' ').slice(-1)[0]), `the diff shows the removal:\n${diff}`);
      assert.ok(!t.running().includes(plan.dropped), t.running());
      assert.ok(t.running().includes('np-replaced'));
    });

    it('rollback: restores the configuration before the last commit', async () => {
      await call(t, 'rollback');
      assert.ok(t.running().includes(plan.dropped), t.running());
      assert.ok(!t.running().includes('np-replaced'));
    });

    it('commit-confirm: an unconfirmed commit reverts by itself; a new commit meanwhile fails', async () => {
      const before = t.running();
      await apply(t, plan.merge('np-unconfirmed'), { revert_in: plan.revertIn });
      assert.ok(t.running().includes('np-unconfirmed'));
      assert.equal(await call(t, 'has_pending_commit'), true);
      await assert.rejects(apply(t, plan.merge('np-blocked')), /Pending commit confirm/);
      await eventually(() => !t.running().includes('np-unconfirmed'), plan.revertIn * 1000 * TIME_SCALE + 5_000);
      assert.equal(timeless(t.running()), timeless(before));
      assert.equal(await call(t, 'has_pending_commit'), false);
    });

    it('commit-confirm: confirm_commit keeps the change past the timer', async () => {
      await apply(t, plan.merge('np-confirmed'), { revert_in: plan.revertIn });
      assert.equal(await call(t, 'has_pending_commit'), true);
      await call(t, 'confirm_commit');
      assert.equal(await call(t, 'has_pending_commit'), false);
      await sleep(plan.revertIn * 1000 * TIME_SCALE + 500);
      assert.ok(t.running().includes('np-confirmed'), t.running());
      await assert.rejects(call(t, 'confirm_commit'), /No pending commit-confirm/);
    });

    it('rollback while a commit-confirm is pending reverts it at once and clears it', async () => {
      await apply(t, plan.merge('np-pending-rollback'), { revert_in: plan.revertIn });
      assert.equal(await call(t, 'has_pending_commit'), true);
      await call(t, 'rollback');
      assert.ok(!t.running().includes('np-pending-rollback'), t.running());
      assert.ok(t.running().includes('np-confirmed'));
      assert.equal(await call(t, 'has_pending_commit'), false);
    });

    it('a refused line fails the load and leaves nothing loaded', async () => {
      const before = t.running();
      await assert.rejects(apply(t, `${plan.merge('np-bad')}\nbogus command here`), (e: Error & { type?: string }) => {
        assert.match(e.type ?? '', /MergeConfigException/);
        return true;
      });
      assert.equal(timeless(t.running()), timeless(before));
      assert.equal(await call(t, 'compare_config'), '');
    });
  });
}

describe('napalm transactions: a candidate loaded by a lost session is found on the device', () => {
  for (const [name, open] of [
    ['ios', () => sshTarget('cisco_ios', 'cisco_ios')],
    ['eos', eosTarget],
  ] as const) {
    it(`${name}: load in one session, compare and commit in the next`, async () => {
      const first = await open();
      const marker = `np-reconnect-${name}`;
      const config =
        name === 'ios'
          ? `interface Loopback31\n description ${marker}`
          : `interface Ethernet2\n   description ${marker}`;
      await call(first, 'load_merge_candidate', { config });
      // A second session to the same device knows nothing of the first (as after a worker died
      // without closing it; a clean close discards the candidate, as NAPALM's close() does).
      const second: Target = { ...first, session: await napalm.connect(first.args, ctx()) };
      cleanups.push(() => second.session.close());
      assert.match(String(await call(second, 'compare_config')), new RegExp(marker));
      await call(second, 'commit_config', {});
      assert.ok(second.running().includes(marker));
    });
  }
});

describe('napalm transactions: EOS over SSH is refused', { timeout: 30_000 }, () => {
  it('EOS transactions need eAPI: over SSH the CLI would hide refused lines', async () => {
    const dev = await startDevice({ profile: 'arista_eos', host: freshHost() });
    const optional = { port: dev.port, transport: 'ssh', enable_password: dev.secret };
    const t = await connect({ ...login(dev), device_type: 'arista_eos', optional_args: optional }, dev);
    const before = t.running();
    await assert.rejects(apply(t, 'interface Ethernet1\n   description np-ssh'), (e: Error & { type?: string }) => {
      assert.equal(e.type, 'NotImplementedError');
      assert.match(e.message, /eAPI transport/);
      return true;
    });
    assert.equal(t.running(), before);
  });
});

describe('napalm transactions: what the rest of the driver sees', () => {
  it('eos: get_config shows the loaded candidate while its session is open, and nothing after discard', async () => {
    const t = await eosTarget();
    await call(t, 'load_merge_candidate', { config: 'interface Ethernet3\n   description np-candidate' });
    const loaded = (await send(t, 'get_config', { get_config: { retrieve: 'candidate' } })) as { candidate: string };
    assert.match(loaded.candidate, /description np-candidate/);
    await call(t, 'discard_config');
    const after = (await send(t, 'get_config', { get_config: { retrieve: 'candidate' } })) as { candidate: string };
    assert.equal(after.candidate, '');
  });

  it('eos: transactions refuse EOS older than 4.23.0 (the driver records the version at connect)', async () => {
    const device = { transport: 'eapi' as const, platform: 'eos', run: async () => [] };
    const state: Record<string, unknown> = { eos_version: '4.20.1F' };
    const txCtx = { device, state, log: silent, signal: AbortSignal.timeout(5_000) };
    const tooOld = /EOS 4\.23\.0 or later \(this device runs 4\.20\.1F\)/;
    await assert.rejects(runTransactionMethod(txCtx, 'compare_config'), tooOld);
    state.eos_version = '4.23.0';
    assert.equal(await runTransactionMethod(txCtx, 'has_pending_commit'), false);
  });
});
