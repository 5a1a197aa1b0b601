/**
 * The getters against every case of the NAPALM corpus, in process: the device is the corpus case
 * folder itself (the replay store the lab's replay devices use), so a parsing failure shows here
 * with its exact path before the HTTP conformance suite runs the same cases end to end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { NetPulseError } from '../../../../../core/errors.ts';
import type { NapalmCli, NapalmEapi } from '../../../../../plugins/drivers/napalm/device.ts';
import { callGetter, getterArgs, isGetter } from '../../../../../plugins/drivers/napalm/getters/index.ts';
import { ReplayStore } from '../../../../fakes/replay.ts';
import { skipCorpusAbsent } from '../../../../helpers/corpora.ts';
import {
  expectedOf,
  loadCorpus,
  NAPALM_CORPUS,
  napalmDiff,
  planFor,
  RateTable,
} from '../../../../helpers/napalm-corpus.ts';

function cliOf(store: ReplayStore): NapalmCli {
  return {
    transport: 'ssh',
    platform: 'ios',
    async run(command) {
      return store.lookup(command, 'txt') ?? "        ^\n% Invalid input detected at '^' marker.";
    },
    async configure() {
      throw new Error('not used by getters');
    },
  };
}

function eapiOf(store: ReplayStore): NapalmEapi {
  return {
    transport: 'eapi',
    platform: 'eos',
    async run(commands, format = 'json') {
      return commands.map((c) => {
        const cmd = typeof c === 'string' ? c : c.cmd;
        const text = store.lookup(cmd, format);
        if (text === null)
          throw new NetPulseError('NP_ERR_DEVICE_COMMAND', `CLI command 1 of 1 '${cmd}' failed: invalid command`);
        return format === 'json' ? JSON.parse(text) : { output: text };
      });
    },
  };
}

test('getters reproduce the NAPALM corpus (in process)', async (t) => {
  const cases = loadCorpus();
  if (!cases) return skipCorpusAbsent(t, 'napalm', NAPALM_CORPUS);
  const rates = new RateTable();
  const failures: string[] = [];
  for (const c of cases) {
    const dir = join(NAPALM_CORPUS, c.case);
    const store = new ReplayStore(c.platform === 'eos' ? [dir, join(NAPALM_CORPUS, 'cases', 'eos')] : [dir]);
    const device = c.platform === 'ios' ? cliOf(store) : eapiOf(store);
    const plan = planFor(c.test);
    let problem: string | null = null;
    try {
      const results: unknown[] = [];
      for (const call of plan.calls) {
        assert.ok(isGetter(call.getter), call.getter);
        const r = await callGetter(device, call.getter as never, getterArgs(call.getter as never, call.args));
        problem ??= call.check?.(r as Record<string, string>) ?? null;
        results.push(JSON.parse(JSON.stringify(r)));
      }
      problem ??= napalmDiff(plan.combine(results), expectedOf(c));
    } catch (e) {
      problem = `threw ${(e as Error).message}`;
    }
    rates.add(c.platform, c.test, problem === null);
    if (problem) failures.push(`${c.case}: ${problem}`);
  }
  console.log(rates.render('napalm corpus (in process)'));
  assert.deepEqual(failures, []);
});
