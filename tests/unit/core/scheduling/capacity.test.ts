import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { placeBatch, remainingOf, totalRemaining, weightedIndex } from '../../../../core/scheduling/capacity.ts';
import { snapshot } from '../../plugins/schedulers/helpers.ts';

describe('core/scheduling/capacity', () => {
  it('remaining never goes negative and non-finite values count as no capacity', () => {
    const [a, b, c] = snapshot(['a', 1, 4], ['b', 9, 4], ['c', Number.NaN, 4]);
    assert.equal(remainingOf(a!), 3);
    assert.equal(remainingOf(b!), 0);
    assert.equal(remainingOf(c!), 0);
    assert.equal(totalRemaining([a!, b!, c!]), 3);
  });

  it('weightedIndex skips non-positive weights and returns -1 only when none is positive', () => {
    assert.equal(
      weightedIndex([0, 0, 0], () => 0.5),
      -1,
    );
    assert.equal(
      weightedIndex([], () => 0.5),
      -1,
    );
    assert.equal(
      weightedIndex([0, 2, 0, 3, 0], () => 0),
      1,
    );
    assert.equal(
      weightedIndex([0, 2, 0, 3, 0], () => 0.5),
      3,
    );
    assert.equal(
      weightedIndex([0, 2, 0, 3, 0], () => 1),
      3,
    );
    assert.equal(
      weightedIndex([0.1, 0.2, Number.NaN, -1], () => 0.99999999999),
      1,
    );
  });

  it('placeBatch ignores a chooser that returns a slot it was not offered', () => {
    const nodes = snapshot(['a', 0, 1], ['b', 0, 1]);
    const bogus = { node: nodes[0]!, index: 0, count: 0, assigned: 0, remaining: 1 };
    const out = placeBatch(nodes, ['h1', 'h2', 'h3'], () => bogus);
    assert.deepEqual(out, [nodes[0], nodes[1], null]);
  });
});
