/**
 * The nxos, junos and iosxr getters against recorded outputs (tests/fixtures/napalm, written for this
 * project; see its README): each case folder is served as the device (NAPALM's mocked-data file
 * names) and the getter's result must equal expected_result.json by NAPALM's comparison rules.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NapalmCli } from '../../../../../plugins/drivers/napalm/device.ts';
import {
  callGetter,
  getterArgs,
  gettersOf,
  isGetter,
  NAPALM_GETTER_NAMES,
} from '../../../../../plugins/drivers/napalm/getters/index.ts';
import { ReplayStore } from '../../../../fakes/replay.ts';
import { napalmDiff } from '../../../../helpers/napalm-corpus.ts';
import { PROJECT_ROOT } from '../../../../helpers/server.ts';

const ROOT = resolve(PROJECT_ROOT, 'tests/fixtures/napalm');

/** The platform's invalid-input answer for a command without a recording. */
const INVALID: Record<string, string> = {
  nxos: "                 ^\n% Invalid command at '^' marker.",
  junos: '                  ^\nsyntax error, expecting <command>.',
  iosxr: "                 ^\n% Invalid input detected at '^' marker.",
};

function cliOf(platform: string, store: ReplayStore): NapalmCli {
  return {
    transport: 'ssh',
    platform,
    async run(command) {
      return store.lookup(command, 'txt') ?? INVALID[platform];
    },
    async configure() {
      throw new Error('not used by getters');
    },
  };
}

for (const platform of ['nxos', 'junos', 'iosxr']) {
  const base = join(ROOT, platform);
  if (!existsSync(base)) continue;
  describe(`${platform} getters on recorded outputs`, () => {
    for (const getter of readdirSync(base).sort()) {
      for (const c of readdirSync(join(base, getter)).sort()) {
        it(`${getter}/${c}`, async () => {
          assert.ok(isGetter(getter), getter);
          const dir = join(base, getter, c);
          const argsFile = join(dir, 'args.json');
          const given = existsSync(argsFile)
            ? (JSON.parse(readFileSync(argsFile, 'utf8')) as Record<string, unknown>)
            : {};
          const result = await callGetter(cliOf(platform, new ReplayStore([dir])), getter, getterArgs(getter, given));
          const expected = JSON.parse(readFileSync(join(dir, 'expected_result.json'), 'utf8'));
          assert.equal(napalmDiff(JSON.parse(JSON.stringify(result)), expected), null);
        });
      }
    }
  });
}

describe('getter coverage per platform', () => {
  it('nxos, nxos_ssh and junos have every getter; each has a recorded-output case', () => {
    for (const platform of ['nxos', 'nxos_ssh', 'junos']) {
      assert.deepEqual(gettersOf(platform), NAPALM_GETTER_NAMES, platform);
    }
    for (const platform of ['nxos', 'junos']) {
      const cases = readdirSync(join(ROOT, platform));
      assert.deepEqual(
        NAPALM_GETTER_NAMES.filter((g) => g !== 'is_alive' && !cases.includes(g)),
        [],
        `${platform} getters without a recorded case`,
      );
    }
  });

  it('a getter iosxr lacks answers NOT_IMPLEMENTED saying why', async () => {
    const cli = cliOf('iosxr', new ReplayStore([join(ROOT, 'iosxr', 'get_users', 'normal')]));
    await assert.rejects(callGetter(cli, 'get_facts', {}), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'NP_ERR_NOT_IMPLEMENTED');
      assert.match(e.message, /get_facts is not supported on iosxr: .*XML agent/);
      return true;
    });
  });
});
