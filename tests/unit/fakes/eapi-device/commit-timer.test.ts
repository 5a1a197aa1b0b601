/**
 * The eAPI simulator's `commit timer`: the session's changes apply at once, the session waits in
 * `pendingCommitTimer`, and without a second commit the device really reverts (timeScale 0.01:
 * one minute = 0.6 s). Committing again confirms; aborting reverts at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEapiDevice, type EapiDeviceHandle } from '../../../fakes/eapi-device/index.ts';
import { runCmds } from './helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('eAPI simulator: commit timer', () => {
  let dev: EapiDeviceHandle;
  before(async () => {
    dev = await startEapiDevice({ timeScale: 0.01 });
  });
  after(() => dev.close());

  const state = async (name: string) => {
    const out = await runCmds(dev, ['show configuration sessions detail']);
    return out.result?.[0].sessions[name] as { state: string; commitTimerSessionName: string } | undefined;
  };

  it('reverts an unconfirmed session, keeps a confirmed one, and abort reverts at once', async () => {
    await runCmds(dev, ['configure session t1', 'interface Ethernet3', 'description timed', 'end']);
    const committed = await runCmds(dev, ['configure session t1 commit timer 00:01:00']);
    assert.ok(committed.result, JSON.stringify(committed));
    assert.match(dev.runningConfig(), /description timed/);
    const timed = await state('t1');
    assert.deepEqual([timed?.state, timed?.commitTimerSessionName], ['pendingCommitTimer', 't1']);
    await sleep(900);
    assert.doesNotMatch(dev.runningConfig(), /description timed/);
    assert.equal(await state('t1'), undefined);

    await runCmds(dev, ['configure session t2', 'interface Ethernet3', 'description kept', 'end']);
    await runCmds(dev, ['configure session t2 commit timer 00:01:00']);
    await runCmds(dev, ['configure session t2 commit']);
    await sleep(900);
    assert.match(dev.runningConfig(), /description kept/);
    assert.equal((await state('t2'))?.state, 'completed');

    await runCmds(dev, ['configure session t3', 'interface Ethernet4', 'description aborted', 'end']);
    await runCmds(dev, ['configure session t3 commit timer 00:10:00']);
    assert.match(dev.runningConfig(), /description aborted/);
    await runCmds(dev, ['configure session t3 abort']);
    assert.doesNotMatch(dev.runningConfig(), /description aborted/);
    assert.match(dev.runningConfig(), /description kept/);
  });
});
