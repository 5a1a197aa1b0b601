import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import manifest, { LeastLoadRandomSelector } from '../../../../plugins/schedulers/least_load_random/index.ts';
import { seededRandom } from '../../../conformance/scheduler.ts';
import { hosts, names, sequence, snapshot } from './helpers.ts';

describe('least_load_random scheduler', () => {
  it('has a scheduler manifest named least_load_random', () => {
    assert.equal(manifest.kind, 'scheduler');
    assert.equal(manifest.name, 'least_load_random');
  });

  it('select draws only among nodes tied on least count and most remaining', () => {
    const nodes = snapshot(['busy', 3, 8], ['small', 1, 2], ['t1', 1, 8], ['t2', 1, 8], ['t3', 1, 8], ['zero', 0, 0]);
    const sel = new LeastLoadRandomSelector({ random: seededRandom(11) });
    const seen = new Map<string, number>();
    for (let i = 0; i < 600; i++) {
      const name = sel.select(nodes, 'h')!.hostname;
      seen.set(name, (seen.get(name) ?? 0) + 1);
    }
    assert.deepEqual([...seen.keys()].sort(), ['t1', 't2', 't3']);
    for (const n of seen.values()) assert.ok(n > 120, `tie-break not uniform: ${[...seen]}`);
  });

  it('uses the injected RNG (0 → first tie, just below 1 → last tie)', () => {
    const nodes = snapshot(['t1', 0, 4], ['t2', 0, 4], ['t3', 0, 4]);
    assert.equal(new LeastLoadRandomSelector({ random: () => 0 }).select(nodes, 'h')?.hostname, 't1');
    assert.equal(new LeastLoadRandomSelector({ random: () => 0.9999 }).select(nodes, 'h')?.hostname, 't3');
  });

  it('survives an RNG that returns out-of-range values', () => {
    const nodes = snapshot(['t1', 0, 4], ['t2', 0, 4]);
    for (const v of [1, 7, -3, Number.NaN]) {
      const sel = new LeastLoadRandomSelector({ random: () => v });
      assert.ok(sel.select(nodes, 'h'));
      assert.equal(sel.selectBatch(nodes, hosts(8)).filter(Boolean).length, 8);
    }
  });

  it('selectBatch spreads across least-loaded nodes', () => {
    const sel = new LeastLoadRandomSelector({ random: seededRandom(3) });
    const nodes = snapshot(['a', 0, 4], ['b', 0, 4], ['c', 0, 4]);
    const out = names(sel.selectBatch(nodes, hosts(6)));
    for (const n of ['a', 'b', 'c']) assert.equal(out.filter((x) => x === n).length, 2);
  });

  it('selectBatch fills lower-count nodes up to the next level before using busier ones', () => {
    const sel = new LeastLoadRandomSelector({ random: seededRandom(5) });
    const nodes = snapshot(['idle', 0, 10], ['busy', 3, 10]);
    // idle takes 3 hosts to reach busy's count, then they alternate.
    const out = names(sel.selectBatch(nodes, hosts(5)));
    assert.deepEqual(out.slice(0, 3), ['idle', 'idle', 'idle']);
    assert.deepEqual(out.slice(3).sort(), ['busy', 'idle']);
  });

  it('selectBatch places every host while capacity exists (reference left hosts unplaced)', () => {
    const sel = new LeastLoadRandomSelector({ random: sequence(0.5) });
    // Same count level, different remaining: the reference only used 'a' and left 2 hosts None.
    const nodes = snapshot(['a', 0, 4], ['b', 0, 2]);
    const out = names(sel.selectBatch(nodes, hosts(7)));
    assert.equal(out.filter((x) => x === 'a').length, 4);
    assert.equal(out.filter((x) => x === 'b').length, 2);
    assert.equal(out[6], null);
  });
});
