/**
 * CLI behaviour over a real SSH shell: paging until paging-off, enable
 * secrets, errors in the vendor's words, configuration reaching the running
 * config, save dialogs, junos/XR commit, exec channels, keyboard-interactive.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Shell, connectClient, promptAtEnd, trackedSimulators } from './shell-client.ts';
import type { SimDevice } from '../../../fakes/ssh-device/index.ts';

const { device, shell, track } = trackedSimulators();

async function enabledIos(profile = 'cisco_ios'): Promise<{ dev: SimDevice; sh: Shell }> {
  const dev = await device({ profile });
  const sh = await shell(dev);
  await sh.expect(/R1>$/);
  await sh.run('enable', /Password: $/);
  await sh.run('secret', /R1#$/);
  return { dev, sh };
}

describe('paging', () => {
  it('IOS pages show interfaces with --More-- until terminal length 0', async () => {
    const { sh } = await enabledIos();
    const first = await sh.run('show interfaces', / --More-- $/);
    assert.equal(first.split('\r\n').length - 1, 24, 'one screen: echo line + 23 output lines');
    sh.send(' ');
    await sh.expect(/ --More-- $/);
    sh.send('\r');
    const oneLine = await sh.expect(/ --More-- $/);
    assert.equal(oneLine.split('\r\n').length - 1, 1, 'Enter shows one more line');
    sh.send('q');
    await sh.expect(/R1#$/);
    await sh.run('terminal length 0', /R1#$/);
    const full = await sh.run('show interfaces', /R1#$/);
    assert.doesNotMatch(full, /--More--/);
    assert.match(full, /GigabitEthernet0\/3 is up/);
  });

  it('huawei pages with ---- More ---- and ANSI erase until screen-length 0 temporary', async () => {
    const dev = await device({ profile: 'huawei' });
    const sh = await shell(dev);
    await sh.expect(/<R1>$/);
    await sh.run('display version', / {2}---- More ----$/);
    sh.send(' ');
    const rest = await sh.expect(/<R1>$/);
    assert.ok(rest.startsWith('\x1b[42D'), 'pager prompt erased with cursor-left sequences');
    await sh.run('screen-length 0 temporary', /<R1>$/);
    assert.doesNotMatch(await sh.run('display version', /<R1>$/), /More/);
  });

  it('junos pages with ---(more)--- until set cli screen-length 0', async () => {
    const dev = await device({ profile: 'juniper_junos' });
    const sh = await shell(dev);
    await sh.expect(/admin@R1> $/);
    await sh.run('show version', /---\(more\)---$/);
    sh.send('q');
    await sh.expect(/admin@R1> $/);
    assert.match(await sh.run('set cli screen-length 0', /admin@R1> $/), /Screen length set to 0/);
    assert.doesNotMatch(await sh.run('show interfaces', /admin@R1> $/), /more\)/);
  });
});

describe('enable', () => {
  it('IOS: wrong secret three times gives % Bad secrets and stays in user mode', async () => {
    const dev = await device({ profile: 'cisco_ios', secret: 's3cret' });
    const sh = await shell(dev);
    await sh.expect(/R1>$/);
    await sh.run('enable', /Password: $/);
    await sh.run('nope', /Password: $/);
    await sh.run('nope', /Password: $/);
    const out = await sh.run('nope', /R1>$/);
    assert.match(out, /% Bad secrets/);
    await sh.run('enable', /Password: $/);
    await sh.run('s3cret', /R1#$/);
    assert.ok(!dev.commandLog.includes('s3cret'), 'secrets are not logged');
  });

  it('EOS: wrong secret gives % Access denied', async () => {
    const dev = await device({ profile: 'arista_eos' });
    const sh = await shell(dev);
    await sh.expect(/SW1>$/);
    await sh.run('enable', /Password: $/);
    assert.match(await sh.run('wrong', /SW1>$/), /% Access denied/);
  });
});

describe('errors and abbreviations', () => {
  it('IOS: caret under the bad word, incomplete, ambiguous, abbreviations', async () => {
    const { sh } = await enabledIos();
    await sh.run('term len 0', /R1#$/);
    const invalid = await sh.run('show foo', /R1#$/);
    assert.match(invalid, /\r\n {8}\^\r\n% Invalid input detected at '\^' marker\./);
    assert.match(await sh.run('show', /R1#$/), /% Incomplete command\./);
    assert.match(await sh.run('sh i', /R1#$/), /% Ambiguous command: {2}"sh i"/);
    assert.match(await sh.run('sh ver', /R1#$/), /Cisco IOS Software/);
    await sh.run('conf t', /R1\(config\)#$/);
  });

  it('vendor wording on other platforms', async () => {
    const cases: Array<[string, RegExp, string, RegExp]> = [
      ['huawei', /<R1>$/, 'display foo', /Error: Unrecognized command found at '\^' position\./],
      ['hp_comware', /<H3C>$/, 'display foo', /% Unrecognized command found at '\^' position\./],
      ['cisco_nxos', /N9K1# $/, 'show foo', /% Invalid command at '\^' marker\./],
      ['arista_eos', /SW1>$/, 'show foo', /% Invalid input/],
      ['juniper_junos', /admin@R1> $/, 'foo', /unknown command\./],
      ['juniper_junos', /admin@R1> $/, 'show foo', /syntax error\./],
    ];
    for (const [profile, prompt, command, message] of cases) {
      const dev = await device({ profile });
      const sh = await shell(dev);
      await sh.expect(prompt);
      assert.match(await sh.run(command, prompt), message, profile);
    }
  });
});

describe('configuration', () => {
  it('IOS: interface and hostname changes reach the running config', async () => {
    const { dev, sh } = await enabledIos();
    await sh.run('configure terminal', /R1\(config\)#$/);
    await sh.run('interface Loopback42', /R1\(config-if\)#$/);
    await sh.run('description np-unit', /R1\(config-if\)#$/);
    await sh.run('ip address 10.42.0.1 255.255.255.255', /R1\(config-if\)#$/);
    await sh.run('hostname EDGE9', /EDGE9\(config\)#$/);
    await sh.run('no ip ssh version 2', /EDGE9\(config\)#$/);
    await sh.run('end', /EDGE9#$/);
    const running = dev.runningConfig();
    assert.match(running, /interface Loopback42\n description np-unit\n ip address 10.42.0.1 255.255.255.255/);
    assert.match(running, /hostname EDGE9/);
    assert.doesNotMatch(running, /ip ssh version 2/);
    const shown = await sh.run('show running-config | include hostname', /EDGE9#$/);
    assert.match(shown, /hostname EDGE9/);
  });

  it('huawei: sysname and undo in system view', async () => {
    const dev = await device({ profile: 'huawei' });
    const sh = await shell(dev);
    await sh.expect(/<R1>$/);
    await sh.run('system-view', /\[R1\]$/);
    await sh.run('interface GigabitEthernet0/0/2', /\[R1-GigabitEthernet0\/0\/2\]$/);
    await sh.run('undo shutdown', /\]$/);
    await sh.run('description np-unit', /\]$/);
    await sh.run('sysname CORE7', /\[CORE7\]$/);
    await sh.run('return', /<CORE7>$/);
    const running = dev.runningConfig();
    assert.match(running, /interface GigabitEthernet0\/0\/2\n description np-unit/);
    assert.match(running, /^sysname CORE7$/m);
  });
});

describe('save dialogs', () => {
  it('IOS copy running-config startup-config asks for the destination; write memory does not', async () => {
    const { sh } = await enabledIos();
    await sh.run('copy running-config startup-config', /Destination filename \[startup-config\]\? $/);
    assert.match(await sh.run('', /R1#$/), /Building configuration\.\.\.\r\n\[OK\]/);
    assert.match(await sh.run('write memory', /R1#$/), /Building configuration\.\.\.\r\n\[OK\]/);
  });

  it('huawei save asks Y/N; comware save force does not', async () => {
    const dev = await device({ profile: 'huawei' });
    const sh = await shell(dev);
    await sh.expect(/<R1>$/);
    await sh.run('save', /Are you sure to continue\?\[Y\/N\]$/);
    assert.match(await sh.run('y', /<R1>$/), /Save the configuration successfully/);
    const comware = await device({ profile: 'hp_comware' });
    const csh = await shell(comware);
    await csh.expect(/<H3C>$/);
    assert.match(
      await csh.run('save force', /<H3C>$/),
      /Saved the current configuration to mainboard device successfully/,
    );
  });
});

describe('candidate configuration', () => {
  it('junos: set is invisible until commit; show | compare lists it', async () => {
    const dev = await device({ profile: 'juniper_junos' });
    const sh = await shell(dev);
    const prompt = /admin@R1# $/;
    await sh.expect(/admin@R1> $/);
    await sh.run('configure', prompt);
    await sh.run('set interfaces ge-0/0/2 description np-unit', prompt);
    assert.doesNotMatch(dev.runningConfig(), /np-unit/);
    assert.match(await sh.run('show | compare', prompt), /\+ {3}description np-unit;/);
    assert.match(await sh.run('commit', prompt), /commit complete/);
    assert.match(dev.runningConfig(), /ge-0\/0\/2 \{\n {8}description np-unit;/);
    assert.match(await sh.run('exit', /admin@R1> $/), /Exiting configuration mode/);
  });

  it('XR: leaving with uncommitted changes asks yes/no/cancel; no discards, commit applies', async () => {
    const dev = await device({ profile: 'cisco_xr' });
    const sh = await shell(dev);
    const config = /RP\/0\/RSP0\/CPU0:R1\(config(-if)?\)#$/;
    await sh.expect(/CPU0:R1#$/);
    await sh.run('configure terminal', config);
    await sh.run('interface Loopback5', config);
    await sh.run('description dropped', config);
    await sh.run('end', /Uncommitted changes found, commit them before exiting\(yes\/no\/cancel\)\? \[cancel\]:$/);
    await sh.run('no', /CPU0:R1#$/);
    assert.doesNotMatch(dev.runningConfig(), /dropped/);
    await sh.run('configure terminal', config);
    await sh.run('interface Loopback6', config);
    await sh.run('description kept', config);
    assert.match(await sh.run('show configuration', config), /interface Loopback6\r\n description kept/);
    await sh.run('commit', config);
    await sh.run('end', /CPU0:R1#$/);
    assert.match(dev.runningConfig(), /interface Loopback6\n description kept/);
  });
});

describe('exec channel and auth methods', () => {
  it('exec runs one command, exit status 0; an invalid command exits 1', async () => {
    const dev = await device({ profile: 'cisco_ios' });
    const client = await connectClient(dev);
    track({ close: () => client.end() });
    const run = (command: string) =>
      new Promise<{ out: string; code: number | null }>((resolve, reject) => {
        client.exec(command, (err, stream) => {
          if (err) return reject(err);
          let out = '';
          let code: number | null = null;
          stream.on('data', (d: Buffer) => (out += d.toString()));
          stream.on('exit', (c: number | null) => (code = c));
          stream.on('close', () => resolve({ out, code }));
        });
      });
    const version = await run('show version');
    assert.equal(version.code, 0);
    assert.match(version.out, /^Cisco IOS Software/);
    assert.doesNotMatch(version.out, /--More--|R1#/);
    assert.equal((await run('show nonsense')).code, 1);
  });

  it('keyboard-interactive login works', async () => {
    const dev = await device({ profile: 'cisco_nxos' });
    const sh = await Shell.open(dev, { keyboardInteractive: true });
    track(sh);
    await sh.expect(promptAtEnd('N9K1# '));
    assert.equal(dev.sessions, 1);
  });
});
