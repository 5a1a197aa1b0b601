/**
 * Prompts: the profile's own regexes against its sample lines (data level),
 * then a live walk through every mode of every profile over a real SSH shell,
 * checking each prompt the device prints against those regexes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PROFILES, getProfile, startDevice, type SimDevice } from '../../../fakes/ssh-device/index.ts';
import { Shell, promptAtEnd } from './shell-client.ts';

function patternsOf(profile: string): RegExp[] {
  const prompts = getProfile(profile).prompts;
  return [prompts.user, prompts.privileged, prompts.config]
    .filter((p): p is string => p !== undefined)
    .map((p) => new RegExp(p));
}

describe('prompt table (data)', () => {
  for (const name of PROFILES) {
    it(`${name}: sample lines match, non-prompts do not`, () => {
      const patterns = patternsOf(name);
      const { samples } = getProfile(name).prompts;
      assert.ok(samples.match.length > 0 && samples.noMatch.length > 0);
      for (const line of samples.match)
        assert.ok(
          patterns.some((p) => p.test(line)),
          `${name}: '${line}' should be a prompt`,
        );
      for (const line of samples.noMatch)
        assert.ok(!patterns.some((p) => p.test(line)), `${name}: '${line}' should not be a prompt`);
    });
  }
});

/** [command or null for the login prompt, exact prompt expected after it, pattern family]. */
type Step = [string | null, string, 'user' | 'privileged' | 'config' | 'none'];

const walks: Record<string, Step[]> = {
  cisco_ios: [
    [null, 'R1>', 'user'],
    ['enable', 'Password: ', 'none'],
    ['secret', 'R1#', 'privileged'],
    ['conf t', 'R1(config)#', 'config'],
    ['interface GigabitEthernet0/1', 'R1(config-if)#', 'config'],
    ['router ospf 1', 'R1(config-router)#', 'config'],
    ['exit', 'R1(config)#', 'config'],
    ['end', 'R1#', 'privileged'],
    ['disable', 'R1>', 'user'],
  ],
  cisco_xe: [
    [null, 'R1>', 'user'],
    ['enable', 'Password: ', 'none'],
    ['secret', 'R1#', 'privileged'],
    ['configure terminal', 'R1(config)#', 'config'],
    ['interface GigabitEthernet2', 'R1(config-if)#', 'config'],
    ['end', 'R1#', 'privileged'],
  ],
  cisco_nxos: [
    [null, 'N9K1# ', 'privileged'],
    ['configure terminal', 'N9K1(config)# ', 'config'],
    ['interface Ethernet1/1', 'N9K1(config-if)# ', 'config'],
    ['end', 'N9K1# ', 'privileged'],
  ],
  cisco_xr: [
    [null, 'RP/0/RSP0/CPU0:R1#', 'privileged'],
    ['configure terminal', 'RP/0/RSP0/CPU0:R1(config)#', 'config'],
    ['interface GigabitEthernet0/0/0/1', 'RP/0/RSP0/CPU0:R1(config-if)#', 'config'],
    ['end', 'RP/0/RSP0/CPU0:R1#', 'privileged'],
  ],
  arista_eos: [
    [null, 'SW1>', 'user'],
    ['enable', 'Password: ', 'none'],
    ['secret', 'SW1#', 'privileged'],
    ['configure terminal', 'SW1(config)#', 'config'],
    ['interface Ethernet1', 'SW1(config-if-Et1)#', 'config'],
    ['end', 'SW1#', 'privileged'],
  ],
  juniper_junos: [
    [null, 'admin@R1> ', 'privileged'],
    ['configure', '[edit]\r\nadmin@R1# ', 'config'],
    ['edit interfaces ge-0/0/1', '[edit interfaces ge-0/0/1]\r\nadmin@R1# ', 'config'],
    ['top', '[edit]\r\nadmin@R1# ', 'config'],
    ['exit', 'admin@R1> ', 'privileged'],
  ],
  huawei: [
    [null, '<R1>', 'user'],
    ['system-view', '[R1]', 'config'],
    ['interface GigabitEthernet0/0/1', '[R1-GigabitEthernet0/0/1]', 'config'],
    ['quit', '[R1]', 'config'],
    ['return', '<R1>', 'user'],
  ],
  hp_comware: [
    [null, '<H3C>', 'user'],
    ['system-view', '[H3C]', 'config'],
    ['interface GigabitEthernet1/0/1', '[H3C-GigabitEthernet1/0/1]', 'config'],
    ['return', '<H3C>', 'user'],
  ],
};

describe('prompts per mode over SSH', () => {
  it('every profile has a walk', () => assert.deepEqual(Object.keys(walks).sort(), [...PROFILES].sort()));

  for (const name of PROFILES) {
    describe(name, () => {
      let device: SimDevice;
      before(async () => {
        device = await startDevice({ profile: name });
      });
      after(() => device.close());

      it('prints the expected prompt in each mode', async () => {
        const shell = await Shell.open(device);
        try {
          const prompts = getProfile(name).prompts;
          for (const [command, expected, family] of walks[name]) {
            if (command !== null) shell.line(command);
            await shell.expect(promptAtEnd(expected));
            if (family !== 'none') {
              const lastLine = expected.split('\r\n').pop() ?? '';
              const pattern = prompts[family] ?? prompts.privileged;
              assert.match(lastLine, new RegExp(pattern), `${name} ${family} prompt '${lastLine}'`);
            }
          }
        } finally {
          shell.close();
        }
      });
    });
  }
});
