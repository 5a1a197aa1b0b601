/**
 * The NAPALM getter corpus (NAPALM's own mocked device outputs and expected results): where it
 * is, which getter calls each case folder stands for, and NAPALM's test comparison rules.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus } from './corpora.ts';

export interface CorpusCase {
  platform: 'ios' | 'eos';
  test: string;
  getter: string;
  call: string;
  /** Relative to the corpus root. */
  case: string;
}

export const NAPALM_CORPUS = corpus('napalm').dir;

export function loadCorpus(): CorpusCase[] | null {
  const manifest = join(NAPALM_CORPUS, 'manifest.json');
  if (!existsSync(manifest)) return null;
  return JSON.parse(readFileSync(manifest, 'utf8')) as CorpusCase[];
}

export function expectedOf(c: CorpusCase): unknown {
  return JSON.parse(readFileSync(join(NAPALM_CORPUS, c.case, 'expected_result.json'), 'utf8'));
}

/** One getter call of a case: its name, the driver_args entry for it, and a check of its own result. */
export interface PlannedCall {
  getter: string;
  args: Record<string, unknown>;
  check?: (result: Record<string, string>) => string | null;
}

const EMPTY_EXCEPT =
  (keep: string) =>
  (r: Record<string, string>): string | null => {
    for (const k of ['running', 'startup', 'candidate']) {
      if (k !== keep && r[k] !== '') return `${k} should be "" when retrieve=${keep}`;
    }
    return null;
  };

/**
 * The calls a case folder stands for (a folder such as get_config_filtered stands for several
 * calls) and how their results make the value compared with expected_result.json.
 */
export function planFor(test: string): { calls: PlannedCall[]; combine: (results: unknown[]) => unknown } {
  const getter = test.replace(/^test_/, '');
  const last = (results: unknown[]): unknown => results[results.length - 1];
  switch (getter) {
    case 'get_arp_table_with_vrf':
      return { calls: [{ getter: 'get_arp_table', args: { vrf: 'TEST' } }], combine: last };
    case 'get_config_filtered':
      return {
        calls: ['running', 'startup', 'candidate'].map((retrieve) => ({
          getter: 'get_config',
          args: { retrieve },
          check: EMPTY_EXCEPT(retrieve),
        })),
        combine: last,
      };
    case 'get_config_sanitized':
      return { calls: [{ getter: 'get_config', args: { sanitized: true } }], combine: last };
    case 'get_config_sanitized_filtered':
      return {
        calls: [
          {
            getter: 'get_config',
            args: { retrieve: 'running', sanitized: true },
            check: (r) => EMPTY_EXCEPT('running')(r) ?? (r.running === '' ? 'running should not be empty' : null),
          },
          { getter: 'get_config', args: { retrieve: 'startup', sanitized: true }, check: EMPTY_EXCEPT('startup') },
        ],
        combine: (results) => {
          const [a, b] = results as Array<Record<string, string>>;
          return { running: a.running, startup: b.startup, candidate: '' };
        },
      };
    default:
      return { calls: [{ getter, args: {} }], combine: last };
  }
}

/**
 * NAPALM's comparison: objects by the union of keys, recursively; numbers by value (1 == 1.0);
 * everything else exactly; the expected string "..." matches anything. Returns the first
 * difference as a path, or null.
 */
export function napalmDiff(got: unknown, expected: unknown, path = '$'): string | null {
  if (expected === '...') return null;
  if (typeof expected === 'number' && typeof got === 'number')
    return got === expected ? null : `${path}: ${got} != ${expected}`;
  if (Array.isArray(expected)) {
    if (!Array.isArray(got)) return `${path}: not an array`;
    if (got.length !== expected.length) return `${path}: ${got.length} items, expected ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = napalmDiff(got[i], expected[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (expected && typeof expected === 'object') {
    if (!got || typeof got !== 'object' || Array.isArray(got))
      return `${path}: not an object (${JSON.stringify(got)?.slice(0, 80)})`;
    const keys = new Set([...Object.keys(expected), ...Object.keys(got)]);
    for (const k of keys) {
      if (!(k in (got as object))) return `${path}.${k}: missing`;
      if (!(k in (expected as object))) return `${path}.${k}: unexpected`;
      const d = napalmDiff(
        (got as Record<string, unknown>)[k],
        (expected as Record<string, unknown>)[k],
        `${path}.${k}`,
      );
      if (d) return d;
    }
    return null;
  }
  return got === expected
    ? null
    : `${path}: ${JSON.stringify(got)?.slice(0, 120)} != ${JSON.stringify(expected)?.slice(0, 120)}`;
}

/** Tallies pass/total per platform and getter folder, and prints them as one table. */
export class RateTable {
  private readonly rows = new Map<string, { pass: number; total: number }>();

  add(platform: string, test: string, ok: boolean): void {
    const key = `${platform} ${test.replace(/^test_/, '')}`;
    const r = this.rows.get(key) ?? { pass: 0, total: 0 };
    r.total++;
    if (ok) r.pass++;
    this.rows.set(key, r);
  }

  render(title: string): string {
    const lines = [...this.rows.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, r]) => `  ${k.padEnd(40)} ${r.pass}/${r.total}`);
    const byPlatform = new Map<string, { pass: number; total: number }>();
    for (const [k, r] of this.rows) {
      const p = k.split(' ')[0];
      const t = byPlatform.get(p) ?? { pass: 0, total: 0 };
      t.pass += r.pass;
      t.total += r.total;
      byPlatform.set(p, t);
    }
    const totals = [...byPlatform.entries()].map(
      ([p, t]) => `${p} ${t.pass}/${t.total} (${((100 * t.pass) / t.total).toFixed(1)}%)`,
    );
    return [`${title}: ${totals.join(', ')}`, ...lines].join('\n');
  }
}
