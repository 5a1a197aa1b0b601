/**
 * Node-selector conformance suite: the properties every `scheduler` plugin must hold, checked
 * over many seeded random snapshots (so a failure is reproducible from the printed seed).
 *
 * Usage from a test file (third-party authors can do the same with their own plugin):
 *
 * ```ts
 * import { runSchedulerConformance, seededRandom } from '../conformance/scheduler.ts';
 * runSchedulerConformance('my_sched', () => new MySelector({ random: seededRandom(1) }), { deterministic: true });
 * ```
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeInfo, NodeSelector } from '../../core/contracts/scheduler.ts';

export interface SchedulerConformanceOptions {
  /**
   * Two fresh instances from `make` return the same choices for the same inputs. True for
   * deterministic algorithms, and for random ones when `make` seeds their RNG. Default false.
   */
  deterministic?: boolean;
  /** Number of random snapshots per property. Default 300. */
  runs?: number;
  /** Seed of the snapshot generator. Default 0x5eed. */
  seed?: number;
}

/** mulberry32: a tiny seeded PRNG with output in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function int(rng: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

function remaining(n: NodeInfo): number {
  return Math.max(0, n.capacity - n.count);
}

/**
 * A random snapshot of 0..12 nodes. Includes the awkward cases on purpose: empty nodes, full
 * nodes, over-full nodes (count > capacity, negative raw remaining), capacity 0 and ties.
 */
export function randomSnapshot(rng: () => number): NodeInfo[] {
  const size = int(rng, 0, 12);
  const nodes: NodeInfo[] = [];
  for (let i = 0; i < size; i++) {
    const capacity = int(rng, 0, 8);
    const shape = rng();
    const count =
      shape < 0.2
        ? capacity // full
        : shape < 0.3
          ? capacity + int(rng, 1, 5) // over-full
          : shape < 0.4
            ? 0
            : int(rng, 0, capacity);
    const hostname = `node-${String.fromCharCode(97 + int(rng, 0, 25))}${i}`;
    nodes.push({ hostname, count, capacity, queue: `NodeQ_${hostname}` });
  }
  return nodes;
}

/** 0..40 hosts, sometimes with repeats (the selector must treat each entry on its own). */
export function randomHosts(rng: () => number): string[] {
  const n = int(rng, 0, 40);
  const hosts: string[] = [];
  for (let i = 0; i < n; i++) {
    hosts.push(
      rng() < 0.1 && hosts.length > 0
        ? hosts[int(rng, 0, hosts.length - 1)]!
        : `10.${int(rng, 0, 255)}.${int(rng, 0, 255)}.${i}`,
    );
  }
  return hosts;
}

function total(nodes: readonly NodeInfo[]): number {
  return nodes.reduce((s, n) => s + remaining(n), 0);
}

function clone(nodes: readonly NodeInfo[]): NodeInfo[] {
  return nodes.map((n) => ({ ...n }));
}

/** Positions of the chosen nodes in the snapshot, for comparing runs (-1 for null). */
function positions(nodes: readonly NodeInfo[], chosen: readonly (NodeInfo | null)[]): number[] {
  return chosen.map((c) => (c === null ? -1 : nodes.indexOf(c)));
}

