import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEapiDevice, type EapiDeviceHandle } from '../../../fakes/eapi-device/index.ts';
import { runCmds } from './helpers.ts';

describe('eapi-device: CLI, errors and state', () => {
  let dev: EapiDeviceHandle;
  before(async () => {
    dev = await startEapiDevice({ hostname: 'sw1' });
  });
  after(() => dev.close());

  it('fails mid-list in the documented shape: partial results, then the failed entry with errors', async () => {
    const r = await runCmds(dev, ['enable', 'show version', 'show bogus', 'show hostname']);
    assert.equal(r.result, undefined);
    assert.equal(r.error?.code, 1002);
    assert.equal(r.error?.message, "CLI command 3 of 4 'show bogus' failed: invalid command");
    const data = r.error?.data ?? [];
    assert.equal(data.length, 3);
    assert.deepEqual(data[0], {});
    assert.equal(data[1].modelName, 'vEOS-lab');
    assert.deepEqual(data[2], { errors: ["Invalid input (at token 1: 'bogus')"] });
  });

  it('in text format the failed entry also carries the % output', async () => {
    const r = await runCmds(dev, ['enable', 'bogus'], { format: 'text' });
    assert.deepEqual(r.error?.data, [
      { output: '' },
      { output: "% Invalid input (at token 0: 'bogus')\n", errors: ["Invalid input (at token 0: 'bogus')"] },
    ]);
  });

  it('show version has the fields napalm and the fleet read', async () => {
    const v = (await runCmds(dev, ['show version'])).result?.[0] ?? {};
    for (const k of [
      'modelName',
      'version',
      'serialNumber',
      'systemMacAddress',
      'internalVersion',
      'bootupTimestamp',
      'uptime',
      'hostname',
    ]) {
      assert.ok(k in v, k);
    }
    assert.match(v.version, /^\d+\.\d+/);
    assert.match(v.systemMacAddress, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    const other = await startEapiDevice({ hostname: 'sw2' });
    try {
      const v2 = (await runCmds(other, ['show version'])).result?.[0] ?? {};
      assert.notEqual(v2.serialNumber, v.serialNumber);
    } finally {
      await other.close();
    }
  });

  it('configure terminal changes show in show running-config, show interfaces and runningConfig()', async () => {
    const c = await runCmds(dev, [
      'enable',
      'configure terminal',
      'interface Ethernet1',
      'description uplink to spine1',
      'ip address 10.0.0.1/31',
      'interface Et2',
      'shutdown',
      'end',
    ]);
    assert.deepEqual(c.result, [{}, {}, {}, {}, {}, {}, {}, {}]);
    const rc = (await runCmds(dev, ['enable', 'show running-config'], { format: 'text' })).result?.[1].output as string;
    assert.match(rc, /^interface Ethernet1\n {3}description uplink to spine1\n {3}ip address 10\.0\.0\.1\/31\n!$/m);
    assert.match(rc, /^interface Ethernet2\n {3}shutdown\n!$/m);
    assert.ok(rc.endsWith('end\n'));
    assert.ok(dev.runningConfig().includes('   description uplink to spine1\n'));
    const ifs = (await runCmds(dev, ['show interfaces'])).result?.[0].interfaces;
    assert.equal(ifs.Ethernet1.description, 'uplink to spine1');
    assert.deepEqual(ifs.Ethernet1.interfaceAddress[0].primaryIp, { address: '10.0.0.1', maskLen: 31 });
    assert.equal(ifs.Ethernet2.interfaceStatus, 'disabled');
    assert.equal(ifs.Ethernet2.lineProtocolStatus, 'down');
    const brief = (await runCmds(dev, ['show ip interface brief'])).result?.[0].interfaces;
    assert.deepEqual(brief.Ethernet1.interfaceAddress.ipAddr, { address: '10.0.0.1', maskLen: 31 });
    assert.ok(brief.Management1);
    const one = (await runCmds(dev, ['show interfaces ethernet1'])).result?.[0].interfaces;
    assert.deepEqual(Object.keys(one), ['Ethernet1']);
    // "no" and replacing a single-valued setting
    await runCmds(dev, [
      'enable',
      'configure',
      'interface Ethernet1',
      'description new',
      'interface Ethernet2',
      'no shutdown',
    ]);
    const rc2 = dev.runningConfig();
    assert.ok(rc2.includes('   description new\n') && !rc2.includes('uplink to spine1'));
    assert.ok(!/interface Ethernet2\n {3}shutdown/.test(rc2));
  });

  it('modes reset per request and config lines do not fall back to the parent mode', async () => {
    const r = await runCmds(dev, ['interface Ethernet1']);
    assert.equal(r.error?.message, "CLI command 1 of 1 'interface Ethernet1' failed: invalid command");
    const n = await runCmds(dev, ['enable', 'configure', 'interface Ethernet3', 'ip route 10.9.0.0/16 10.0.0.0']);
    assert.deepEqual(n.error?.data?.[3], { errors: ["Invalid input (at token 1: 'route')"] });
    const ok = await runCmds(dev, [
      'enable',
      'configure',
      'interface Ethernet3',
      'exit',
      'ip route 10.9.0.0/16 10.0.0.0',
    ]);
    assert.ok(ok.result);
    assert.match(dev.runningConfig(), /^ip route 10\.9\.0\.0\/16 10\.0\.0\.0$/m);
    const bad = await runCmds(dev, ['enable', 'configure', 'interface Ethernet1', 'ip address 999.1.1.1/24']);
    assert.deepEqual(bad.error?.data?.[3], { errors: ["Invalid input (at token 2: '999.1.1.1/24')"] });
    const inc = await runCmds(dev, ['show']);
    assert.match(inc.error?.data?.[0].errors[0], /^incomplete token/);
  });

  it('abbreviations need autoComplete; aliases need expandAliases', async () => {
    const no = await runCmds(dev, ['sh ver']);
    assert.deepEqual(no.error?.data, [{ errors: ["Invalid input (at token 0: 'sh')"] }]);
    const yes = await runCmds(dev, ['sh ver', 'conf t', 'int et4', 'desc auto', 'end'], { autoComplete: true });
    assert.equal(yes.result?.[0].modelName, 'vEOS-lab');
    assert.match(dev.runningConfig(), /interface Ethernet4\n {3}description auto\n/);
    const alias = await runCmds(dev, ['shver']);
    assert.equal(alias.error?.code, 1002);
    const expanded = await runCmds(dev, ['shver'], { expandAliases: true });
    assert.equal(expanded.result?.[0].modelName, 'vEOS-lab');
  });

  it('config sessions: diff, abort, commit; pending state across requests', async () => {
    await runCmds(dev, ['enable', 'configure session s1', 'interface Ethernet3', 'description from-session']);
    assert.ok(!dev.runningConfig().includes('from-session'), 'not applied before commit');
    const diff = await runCmds(dev, ['enable', 'configure session s1', 'show session-config diffs'], {
      format: 'text',
    });
    const text = diff.result?.[2].output as string;
    assert.match(text, /^--- system:\/running-config\n\+\+\+ session:\/s1-session-config\n@@ -\d+,\d+ \+\d+,\d+ @@\n/);
    assert.match(text, /^ interface Ethernet3\n\+ {3}description from-session$/m);
    const jsonDiff = await runCmds(dev, ['enable', 'configure session s1', 'show session-config diffs']);
    assert.equal(jsonDiff.error?.code, 1003);
    const sessions = (await runCmds(dev, ['enable', 'show configuration sessions'])).result?.[1] ?? {};
    assert.equal(sessions.sessions.s1.state, 'pending');
    const commit = await runCmds(dev, ['enable', 'configure session s1', 'commit']);
    assert.deepEqual(commit.result, [{}, {}, {}]);
    assert.ok(dev.runningConfig().includes('   description from-session\n'));
    assert.equal(
      (await runCmds(dev, ['enable', 'show configuration sessions'])).result?.[1].sessions.s1.state,
      'completed',
    );

    await runCmds(dev, ['enable', 'configure session s2', 'hostname other']);
    await runCmds(dev, ['enable', 'configure session s2 abort']);
    assert.equal((await runCmds(dev, ['show hostname'])).result?.[0].hostname, 'sw1');
    assert.equal((await runCmds(dev, ['enable', 'show configuration sessions'])).result?.[1].sessions.s2, undefined);

    // napalm style: lines + end, compare by name, commit by name
    await runCmds(dev, ['enable', 'configure session napalm_1', 'hostname sw1-renamed', 'end']);
    const named = await runCmds(dev, ['enable', 'show session-config named napalm_1 diffs'], { format: 'text' });
    assert.match(named.result?.[1].output, /^-hostname sw1$/m);
    assert.match(named.result?.[1].output, /^\+hostname sw1-renamed$/m);
    await runCmds(dev, ['enable', 'configure session napalm_1 commit']);
    assert.equal((await runCmds(dev, ['show hostname'])).result?.[0].hostname, 'sw1-renamed');
    await runCmds(dev, ['enable', 'configure', 'hostname sw1']);
  });

  it('enable secret: plain enable fails, input with the secret works, config needs privileged mode', async () => {
    const sec = await startEapiDevice({ secret: 's3cret' });
    try {
      const priv = await runCmds(sec, ['configure']);
      assert.match(priv.error?.data?.[0].errors[0], /privileged mode required/);
      const plain = await runCmds(sec, ['enable', 'show hostname']);
      assert.equal(plain.error?.code, 1005);
      assert.ok(!JSON.stringify(plain).includes('s3cret'));
      const ok = await runCmds(sec, [
        { cmd: 'enable', input: 's3cret' },
        'configure',
        'hostname sec1',
        'end',
        'show hostname',
      ]);
      assert.equal(ok.result?.[4].hostname, 'sec1');
      const showNoEnable = await runCmds(sec, ['show version']);
      assert.ok(showNoEnable.result);
    } finally {
      await sec.close();
    }
  });

  it('show clock has no JSON model (1003) but works as text; pipes filter text output', async () => {
    const j = await runCmds(dev, ['show clock']);
    assert.equal(j.error?.code, 1003);
    assert.equal(j.error?.message, "CLI command 1 of 1 'show clock' failed: unconverted command");
    const t = await runCmds(dev, ['show clock'], { format: 'text' });
    assert.match(t.result?.[0].output, /Timezone: UTC/);
    const sec = await runCmds(dev, ['enable', 'show running-config | section Management1'], { format: 'text' });
    assert.equal(sec.result?.[1].output, 'interface Management1\n   ip address 192.0.2.10/24\n');
    const inc = await runCmds(dev, ['enable', 'show running-config | include ^hostname'], { format: 'text' });
    assert.equal(inc.result?.[1].output, 'hostname sw1\n');
  });

  it('lldp neighbors, write memory/startup-config, reload guard, banner input', async () => {
    const l = (await runCmds(dev, ['show lldp neighbors'])).result?.[0] ?? {};
    assert.equal(l.lldpNeighbors[0].neighborDevice, 'spine1');
    const w = await runCmds(dev, ['enable', 'write memory']);
    assert.deepEqual(w.result?.[1], { messages: ['Copy completed successfully.'] });
    const start = (await runCmds(dev, ['enable', 'show startup-config'], { format: 'text' })).result?.[1]
      .output as string;
    assert.equal(start.split('\n').slice(1).join('\n'), dev.runningConfig().split('\n').slice(1).join('\n'));
    const rl = await runCmds(dev, ['enable', 'reload']);
    assert.equal(rl.error?.code, 1004);
    assert.match(rl.error?.data?.[1].errors[0], /please use 'reload now'/);
    await runCmds(dev, ['enable', 'configure', { cmd: 'banner login', input: 'Authorized use only\nsecond line\n' }]);
    assert.match(dev.runningConfig(), /^banner login\nAuthorized use only\nsecond line\nEOF\n!$/m);
    const rj = (await runCmds(dev, ['enable', 'show running-config'])).result?.[1] ?? {};
    assert.equal(rj.cmds['interface Management1'].cmds['ip address 192.0.2.10/24'], null);
  });
});
