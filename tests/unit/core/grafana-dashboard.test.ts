/** The sample Grafana dashboard only queries metrics NetPulse exports (names drift otherwise). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NetPulseMetrics } from '../../../core/observability/metrics.ts';
import { emptyCounts } from '../../../core/contracts/ops-helpers.ts';
import type { OpsStore } from '../../../core/contracts/ops-store.ts';
import { PROJECT_ROOT } from '../../helpers/server.ts';

test('every netpulse_* series in docs/grafana/netpulse-dashboard.json is exported', async () => {
  const m = new NetPulseMetrics();
  m.attachNode({ name: 'n1', pinnedCount: 0, openSessions: 0, pinnedCapacity: 1, fifoActive: 0, fifoCapacity: 1 });
  m.attachQueues({ queueDepth: async () => emptyCounts().queued } as unknown as OpsStore);
  const exported = new Set([...(await m.render()).body.matchAll(/^# TYPE (\S+) (\S+)/gm)].map((x) => x[1]));
  const dash = JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'docs/grafana/netpulse-dashboard.json'), 'utf8')) as {
    panels: { targets: { expr: string }[] }[];
  };
  const used = new Set(
    dash.panels.flatMap((p) => p.targets.flatMap((t) => [...t.expr.matchAll(/netpulse_[a-z0-9_]+/g)].map((x) => x[0]))),
  );
  assert.ok(used.size >= 14);
  for (const name of used) {
    const base = name.replace(/_(bucket|sum|count)$/, '').replace(/_total$/, '');
    assert.ok(exported.has(name) || exported.has(base), `${name} is not exported`);
  }
});
