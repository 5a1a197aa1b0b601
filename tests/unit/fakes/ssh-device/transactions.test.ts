/**
 * The simulator's transaction features typed by hand over a real SSH shell: IOS flash files
 * (TCL), archive diffs, configure replace and the revert timer; Junos commit confirmed, commit
 * history and rollback N; IOS-XR commit confirmed, commit replace and rollback configuration.
 * timeScale 0.01 turns a one-minute timer into 0.6 s.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trackedSimulators, type Shell } from './shell-client.ts';

const sims = trackedSimulators();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function iosEnabled(sh: Shell): Promise<void> {
  await sh.expect(/R1>$/);
  sh.line('enable');
  await sh.expect(/Password: $/);
  sh.line('secret');
  await sh.run('terminal length 0', /R1#$/);
}

describe('simulator: IOS flash files and configuration archive', () => {
  it('writes a file with TCL, shows it, diffs it and replaces the running config with it', async () => {
    const dev = await sims.device({ profile: 'cisco_ios' });
    const sh = await sims.shell(dev);
    await iosEnabled(sh);
    await sh.run('tclsh', /R1\(tcl\)#$/);
    await sh.run('set f [open "flash:cand.txt" w+]', /R1\(tcl\)#$/);
    const config = dev
      .runningConfig()
      .replace('ip route 0.0.0.0 0.0.0.0 192.0.2.254\n', '')
      .replace('hostname R1', 'hostname R9');
    for (const line of config.split('\n')) await sh.run(`puts $f {${line}}`, /R1\(tcl\)#$/);
    await sh.run('close $f', /R1\(tcl\)#$/);
    await sh.run('tclquit', /R1#$/);
    assert.match(await sh.run('dir', /R1#$/), /Directory of flash:\/[\s\S]*cand\.txt/);
    assert.match(await sh.run('more flash:cand.txt', /R1#$/), /hostname R9/);
    const diff = await sh.run('show archive config differences system:running-config flash:cand.txt', /R1#$/);
    const expected = [
      '!Contextual Config Diffs:',
      '+hostname R9',
      '-hostname R1',
      '-ip route 0.0.0.0 0.0.0.0 192.0.2.254',
    ].join('\r\n');
    assert.ok(diff.includes(expected), diff);
    assert.match(await sh.run('configure replace flash:cand.txt force', /R9#$/), /Rollback Done/);
    assert.doesNotMatch(dev.runningConfig(), /ip route 0\.0\.0\.0/);
  });

  it('copy asks for the destination unless file prompt quiet; copy to running-config merges line by line', async () => {
    const dev = await sims.device({ profile: 'cisco_ios' });
    const sh = await sims.shell(dev);
    await iosEnabled(sh);
    sh.line('copy running-config flash:backup.txt');
    await sh.expect(/Destination filename \[backup\.txt\]\? $/);
    assert.match(await sh.run('', /R1#$/), /bytes copied/);
    await sh.run('configure terminal', /R1\(config\)#$/);
    await sh.run('file prompt quiet', /R1\(config\)#$/);
    await sh.run('end', /R1#$/);
    await sh.run('tclsh', /\(tcl\)#$/);
    await sh.run('set m [open "flash:merge.txt" w+]', /\(tcl\)#$/);
    await sh.run('puts $m "interface Loopback5"', /\(tcl\)#$/);
    await sh.run('puts $m " description \\"quoted\\" \\{x\\}"', /\(tcl\)#$/);
    await sh.run('puts $m {end}', /\(tcl\)#$/);
    await sh.run('close $m', /\(tcl\)#$/);
    await sh.run('tclquit', /R1#$/);
    const incr = await sh.run('show archive config incremental-diffs flash:merge.txt ignorecase', /R1#$/);
    assert.match(incr, /!List of Commands:\r\ninterface Loopback5\r\n description "quoted" \{x\}\r\nend/);
    await sh.run('copy flash:merge.txt running-config', /R1#$/);
    assert.match(dev.runningConfig(), /^interface Loopback5\n description "quoted" \{x\}$/m);
  });

  it('the revert timer needs the archive and really reverts; configure confirm keeps the change', async () => {
    const dev = await sims.device({ profile: 'cisco_ios', timeScale: 0.01 });
    const sh = await sims.shell(dev);
    await iosEnabled(sh);
    assert.match(await sh.run('configure terminal revert timer 1', /R1#$/), /%Please turn config archive on/);
    await sh.run('configure terminal', /\(config\)#$/);
    await sh.run('archive', /\(config-archive\)#$/);
    await sh.run('path flash:archive', /\(config-archive\)#$/);
    await sh.run('end', /R1#$/);
    assert.match(await sh.run('show archive config rollback timer', /R1#$/), /No Rollback Confirmed Change pending/);
    await sh.run('configure terminal revert timer 1', /R1\(config\)#$/);
    await sh.run('hostname R5', /R5\(config\)#$/);
    await sh.run('end', /R5#$/);
    assert.match(await sh.run('show archive config rollback timer', /R5#$/), /Timer value: 1 min/);
    await sleep(900);
    assert.match(dev.runningConfig(), /^hostname R1$/m, 'reverted after the (scaled) minute');
    await sh.run('configure terminal revert timer 1', /\(config\)#$/);
    await sh.run('hostname R6', /R6\(config\)#$/);
    await sh.run('end', /R6#$/);
    await sh.run('configure confirm', /R6#$/);
    await sleep(900);
    assert.match(dev.runningConfig(), /^hostname R6$/m, 'confirmed: kept');
  });
});

describe('simulator: Junos commit confirmed and rollback', () => {
  it('an unconfirmed commit rolls back; commit confirms; rollback N loads commit N', async () => {
    const dev = await sims.device({ profile: 'juniper_junos', timeScale: 0.01 });
    const sh = await sims.shell(dev);
    await sh.expect(/admin@R1> $/);
    await sh.run('set cli screen-length 0', /admin@R1> $/);
    await sh.run('configure', /admin@R1# $/);
    await sh.run('set interfaces ge-0/0/2 description first', /admin@R1# $/);
    const out = await sh.run('commit confirmed 1 comment "try it"', /admin@R1# $/);
    assert.match(out, /commit confirmed will be automatically rolled back in 1 minutes unless confirmed/);
    const history = await sh.run('run show system commit', /admin@R1# $/);
    assert.match(history, /commit confirmed, rollback in 1mins\r\n {4}try it/);
    await sleep(900);
    assert.doesNotMatch(dev.runningConfig(), /description first/);
    await sh.run('exit configuration-mode', /admin@R1> $/);
    await sh.run('configure', /admin@R1# $/);
    await sh.run('set interfaces ge-0/0/2 description second', /admin@R1# $/);
    await sh.run('commit confirmed 1', /admin@R1# $/);
    await sh.run('commit', /admin@R1# $/);
    await sleep(900);
    assert.match(dev.runningConfig(), /description second/);
    // Confirming is a commit of its own: rollback 1 is the commit confirmed, 2 the automatic rollback.
    assert.match(await sh.run('rollback 2', /admin@R1# $/), /load complete/);
    assert.match(await sh.run('show | compare', /admin@R1# $/), /-\s+description second;/);
    await sh.run('rollback 0', /admin@R1# $/);
    sh.line('delete');
    await sh.expect(/Delete everything under this level\? \[yes,no\] \(no\) $/);
    await sh.run('yes', /admin@R1# $/);
    assert.match(await sh.run('show | compare', /admin@R1# $/), /-\s+host-name R1;/);
  });
});

describe('simulator: IOS-XR commit confirmed, commit replace, rollback configuration', () => {
  it('reverts an unconfirmed commit, replaces with commit replace and rolls back the last commit', async () => {
    const dev = await sims.device({ profile: 'cisco_xr', timeScale: 0.01 });
    const sh = await sims.shell(dev);
    const exec = /CPU0:R1#$/;
    const config = /CPU0:R1\(config[\w-]*\)#$/;
    await sh.expect(exec);
    await sh.run('configure terminal', config);
    await sh.run('interface GigabitEthernet0/0/0/2', config);
    await sh.run('description trial', config);
    await sh.run('commit confirmed 60', config);
    await sh.run('abort', exec);
    assert.match(dev.runningConfig(), /description trial/);
    await sleep(900);
    assert.doesNotMatch(dev.runningConfig(), /description trial/);
    assert.match(await sh.run('show configuration commit list detail', exec), /Comment: automatic rollback/);
    await sh.run('configure terminal', config);
    await sh.run('hostname R1', config);
    await sh.run('interface Loopback0', config);
    await sh.run('ipv4 address 203.0.113.21 255.255.255.255', config);
    await sh.run('commit replace comment only-this', config);
    await sh.run('abort', exec);
    assert.doesNotMatch(dev.runningConfig(), /router static/);
    assert.match(await sh.run('rollback configuration last 1', exec), /successfully rolled back 1 commits/);
    assert.match(dev.runningConfig(), /router static/);
  });
});
