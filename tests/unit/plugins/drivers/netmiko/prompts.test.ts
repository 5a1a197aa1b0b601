import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEVICE_TYPES,
  PLATFORMS,
  detectMode,
  findPlatform,
} from '../../../../../plugins/drivers/netmiko/platforms/index.ts';
import type { CliMode } from '../../../../../plugins/drivers/netmiko/platforms/index.ts';

/** Per platform: tails that must be recognised as a given mode, and tails that must not be prompts. */
const CASES: Record<string, { match: [string, CliMode][]; reject: string[]; base?: [string, string][] }> = {
  cisco_ios: {
    match: [
      ['lab-r1>', 'exec'],
      ['lab-r1# ', 'privileged'],
      ['R1.example.com#', 'privileged'],
      ['lab-r1(config)# ', 'config'],
      ['lab-r1(config-if)#', 'config'],
      ['lab-r1(config-router-af)# ', 'config'],
      ['output line\nlab-r1#', 'privileged'],
    ],
    reject: [
      'lab-r1# show version',
      'lab-r1(tcl)#',
      '% Unknown command: foo',
      'Building configuration...',
      'interface lo9',
      '',
      'lab-r1#  extra',
      'Password: ',
    ],
    base: [
      ['lab-r1#', 'lab-r1'],
      ['a-very-long-hostname-router#', 'a-very-long-host'],
    ],
  },
  cisco_xe: {
    match: [
      ['csr1000v>', 'exec'],
      ['csr1000v#', 'privileged'],
      ['csr1000v(config-line)#', 'config'],
    ],
    reject: ['csr1000v#show run', 'Current configuration : 1234 bytes'],
  },
  cisco_nxos: {
    match: [
      ['nx-9k>', 'exec'],
      ['nx-9k# ', 'privileged'],
      ['nx-9k(maint-mode)#', 'privileged'],
      ['nx-9k(config)#', 'config'],
      ['nx-9k(config-if)# ', 'config'],
      ['nx-9k(config-s-abc)#', 'config'],
    ],
    reject: ['nx-9k(config-tcl)#', 'nx-9k# show version', 'nx/9k#'],
  },
  cisco_xr: {
    match: [
      ['RP/0/RSP0/CPU0:r1#', 'privileged'],
      ['RP/0/RP0/CPU0:xr-1# ', 'privileged'],
      ['RP/0/RSP0/CPU0:r1(config)#', 'config'],
      ['RP/0/RSP0/CPU0:r1(config-if)# ', 'config'],
    ],
    reject: ['RP/0/RSP0/CPU0:r1>', 'Sat Mar  3 17:49:03.596 UTC', 'RP/0/RSP0/CPU0:r1#show run'],
    base: [['RP/0/RSP0/CPU0:a-long-router-name-here#', 'RP/0/RSP0/CPU0:a-long-router-na']],
  },
  arista_eos: {
    match: [
      ['veos1>', 'exec'],
      ['veos1#', 'privileged'],
      ['veos1(s1)#', 'privileged'],
      ['veos1(config)#', 'config'],
      ['veos1(config-if-Et1)# ', 'config'],
      ['veos1(config-s-sess1)#', 'config'],
    ],
    reject: ['veos1#show ver', '% Invalid input', 'Pagination disabled.'],
  },
  juniper_junos: {
    match: [
      ['admin@vmx1>', 'privileged'],
      ['admin@vmx1> ', 'privileged'],
      ['{master:0}\nadmin@vmx1> ', 'privileged'],
      ['[edit]\nadmin@vmx1# ', 'config'],
      ['admin@vmx1#', 'config'],
    ],
    reject: ['admin@vmx1> show version', '[edit]', 'commit complete', 'root@vmx1%'],
    base: [['admin@vmx1>', 'admin@vmx1']],
  },
  huawei: {
    match: [
      ['<HUAWEI>', 'privileged'],
      ['<ce-6800>', 'privileged'],
      ['HRP_M<fw1>', 'privileged'],
      ['[HUAWEI]', 'config'],
      ['[HUAWEI-GigabitEthernet0/0/1]', 'config'],
      ['[~HUAWEI]', 'config'],
      ['[*HUAWEI]', 'config'],
    ],
    reject: ['[V200R009C00SPC500]', '<HUAWEI>display version', 'Error: Unrecognized command found', '---- More ----'],
    base: [
      ['<HUAWEI>', 'HUAWEI'],
      ['HRP_M<fw1>', 'fw1'],
      ['[~HUAWEI]', 'HUAWEI'],
    ],
  },
  huawei_vrpv8: {
    match: [
      ['<CE1>', 'privileged'],
      ['[~CE1]', 'config'],
      ['[*CE1-10GE1/0/1]', 'config'],
    ],
    reject: ['[V800R021C00]'],
  },
  hp_comware: {
    match: [
      ['<H3C>', 'privileged'],
      ['<sw-core-1>', 'privileged'],
      ['[H3C]', 'config'],
      ['[H3C-GigabitEthernet1/0/1]', 'config'],
    ],
    reject: ['<H3C>display version', "% Unrecognized command found at '^' position.", '[H3C'],
    base: [
      ['<H3C>', 'H3C'],
      ['[H3C]', 'H3C'],
    ],
  },
  linux: {
    match: [
      ['linux@vm:~$ ', 'exec'],
      ['[user@host ~]$', 'exec'],
      ['bash-5.2$ ', 'exec'],
      ['root@vm:/home/linux# ', 'privileged'],
      ['output\nlinux@vm:/tmp$ ', 'exec'],
    ],
    reject: [
      'linux@vm:~$ uname -a',
      '# comment',
      'Linux vm 6.1.0 #1 SMP x86_64 GNU/Linux',
      '[sudo] password for linux: ',
      '$ ls',
    ],
    base: [
      ['linux@vm:~$', 'linux@vm:~'],
      ['root@vm:/home/linux#', 'root@vm:/home/linux'],
    ],
  },
  dell_os10: {
    match: [
      ['OS10>', 'exec'],
      ['OS10#', 'privileged'],
      ['OS10(config)#', 'config'],
      ['OS10(conf-if-eth1/1/1)#', 'config'],
    ],
    reject: ['OS10# show version', 'Command not found'],
  },
  mikrotik_routeros: {
    match: [
      ['[admin@MikroTik] > ', 'privileged'],
      ['[admin@MikroTik] /ip address> ', 'privileged'],
      ['[admin@rtr-1.lab] >', 'privileged'],
    ],
    reject: ['[admin@MikroTik] > /ip address print', 'Flags: X - disabled', '<MikroTik>'],
    base: [['[admin@MikroTik] > ', '[admin@MikroTik]']],
  },
  nokia_sros: {
    match: [
      ['[/]\nA:admin@node-1# ', 'privileged'],
      ['A:node-1#', 'privileged'],
      ['*A:node-1# ', 'privileged'],
      ['(ex)[/configure]\nA:admin@node-1# ', 'config'],
      ['*(ex)[/configure router "Base"]\nA:admin@node-1#', 'config'],
    ],
    reject: ['A:admin@node-1# show version', 'MINOR: CLI #2069: Operation failed', '[/]'],
    base: [
      ['A:admin@node-1#', 'A:admin@node-1'],
      ['*A:node-1#', 'A:node-1'],
    ],
  },
  fortinet: {
    match: [
      ['FGT60E # ', 'privileged'],
      ['FGT60E (global) # ', 'privileged'],
      ['fw-1 $ ', 'privileged'],
    ],
    reject: ['FGT60E # get system status', 'Version: FortiGate-60E v6.4.5', '--More--'],
    base: [
      ['FGT60E # ', 'FGT60E'],
      ['FGT60E (global) #', 'FGT60E'],
    ],
  },
};

