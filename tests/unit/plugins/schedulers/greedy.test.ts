import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import manifest, { GreedySelector } from '../../../../plugins/schedulers/greedy/index.ts';
import { hosts, names, snapshot } from './helpers.ts';
import { pluginContext } from '../../../../core/plugin/define.ts';

const log = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return log;
  },
};

describe('greedy scheduler', () => {
  it('has a scheduler manifest named greedy', async () => {
    assert.equal(manifest.kind, 'scheduler');
    assert.equal(manifest.name, 'greedy');
    assert.equal(manifest.version, '1.0.0');
    const impl = await manifest.register(pluginContext({ config: {}, log }));
    assert.equal(impl.name, 'greedy');
  });

  it('select takes the first node with a free slot, in snapshot order', () => {
    const sel = new GreedySelector();
    const nodes = snapshot(['full', 4, 4], ['over', 7, 4], ['zero', 0, 0], ['b', 3, 4], ['a', 0, 4]);
    assert.equal(sel.select(nodes, 'h')?.hostname, 'b');
  });

  it('selectBatch fills the fullest node first (count desc, remaining desc, hostname asc), each completely', () => {
    const sel = new GreedySelector();
    const nodes = snapshot(['a', 1, 4], ['b', 3, 4], ['c', 3, 6], ['d', 0, 2], ['full', 5, 5]);
    assert.deepEqual(names(sel.selectBatch(nodes, hosts(7))), ['c', 'c', 'c', 'b', 'a', 'a', 'a']);
    assert.deepEqual(names(sel.selectBatch(nodes, hosts(10))), ['c', 'c', 'c', 'b', 'a', 'a', 'a', 'd', 'd', null]);
  });

  it('breaks full ties by hostname, not snapshot order', () => {
    const sel = new GreedySelector();
    const nodes = snapshot(['zeta', 2, 4], ['alpha', 2, 4]);
    assert.deepEqual(names(sel.selectBatch(nodes, hosts(3))), ['alpha', 'alpha', 'zeta']);
  });

  it('returns the snapshot objects themselves', () => {
    const sel = new GreedySelector();
    const nodes = snapshot(['a', 0, 1]);
    assert.equal(sel.select(nodes, 'h'), nodes[0]);
    assert.equal(sel.selectBatch(nodes, ['h'])[0], nodes[0]);
  });
});
