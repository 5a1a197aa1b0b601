import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import manifest, {
  LoadWeightedRandomSelector,
  hostJitterBase,
  selectWeights,
} from '../../../../plugins/schedulers/load_weighted_random/index.ts';
import { fnv1a32 } from '../../../../core/scheduling/capacity.ts';
import { seededRandom } from '../../../conformance/scheduler.ts';
import { hosts, snapshot } from './helpers.ts';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

describe('load_weighted_random scheduler', () => {
  it('has a scheduler manifest named load_weighted_random', () => {
    assert.equal(manifest.kind, 'scheduler');
    assert.equal(manifest.name, 'load_weighted_random');
  });

  it('hashes hosts with FNV-1a 32-bit (published test vectors)', () => {
    assert.equal(fnv1a32(''), 0x811c9dc5);
    assert.equal(fnv1a32('a'), 0xe40c292c);
    assert.equal(fnv1a32('foobar'), 0xbf9cf968);
    assert.equal(hostJitterBase('foobar'), (0xbf9cf968 % 1000) / 1000);
  });

  it('derives the same weights in another process (no per-process salt)', () => {
    const nodes = snapshot(['a', 1, 8], ['b', 0, 4], ['c', 4, 4], ['d', 2, 9]);
    const host = '192.0.2.17';
    const script = [
      "import { selectWeights } from './plugins/schedulers/load_weighted_random/index.ts';",
      `console.log(JSON.stringify(selectWeights(${JSON.stringify(nodes)}, ${JSON.stringify(host)})));`,
    ].join('\n');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.deepEqual(JSON.parse(out.trim()), selectWeights(nodes, host));
  });

  it('weights are remaining × (0.95 + 0.1 × frac(h + i/N)), 0 for full nodes', () => {
    const nodes = snapshot(['a', 1, 8], ['full', 4, 4], ['over', 9, 4], ['d', 2, 9]);
    const h = hostJitterBase('10.0.0.1');
    const w = selectWeights(nodes, '10.0.0.1');
    assert.equal(w[1], 0);
    assert.equal(w[2], 0);
    assert.ok(Math.abs(w[0]! - 7 * (0.95 + 0.1 * ((h + 0) % 1))) < 1e-12);
    assert.ok(Math.abs(w[3]! - 7 * (0.95 + 0.1 * ((h + 3 / 4) % 1))) < 1e-12);
    for (const x of [w[0]!, w[3]!]) assert.ok(x >= 7 * 0.95 && x < 7 * 1.05);
  });

  it('select never returns null when capacity exists, even at the float edge (rng → 1)', () => {
    const nodes = snapshot(['a', 0, 3], ['full', 2, 2], ['b', 1, 2], ['tail-full', 5, 5]);
    for (const v of [0, 0.5, 0.999999999, 1, 1 + 1e-9]) {
      const chosen = new LoadWeightedRandomSelector({ random: () => v }).select(nodes, 'h');
      assert.ok(chosen && chosen.count < chosen.capacity, `rng ${v} gave ${chosen?.hostname}`);
    }
    assert.equal(new LoadWeightedRandomSelector({ random: () => 1 }).select(nodes, 'h')?.hostname, 'b');
  });

  it('select is weighted by remaining slots', () => {
    const nodes = snapshot(['big', 0, 30], ['small', 0, 10]);
    const sel = new LoadWeightedRandomSelector({ random: seededRandom(99) });
    let big = 0;
    const draws = 4000;
    for (let i = 0; i < draws; i++) if (sel.select(nodes, `10.0.${i % 200}.1`)?.hostname === 'big') big += 1;
    const share = big / draws;
    // Expected about 0.75 (30:10), give or take the ±5 % jitter.
    assert.ok(share > 0.68 && share < 0.82, `share of big = ${share}`);
  });

  it('selectBatch places every host up to capacity and favours nodes with more room', () => {
    const sel = new LoadWeightedRandomSelector({ random: seededRandom(1) });
    const nodes = snapshot(['big', 0, 40], ['small', 0, 4]);
    const out = sel.selectBatch(nodes, hosts(20));
    assert.equal(out.filter(Boolean).length, 20);
    assert.ok(out.filter((n) => n?.hostname === 'big').length > 14);
  });
});
