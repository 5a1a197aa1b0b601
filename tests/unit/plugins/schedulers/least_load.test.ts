import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import manifest, { LeastLoadSelector } from '../../../../plugins/schedulers/least_load/index.ts';
import { hosts, names, snapshot } from './helpers.ts';

describe('least_load scheduler', () => {
  it('has a scheduler manifest named least_load', () => {
    assert.equal(manifest.kind, 'scheduler');
    assert.equal(manifest.name, 'least_load');
  });

  it('select picks the minimum count among nodes with a free slot', () => {
    const sel = new LeastLoadSelector();
    // 'zero' has the lowest count but no capacity, so it must be skipped.
    const nodes = snapshot(['x', 5, 8], ['zero', 0, 0], ['y', 2, 8], ['z', 3, 8]);
    assert.equal(sel.select(nodes, 'h')?.hostname, 'y');
  });

  it('select breaks count ties by most remaining, then smallest hostname', () => {
    const sel = new LeastLoadSelector();
    assert.equal(sel.select(snapshot(['a', 1, 4], ['b', 1, 8]), 'h')?.hostname, 'b');
    assert.equal(sel.select(snapshot(['m', 1, 4], ['c', 1, 4], ['k', 1, 4]), 'h')?.hostname, 'c');
  });

  it('selectBatch packs: fills the least-loaded node completely before the next', () => {
    const sel = new LeastLoadSelector();
    const nodes = snapshot(['b', 0, 32], ['a', 0, 32]);
    assert.deepEqual(names(sel.selectBatch(nodes, hosts(10))), Array(10).fill('a'));
  });

  it('selectBatch order is count asc, remaining desc, hostname asc', () => {
    const sel = new LeastLoadSelector();
    const nodes = snapshot(['c', 2, 3], ['b', 0, 1], ['a', 0, 2], ['d', 1, 3], ['full', 0, 0]);
    assert.deepEqual(names(sel.selectBatch(nodes, hosts(7))), ['a', 'a', 'b', 'd', 'd', 'c', null]);
  });

  it('a batch of one host picks what select picks', () => {
    const sel = new LeastLoadSelector();
    const nodes = snapshot(['c', 2, 3], ['b', 0, 1], ['a', 0, 2], ['d', 1, 3]);
    assert.equal(sel.selectBatch(nodes, ['h'])[0], sel.select(nodes, 'h'));
  });
});
