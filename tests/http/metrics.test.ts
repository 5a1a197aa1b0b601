/**
 * /metrics, /system/stats, the probes and log correlation on a real all-in-one server: the
 * counters move by exactly the jobs that ran, labels stay bounded, and every log line of a job's
 * life carries its request id, job id, batch id and host, each key once.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, waitJob, type TestServer } from '../helpers/server.ts';
import { parseSamples, sampleValue, topLevelKeys } from '../helpers/prometheus.ts';

describe('metrics, stats, probes and correlated logs (all-in-one)', () => {
  let s: TestServer;
  const scrape = async () => {
    const r = await fetch(`${s.url}/metrics`, { headers: { 'X-API-KEY': s.key } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /text\/plain/);
    return r.text();
  };
  const submit = async (body: Record<string, unknown>, requestId: string) => {
    const r = await s.call('POST', '/device/exec', { driver: 'echo', ...body }, { 'X-Request-Id': requestId });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.data.id as string;
  };

  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());

  it('counts exactly the jobs that ran, by driver, strategy, outcome and error type', async () => {
    const before = await scrape();
    const node = s.np.node!.name;
    const conn = (host: string) => ({ host, password: 'pw-secret-1' });
    const ids = [
      await submit({ connection_args: conn('m1'), command: 'show a' }, 'req-m-1'),
      await submit({ connection_args: conn('m1'), command: 'show b' }, 'req-m-2'),
      await submit({ connection_args: conn('m2'), command: 'show c' }, 'req-m-3'),
      await submit({ connection_args: conn('m3'), command: 'fail boom' }, 'req-m-4'),
      await submit({ connection_args: conn('f1'), command: 'show d', queue_strategy: 'fifo' }, 'req-m-5'),
      await submit({ connection_args: conn('f2'), command: 'show e', queue_strategy: 'fifo' }, 'req-m-6'),
      await submit(
        {
          connection_args: conn('m2'),
          command: { intf: 'Gi0/1' },
          rendering: { name: 'jinja2', template: 'show interface {{ intf }}' },
        },
        'req-m-7',
      ),
    ];
    const jobs = await Promise.all(ids.map((id) => waitJob(s, id)));
    assert.deepEqual(
      jobs.map((j) => j.status),
      ['finished', 'finished', 'finished', 'failed', 'finished', 'finished', 'finished'],
    );
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(after, name, labels) - sampleValue(before, name, labels);

    assert.equal(delta('netpulse_jobs_submitted_total', { driver: 'echo', strategy: 'pinned' }), 5);
    assert.equal(delta('netpulse_jobs_submitted_total', { driver: 'echo', strategy: 'fifo' }), 2);
    assert.equal(delta('netpulse_jobs_finished_total', { driver: 'echo', strategy: 'pinned', node }), 4);
    assert.equal(delta('netpulse_jobs_finished_total', { driver: 'echo', strategy: 'fifo', node }), 2);
    assert.equal(
      delta('netpulse_jobs_failed_total', { driver: 'echo', strategy: 'pinned', error_type: 'CommandError', node }),
      1,
    );
    assert.equal(delta('netpulse_jobs_failed_total'), 1);
    assert.equal(delta('netpulse_job_queue_wait_seconds_count'), 7);
    assert.equal(delta('netpulse_job_execution_seconds_count', { outcome: 'finished' }), 6);
    assert.equal(delta('netpulse_job_execution_seconds_count', { outcome: 'failed' }), 1);
    // Three new pinned hosts, one session each; the second job on m1 and m2 reused it.
    assert.equal(delta('netpulse_pinned_sessions_total', { event: 'opened', node }), 3);
    assert.equal(delta('netpulse_pinned_sessions_total', { event: 'reconnected', node }), 0);
    assert.equal(delta('netpulse_template_duration_seconds_count', { engine: 'jinja2', op: 'render' }), 1);
    assert.ok(
      delta('netpulse_broker_command_duration_seconds_count', { broker: 'memory', command: 'finishJob' }) === 7,
    );
    assert.equal(sampleValue(after, 'netpulse_node_pinned_hosts', { node }), 3);
    assert.equal(sampleValue(after, 'netpulse_node_pinned_capacity', { node }), s.np.config.worker.pinned_per_node);
    assert.equal(sampleValue(after, 'netpulse_queue_depth', { kind: 'pinned' }), 0);
    for (const name of [
      'netpulse_process_resident_memory_bytes',
      'netpulse_nodejs_eventloop_lag_seconds',
      'netpulse_nodejs_heap_size_used_bytes',
    ]) {
      assert.ok(
        parseSamples(after).some((x) => x.name === name),
        `${name} exported`,
      );
    }
    // Bounded cardinality: no label carries a host or a job id.
    for (const x of parseSamples(after)) {
      for (const v of Object.values(x.labels))
        assert.ok(!/^(m\d|f\d)$/.test(v) && !ids.includes(v), `${x.name} has label value ${v}`);
      assert.ok(
        !('host' in x.labels) && !('job' in x.labels) && !('job_id' in x.labels),
        `${x.name} labels ${JSON.stringify(x.labels)}`,
      );
    }

    const stats = (await s.call('GET', '/system/stats')).body.data;
    assert.deepEqual(stats.jobs, { queued: 0, started: 0, finished: 6, failed: 1, canceled: 0 });
    assert.deepEqual(stats.queues, { fifo: 0, pinned: 0 });
    assert.equal(stats.nodes.live, 1);
    assert.equal(stats.capacity.pinned_used, 3);
    assert.deepEqual(stats.self_healing, { node_reaped: 0, job_worker_lost: 0, job_expired: 0, host_adopted: 0 });
  });

  it('counts session reconnects (changed credentials) and evictions', async () => {
    const node = s.np.node!.name;
    const before = await scrape();
    const id = await submit(
      { connection_args: { host: 'm1', password: 'pw-rotated-2' }, command: 'show again' },
      'req-m-8',
    );
    assert.equal((await waitJob(s, id)).status, 'finished');
    const stop = await s.call('DELETE', `/worker?name=${node}_HostQ_m2`);
    assert.deepEqual(stop.body.data, [`${node}_HostQ_m2`]);
    for (let i = 0; i < 100 && s.np.node!.pinnedCount > 2; i++) await new Promise((r) => setTimeout(r, 20));
    const after = await scrape();
    const delta = (event: string) =>
      sampleValue(after, 'netpulse_pinned_sessions_total', { event, node }) -
      sampleValue(before, 'netpulse_pinned_sessions_total', { event, node });
    assert.deepEqual([delta('reconnected'), delta('opened'), delta('evicted')], [1, 1, 1]);
    assert.equal(sampleValue(after, 'netpulse_node_pinned_hosts', { node }), 2);
  });

  it('self-healing: a dead node reaped and a queued job expired show in /system/stats and the metrics', async () => {
    const before = await scrape();
    // A node that registered and stopped heartbeating: the sweep reaps it (no capacity, so no host is placed on it).
    await s.np.broker.heartbeat(
      {
        hostname: 'ghost',
        capacity: 0,
        queue: 'NodeQ_ghost',
        pid: 1,
        machine: 'ghost',
        birth_at: Date.now(),
        workers: [],
      },
      100,
    );
    const blocker = await submit(
      { connection_args: { host: 'heal-1', password: 'pw' }, command: 'sleep 1500' },
      'req-h-1',
    );
    const late = await submit(
      { connection_args: { host: 'heal-1', password: 'pw' }, command: 'show late', ttl: 1 },
      'req-h-2',
    );
    assert.equal((await waitJob(s, late)).result.error.type, 'JobExpiredError');
    await waitJob(s, blocker);
    let stats: any;
    for (let i = 0; i < 100; i++) {
      stats = (await s.call('GET', '/system/stats')).body.data;
      if (stats.self_healing.node_reaped >= 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(stats.self_healing, { node_reaped: 1, job_worker_lost: 0, job_expired: 1, host_adopted: 0 });
    const after = await scrape();
    const delta = (action: string) =>
      sampleValue(after, 'netpulse_self_healing_total', { action }) -
      sampleValue(before, 'netpulse_self_healing_total', { action });
    assert.deepEqual([delta('node_reaped'), delta('job_expired')], [1, 1]);
  });

  it('every log line of a job carries request_id, job_id, batch_id and host, each key once', async () => {
    const id = await submit(
      { connection_args: { host: 'log-1', password: 'pw-secret-2' }, command: 'show log' },
      'req-log-1',
    );
    await waitJob(s, id);
    const lines = s.logs.join('').split('\n').filter(Boolean);
    for (const line of lines) {
      const keys = topLevelKeys(line);
      assert.equal(new Set(keys).size, keys.length, `repeated key in ${line}`);
    }
    const mine = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.job_id === id);
    assert.deepEqual(
      mine.map((l) => l.msg),
      ['job queued', 'job started', 'job finished'],
    );
    for (const l of mine) {
      assert.equal(l.request_id, 'req-log-1');
      assert.equal(l.host, 'log-1');
      assert.ok('batch_id' in l);
    }
    // The HTTP lines of the same request use the same key.
    assert.ok(lines.some((l) => l.includes('"request_id":"req-log-1"') && l.includes('incoming request')));
    assert.ok(!s.logs.join('').includes('pw-secret-2'));
  });

  it('/metrics needs the API key; /livez and /readyz do not and reveal nothing else', async () => {
    assert.equal((await fetch(`${s.url}/metrics`)).status, 403);
    for (const path of ['/livez', '/readyz']) {
      const r = await fetch(s.url + path);
      assert.equal(r.status, 200, path);
      assert.equal(await r.text(), 'ok\n');
    }
    assert.equal((await fetch(`${s.url}/system/stats`)).status, 403);
    assert.equal((await fetch(`${s.url}/health`)).status, 403);
  });

  it('server.metrics_public serves /metrics without the key', async () => {
    const pub = await startTestServer({ server: { metrics_public: true } });
    try {
      const r = await fetch(`${pub.url}/metrics`);
      assert.equal(r.status, 200);
      assert.match(await r.text(), /netpulse_jobs_submitted_total/);
      assert.equal((await fetch(`${pub.url}/system/stats`)).status, 403, 'only /metrics becomes public');
    } finally {
      await pub.stop();
    }
  });
});
