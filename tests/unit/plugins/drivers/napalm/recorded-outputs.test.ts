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
import { callGetter, getterArgs, isGetter } from '../../../../../plugins/drivers/napalm/getters/index.ts';
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