describe('netmiko platform prompt patterns', () => {
  it('has a case table for every platform and no duplicate names', () => {
    assert.deepEqual(Object.keys(CASES).sort(), PLATFORMS.map((p) => p.name).sort());
    assert.equal(new Set(DEVICE_TYPES).size, DEVICE_TYPES.length);
  });

  for (const [name, c] of Object.entries(CASES)) {
    describe(name, () => {
      const platform = findPlatform(name)!;
      it('is frozen data', () => {
        assert.ok(Object.isFrozen(platform));
        assert.ok(Object.isFrozen(platform.prompts));
      });
      for (const [tail, mode] of c.match) {
        it(`recognises ${JSON.stringify(tail)} as ${mode}`, () => {
          assert.equal(detectMode(platform, tail), mode);
        });
      }
      for (const tail of c.reject) {
        it(`does not take ${JSON.stringify(tail)} for a prompt`, () => {
          assert.equal(detectMode(platform, tail), null);
        });
      }
      for (const [line, base] of c.base ?? []) {
        it(`derives base prompt ${JSON.stringify(base)} from ${JSON.stringify(line)}`, () => {
          const raw = platform.basePrompt(line);
          assert.equal(platform.basePromptLength ? raw.slice(0, platform.basePromptLength) : raw, base);
        });
      }
    });
  }

  it('resolves aliases to their platform', () => {
    assert.equal(findPlatform('cisco_ios_ssh')?.name, 'cisco_ios');
    assert.equal(findPlatform('cisco_nxos_ssh')?.name, 'cisco_nxos');
    assert.equal(findPlatform('juniper')?.name, 'juniper_junos');
    assert.equal(findPlatform('huawei_vrp')?.name, 'huawei');
    assert.equal(findPlatform('h3c_comware')?.name, 'hp_comware');
    // ProCurve is a different OS; aliasing it to Comware would send the wrong commands.
    assert.equal(findPlatform('hp_procurve'), undefined);
    assert.equal(findPlatform('cisco_ios_telnet'), undefined);
  });

  it('answers the usual paging prompts on platforms that page', () => {
    const ios = findPlatform('cisco_ios')!;
    for (const line of [
      ' --More-- ',
      '--More--',
      '  ---- More ----',
      '---(more 25%)---',
      '---(more)---',
      '-- More --',
    ]) {
      assert.ok(
        ios.pagingPrompts.some((p) => p.pattern.test(line)),
        line,
      );
    }
    for (const line of ['lab-r1#', 'more output here', 'Use --More-- to page']) {
      assert.ok(!ios.pagingPrompts.some((p) => p.pattern.test(line)), line);
    }
  });
});
