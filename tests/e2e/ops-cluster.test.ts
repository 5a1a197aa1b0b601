/**
 * Operations against a running cluster (controller + worker processes on a private Redis):
 * an OTLP/HTTP receiver on loopback gets one trace per pinned netmiko job with the right parent
 * links across the broker; Prometheus scrapes of the controller and of the worker's metrics port
 * count exactly the jobs that ran; kubelet-style probes answer 200 with the broker up and 503
 * while it is down.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import {
  TestRedis,
  clusterEnv,
  freePort,
  spawnNetPulse,
  stopProcess,
  waitFor,
  type NetPulseProcess,
} from '../helpers/cluster.ts';
import { startDevice, type SimDevice } from '../fakes/ssh-device/index.ts';
import { sampleValue, topLevelKeys } from '../helpers/prometheus.ts';

const KEY = 'ops-cluster-key';
const hasRedis = await TestRedis.available();

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: { stringValue?: string; boolValue?: boolean; intValue?: string } }[];
  service: string;
}

describe('operations on a running cluster', {
  skip: hasRedis ? false : 'redis-server not installed: sudo bash scripts/lab/install.sh',
}, () => {
  let redis: TestRedis;
  let otlp: Server;
  let hook: Server;
  let device: SimDevice;
  let api = '';
  let metricsPort = 0;
  let hookUrl = '';
  const procs: NetPulseProcess[] = [];
  const spans: OtlpSpan[] = [];

  /** A kubelet-style HTTP probe: GET, 3 s timeout, success is a 2xx/3xx status. */
  const probe = async (url: string) => {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(3000) });
      return r.status;
    } catch {
      return 0;
    }
  };
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(api + path, {
      method,
      headers: { 'X-API-KEY': KEY, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const waitEnd = async (id: string) => {
    let job: any;
    await waitFor(
      `job ${id} to end`,
      async () => {
        job = (await call('GET', `/job?id=${id}`)).body.data?.[0];
        return ['finished', 'failed'].includes(job?.status);
      },
      60_000,
      100,
    );
    return job;
  };
  const scrape = async (url: string) => {
    const r = await fetch(url, { headers: { 'X-API-KEY': KEY } });
    assert.equal(r.status, 200, url);
    return r.text();
  };

  before(async () => {
    redis = new TestRedis(await freePort());
    await redis.start();
    otlp = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url === '/v1/traces' && String(req.headers['content-type']).includes('json')) {
          const data = JSON.parse(body) as { resourceSpans: any[] };
          for (const rs of data.resourceSpans) {
            const service = rs.resource.attributes.find((a: any) => a.key === 'service.name')?.value.stringValue;
            for (const ss of rs.scopeSpans) for (const sp of ss.spans) spans.push({ ...sp, service });
          }
        }
        res.setHeader('content-type', 'application/json');
        res.end('{}');
      });
    });
    await new Promise<void>((r) => otlp.listen(0, '127.0.0.1', () => r()));
    hook = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`;
    device = await startDevice({ profile: 'cisco_ios', host: '127.0.0.1', port: 0, password: 'Sim-Pass-4242' });

    const apiPort = await freePort();
    metricsPort = await freePort();
    const otlpUrl = `http://127.0.0.1:${(otlp.address() as { port: number }).port}`;
    const env = (service: string) => ({
      ...clusterEnv(redis.port, apiPort, KEY),
      NETPULSE_WORKER__METRICS_HOST: '127.0.0.1',
      NETPULSE_WEBHOOK__ALLOW_HOSTS: '127.0.0.1',
      NETPULSE_TELEMETRY__OTLP_ENDPOINT: otlpUrl,
      NETPULSE_TELEMETRY__EXPORT_INTERVAL_MS: '100',
      NETPULSE_TELEMETRY__SERVICE_NAME: service,
      NETPULSE_LOG__LEVEL: 'info',
    });
    api = `http://127.0.0.1:${apiPort}`;
    procs.push(spawnNetPulse('controller', 'ctl', env('np-controller')));
    procs.push(spawnNetPulse('worker', 'ops-node', env('np-worker'), ['--metrics-port', String(metricsPort)]));
    await waitFor(
      'controller and one live node',
      async () => {
        try {
          return (await call('GET', '/health')).body.data?.nodes?.live === 1;
        } catch {
          return false;
        }
      },
      30_000,
      200,
    );
  });

  after(async () => {
    for (const p of procs) await stopProcess(p, 'SIGKILL', 2000);
    await redis.destroy();
    await device?.close();
    await new Promise<void>((r) => otlp.close(() => r()));
    await new Promise<void>((r) => hook.close(() => r()));
  });

  it('traces a pinned netmiko job from the HTTP request through the worker, with parent links across the broker', async () => {
    const body = {
      driver: 'netmiko',
      connection_args: {
        device_type: 'cisco_ios',
        host: device.host,
        port: device.port,
        username: device.username,
        password: device.password,
      },
      command: ['show version', 'show clock'],
      parsing: { name: 'textfsm', template: 'Value HOSTNAME (\\S+)\n\nStart\n  ^${HOSTNAME}\\s+uptime -> Record\n' },
      webhook: { url: hookUrl },
    };
    const r = await call('POST', '/device/exec', body, { 'X-Request-Id': 'req-trace-1' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const job = await waitEnd(r.body.data.id);
    assert.equal(job.status, 'finished', JSON.stringify(job.result));

    const find = (name: string, traceId?: string) =>
      spans.filter((s) => s.name === name && (!traceId || s.traceId === traceId));
    await waitFor(
      'the HTTP span',
      () => find('POST /device/exec').some((s) => s.attributes.some((a) => a.value.stringValue === 'req-trace-1')),
      15_000,
      100,
    );
    const http = find('POST /device/exec').find((s) =>
      s.attributes.some((a) => a.value.stringValue === 'req-trace-1'),
    )!;
    const trace = http.traceId;
    await waitFor(
      'the worker spans',
      () => find('webhook.deliver', trace).length === 1 && find('driver.command', trace).length === 2,
      15_000,
      100,
    );
    const one = (name: string) => {
      const got = find(name, trace);
      assert.equal(got.length, 1, `${name}: ${got.length} spans`);
      return got[0];
    };
    const place = one('job.place');
    const wait = one('job.queue_wait');
    const exec = one('job.execute');
    const session = one('driver.session');
    const send = one('driver.send');
    const parse = one('job.parse');
    const webhook = one('webhook.deliver');
    assert.equal(http.service, 'np-controller');
    assert.equal(place.service, 'np-controller');
    assert.equal(place.parentSpanId, http.spanId);
    for (const s of [wait, exec, webhook]) {
      assert.equal(s.service, 'np-worker', s.name);
      assert.equal(s.parentSpanId, place.spanId, `${s.name} continues the trace stored in the job`);
    }
    assert.equal(session.parentSpanId, exec.spanId);
    assert.equal(send.parentSpanId, exec.spanId);
    assert.equal(parse.parentSpanId, exec.spanId);
    const commands = find('driver.command', trace);
    assert.deepEqual(
      commands.map((c) => c.parentSpanId),
      [send.spanId, send.spanId],
    );
    assert.deepEqual(
      commands.map((c) => c.attributes.find((a) => a.key === 'netpulse.command')?.value.stringValue).sort(),
      ['show clock', 'show version'],
    );
    assert.ok(
      find('template.parse', trace).every((s) => s.parentSpanId === parse.spanId) &&
        find('template.parse', trace).length === 2,
    );
    assert.equal(session.attributes.find((a) => a.key === 'netpulse.session.reused')?.value.boolValue, false);
    // No span carries the device password.
    assert.ok(!JSON.stringify(spans).includes(device.password));

    // A second job on the same host: a new trace whose session span says the session was reused.
    const r2 = await call(
      'POST',
      '/device/exec',
      { ...body, webhook: undefined, parsing: undefined, command: 'show clock' },
      { 'X-Request-Id': 'req-trace-2' },
    );
    await waitEnd(r2.body.data.id);
    await waitFor(
      'the second trace',
      () => {
        const h2 = find('POST /device/exec').find((s) =>
          s.attributes.some((a) => a.value.stringValue === 'req-trace-2'),
        );
        return !!h2 && find('driver.session', h2.traceId).length === 1;
      },
      15_000,
      100,
    );
    const h2 = find('POST /device/exec').find((s) => s.attributes.some((a) => a.value.stringValue === 'req-trace-2'))!;
    assert.notEqual(h2.traceId, trace, 'one trace per job');
    assert.equal(
      find('driver.session', h2.traceId)[0].attributes.find((a) => a.key === 'netpulse.session.reused')?.value
        .boolValue,
      true,
    );
  });

  it('log lines of a job on the controller and on the node carry request_id, job_id, batch_id and host', async () => {
    const r = await call(
      'POST',
      '/device/exec',
      {
        driver: 'netmiko',
        command: 'show clock',
        connection_args: {
          device_type: 'cisco_ios',
          host: device.host,
          port: device.port,
          username: device.username,
          password: device.password,
        },
      },
      { 'X-Request-Id': 'req-log-9' },
    );
    const id = r.body.data.id as string;
    await waitEnd(id);
    const lines = (p: NetPulseProcess) =>
      p.output
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('{'));
    const [ctl, node] = procs;
    await waitFor(
      'the node to log the end',
      () => lines(node).some((l) => l.includes(id) && l.includes('job finished')),
      10_000,
      100,
    );
    for (const l of [...lines(ctl), ...lines(node)]) {
      const keys = topLevelKeys(l);
      assert.equal(new Set(keys).size, keys.length, `repeated key: ${l}`);
    }
    const mine = (p: NetPulseProcess) =>
      lines(p)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.job_id === id);
    assert.deepEqual(
      mine(ctl).map((l) => l.msg),
      ['job queued'],
    );
    assert.deepEqual(
      mine(node).map((l) => l.msg),
      ['job started', 'job finished'],
    );
    for (const l of [...mine(ctl), ...mine(node)]) {
      assert.deepEqual([l.request_id, l.host, l.batch_id], ['req-log-9', device.host, null]);
    }
    assert.ok(lines(ctl).some((l) => l.includes('"request_id":"req-log-9"') && l.includes('incoming request')));
    assert.ok(!procs.some((p) => p.output.join('').includes(device.password)), 'no device password in any log');
  });

  it('Prometheus scrapes of the controller and of the worker metrics port count the jobs that ran', async () => {
    const ctl = await scrape(`${api}/metrics`);
    const node = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    assert.equal(sampleValue(ctl, 'netpulse_jobs_submitted_total', { driver: 'netmiko', strategy: 'pinned' }), 3);
    assert.equal(sampleValue(ctl, 'netpulse_jobs_finished_total'), 0, 'the controller runs no jobs');
    assert.ok(ctl.includes('netpulse_queue_depth{kind="pinned"} 0'));
    assert.ok(
      sampleValue(ctl, 'netpulse_broker_command_duration_seconds_count', {
        broker: 'redis',
        command: 'enqueuePinned',
      }) >= 2,
    );
    assert.equal(
      sampleValue(node, 'netpulse_jobs_finished_total', { driver: 'netmiko', strategy: 'pinned', node: 'ops-node' }),
      3,
    );
    assert.equal(sampleValue(node, 'netpulse_pinned_sessions_total', { event: 'opened', node: 'ops-node' }), 1);
    assert.equal(sampleValue(node, 'netpulse_node_pinned_hosts', { node: 'ops-node' }), 1);
    assert.equal(sampleValue(node, 'netpulse_pinned_sessions_open', { node: 'ops-node' }), 1);
    assert.equal(sampleValue(node, 'netpulse_template_duration_seconds_count', { engine: 'textfsm', op: 'parse' }), 2);
    assert.equal(sampleValue(node, 'netpulse_webhook_deliveries_total', { outcome: 'delivered' }), 1);
    assert.ok(sampleValue(node, 'netpulse_process_resident_memory_bytes') > 0);
    assert.equal(
      (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status,
      403,
      'the worker port needs the key too',
    );
    const stats = (await call('GET', '/system/stats')).body.data;
    assert.equal(stats.jobs.finished, 3);
    assert.equal(stats.nodes.live, 1);
    assert.equal(stats.broker, 'redis');
  });

  it('kubelet-style probes: ready with the broker up, 503 while it is down, ready again after', async () => {
    const urls = {
      ctlLive: `${api}/livez`,
      ctlReady: `${api}/readyz`,
      nodeLive: `http://127.0.0.1:${metricsPort}/livez`,
      nodeReady: `http://127.0.0.1:${metricsPort}/readyz`,
    };
    for (const u of Object.values(urls)) assert.equal(await probe(u), 200, u);
    await redis.stop('SIGTERM');
    try {
      await waitFor(
        'readiness to fail',
        async () => (await probe(urls.ctlReady)) === 503 && (await probe(urls.nodeReady)) === 503,
        15_000,
        200,
      );
      assert.equal(await probe(urls.ctlLive), 200, 'liveness does not depend on the broker');
      assert.equal(await probe(urls.nodeLive), 200);
      assert.equal((await call('GET', '/health')).status, 503);
    } finally {
      await redis.start();
    }
    await waitFor(
      'readiness to come back',
      async () => (await probe(urls.ctlReady)) === 200 && (await probe(urls.nodeReady)) === 200,
      30_000,
      200,
    );
    assert.equal((await call('GET', '/health')).status, 200);
  });
});