export function runSchedulerConformance(
  name: string,
  make: () => NodeSelector,
  options: SchedulerConformanceOptions = {},
): void {
  const runs = options.runs ?? 300;
  const seed = options.seed ?? 0x5eed;

  describe(`scheduler conformance: ${name}`, () => {
    it('exposes its name', () => {
      const sel = make();
      assert.equal(sel.name, name);
      assert.match(sel.name, /^[a-z][a-z0-9_]{0,63}$/);
    });

    it('select returns null for an empty snapshot and when every node is full or over-full', () => {
      const sel = make();
      assert.equal(sel.select([], '10.0.0.1'), null);
      const full: NodeInfo[] = [
        { hostname: 'a', count: 4, capacity: 4, queue: 'NodeQ_a' },
        { hostname: 'b', count: 9, capacity: 4, queue: 'NodeQ_b' },
        { hostname: 'c', count: 0, capacity: 0, queue: 'NodeQ_c' },
      ];
      assert.equal(sel.select(full, '10.0.0.1'), null);
    });

    it('select never picks a full node even when an over-full node sits beside a free one', () => {
      const sel = make();
      const nodes: NodeInfo[] = [
        { hostname: 'over', count: 12, capacity: 4, queue: 'NodeQ_over' },
        { hostname: 'full', count: 4, capacity: 4, queue: 'NodeQ_full' },
        { hostname: 'free', count: 3, capacity: 4, queue: 'NodeQ_free' },
      ];
      for (let i = 0; i < 50; i++) assert.equal(sel.select(nodes, `10.0.0.${i}`), nodes[2]);
    });

    it(`select: a node from the snapshot with a free slot, null iff none has one (${runs} snapshots, seed ${seed})`, () => {
      const rng = seededRandom(seed);
      const sel = make();
      for (let r = 0; r < runs; r++) {
        const nodes = randomSnapshot(rng);
        const before = clone(nodes);
        const host = `10.1.${r & 255}.${int(rng, 0, 255)}`;
        const chosen = sel.select(nodes, host);
        const ctx = `run ${r}: ${JSON.stringify(nodes)} host ${host}`;
        assert.deepEqual(nodes, before, `select mutated its input; ${ctx}`);
        if (total(nodes) === 0) {
          assert.equal(chosen, null, `expected null without capacity; ${ctx}`);
        } else {
          assert.notEqual(chosen, null, `returned null although capacity exists; ${ctx}`);
          assert.ok(nodes.includes(chosen!), `returned a node not in the snapshot; ${ctx}`);
          assert.ok(remaining(chosen!) > 0, `picked a node without a free slot; ${ctx}`);
        }
      }
    });

    it('selectBatch returns [] for no hosts', () => {
      const sel = make();
      assert.deepEqual(sel.selectBatch([], []), []);
      assert.deepEqual(sel.selectBatch([{ hostname: 'a', count: 0, capacity: 2, queue: 'NodeQ_a' }], []), []);
    });

    it('selectBatch returns all nulls when there is no capacity', () => {
      const sel = make();
      assert.deepEqual(sel.selectBatch([], ['h1', 'h2']), [null, null]);
      const full: NodeInfo[] = [
        { hostname: 'a', count: 2, capacity: 2, queue: 'NodeQ_a' },
        { hostname: 'b', count: 5, capacity: 2, queue: 'NodeQ_b' },
      ];
      assert.deepEqual(sel.selectBatch(full, ['h1', 'h2', 'h3']), [null, null, null]);
    });

    it('selectBatch ignores over-full nodes when counting capacity (no negative remaining)', () => {
      const sel = make();
      const nodes: NodeInfo[] = [
        { hostname: 'over', count: 10, capacity: 2, queue: 'NodeQ_over' },
        { hostname: 'free', count: 0, capacity: 3, queue: 'NodeQ_free' },
      ];
      // The reference summed -8 + 3 < 3 and refused the whole batch.
      assert.deepEqual(sel.selectBatch(nodes, ['h1', 'h2', 'h3', 'h4']), [nodes[1], nodes[1], nodes[1], null]);
    });

    it(`selectBatch: one entry per host, never overfills, places min(hosts, capacity) (${runs} snapshots, seed ${seed})`, () => {
      const rng = seededRandom(seed ^ 0x9e3779b9);
      const sel = make();
      for (let r = 0; r < runs; r++) {
        const nodes = randomSnapshot(rng);
        const hosts = randomHosts(rng);
        const before = clone(nodes);
        const out = sel.selectBatch(nodes, hosts);
        const ctx = `run ${r}: ${JSON.stringify(nodes)} hosts ${hosts.length}`;
        assert.deepEqual(nodes, before, `selectBatch mutated its input; ${ctx}`);
        assert.ok(Array.isArray(out), `not an array; ${ctx}`);
        assert.equal(out.length, hosts.length, `length differs from hosts; ${ctx}`);
        const used = new Map<NodeInfo, number>();
        for (const c of out) {
          if (c === null) continue;
          assert.ok(nodes.includes(c), `returned a node not in the snapshot; ${ctx}`);
          used.set(c, (used.get(c) ?? 0) + 1);
        }
        for (const [node, n] of used) {
          assert.ok(n <= remaining(node), `overfilled ${node.hostname}: ${n} > ${remaining(node)}; ${ctx}`);
        }
        const placed = out.filter((c) => c !== null).length;
        assert.equal(placed, Math.min(hosts.length, total(nodes)), `placed count; ${ctx}`);
      }
    });

    it('selectBatch with exactly total capacity fills every slot', () => {
      const sel = make();
      const nodes: NodeInfo[] = [
        { hostname: 'a', count: 1, capacity: 3, queue: 'NodeQ_a' },
        { hostname: 'b', count: 0, capacity: 1, queue: 'NodeQ_b' },
        { hostname: 'c', count: 3, capacity: 3, queue: 'NodeQ_c' },
        { hostname: 'd', count: 2, capacity: 5, queue: 'NodeQ_d' },
      ];
      const out = sel.selectBatch(nodes, ['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
      const per = nodes.map((n) => out.filter((c) => c === n).length);
      assert.deepEqual(per, [2, 1, 0, 3]);
    });

    it('selectBatch handles a large batch in bounded time', () => {
      const sel = make();
      const nodes: NodeInfo[] = Array.from({ length: 64 }, (_, i) => ({
        hostname: `n${i}`,
        count: i % 7,
        capacity: 40,
        queue: `NodeQ_n${i}`,
      }));
      const hosts = Array.from({ length: 3000 }, (_, i) => `h${i}`);
      const started = performance.now();
      const out = sel.selectBatch(nodes, hosts);
      assert.equal(out.filter((c) => c !== null).length, Math.min(3000, total(nodes)));
      assert.ok(performance.now() - started < 5000, 'selectBatch took more than 5 s for 3000 hosts');
    });

    if (options.deterministic) {
      it('is deterministic: fresh instances give the same choices for the same inputs', () => {
        const a = make();
        const b = make();
        const rng = seededRandom(seed + 1);
        for (let r = 0; r < Math.min(runs, 100); r++) {
          const nodes = randomSnapshot(rng);
          const hosts = randomHosts(rng);
          const host = hosts[0] ?? 'h';
          assert.deepEqual(
            positions(nodes, [a.select(nodes, host)]),
            positions(nodes, [b.select(nodes, host)]),
            `select differs on run ${r}`,
          );
          assert.deepEqual(
            positions(nodes, a.selectBatch(nodes, hosts)),
            positions(nodes, b.selectBatch(nodes, hosts)),
            `selectBatch differs on run ${r}`,
          );
        }
      });
    }
  });
}
