/**
 * `npm run bench -- engine [--jobs N] [--rq-jobs N]`: the job engine on a private local Redis with
 * the echo driver (no device I/O). Prints: submit→finished latency p50/p99 (pinned and fifo),
 * sustained jobs/s with one controller and one, then two worker nodes, the accept time of a
 * 1,000-device bulk request, RSS and Redis client connections with 2,000 pinned hosts on one node,
 * and the same job count through Debian's python3-rq for the ratio. `--events` keeps a GET /events
 * stream open on the controller during the single-node runs (the cost of a live listener).
 * Prints figures; asserts nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import {
  TestRedis,
  freePort,
  spawnNetPulse,
  stopProcess,
  waitFor,
  type NetPulseProcess,
} from '../../tests/helpers/cluster.ts';
import { PROJECT_ROOT } from '../../tests/helpers/server.ts';
import { redisKeys } from '../../plugins/brokers/redis/keys.ts';
import type { JobRecord } from '../../core/contracts/broker.ts';

const KEY = 'bench-key';

function arg(argv: string[], name: string, def: number): number {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : def;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

class Cluster {
  procs: NetPulseProcess[] = [];
  base = '';
  env: Record<string, string> = {};
  /** With `--events`: an open GET /events stream on the controller for the whole run, and what it received. */
  events = 0;
  private readonly listen = new AbortController();
  constructor(
    readonly redisPort: number,
    readonly withEvents = false,
  ) {}

  async start(workers: number, extraEnv: Record<string, string> = {}, nodeArgs: string[] = []) {
    const apiPort = await freePort();
    this.base = `http://127.0.0.1:${apiPort}`;
    this.env = {
      NETPULSE_REDIS__HOST: '127.0.0.1',
      NETPULSE_REDIS__PORT: String(this.redisPort),
      NETPULSE_SERVER__HOST: '127.0.0.1',
      NETPULSE_SERVER__PORT: String(apiPort),
      NETPULSE_SERVER__API_KEY: KEY,
      NETPULSE_WORKER__PINNED_PER_NODE: '2500',
      NETPULSE_WORKER__FIFO_CONCURRENCY: '200',
      NETPULSE_WORKER__HEARTBEAT_INTERVAL: '1',
      NETPULSE_LOG__LEVEL: 'error',
      ...extraEnv,
    };
    this.procs.push(spawnNetPulse('controller', 'ctl', this.env, [], nodeArgs));
    for (let i = 0; i < workers; i++) {
      this.procs.push(spawnNetPulse('worker', `bench-w${i + 1}`, this.env, [], nodeArgs));
    }
    await waitFor(
      'the cluster',
      async () => {
        try {
          const r = await this.call('GET', '/health');
          return r.data?.nodes?.live === workers;
        } catch {
          return false;
        }
      },
      60_000,
      200,
    );
    if (this.withEvents) void this.follow();
  }

  private async follow() {
    try {
      const res = await fetch(`${this.base}/events`, { headers: { 'X-API-KEY': KEY }, signal: this.listen.signal });
      const reader = res.body!.getReader();
      const dec = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        this.events += (dec.decode(value, { stream: true }).match(/^event: /gm) ?? []).length;
      }
    } catch {
      // aborted at stop
    }
  }

  async call(method: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(this.base + path, {
      method,
      headers: { 'X-API-KEY': KEY, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return res.json();
  }

  async stop() {
    this.listen.abort();
    for (const p of this.procs) await stopProcess(p, 'SIGTERM', 10_000);
    this.procs = [];
  }

  worker(i: number) {
    return this.procs.filter((p) => p.role === 'worker')[i];
  }
}

/**
 * Waits for jobs by reading their records straight from Redis (pipelined), so the benchmark's own
 * polling does not load the API it measures.
 */
async function waitAll(c: Cluster, ids: string[], timeoutMs = 300_000): Promise<JobRecord[]> {
  const r = new Redis({ host: '127.0.0.1', port: c.redisPort });
  const keys = redisKeys('netpulse', 'netpulse:host_to_node_map', 'netpulse:node_info_map');
  const done = new Map<string, JobRecord>();
  const deadline = Date.now() + timeoutMs;
  try {
    while (done.size < ids.length) {
      if (Date.now() > deadline) throw new Error(`only ${done.size}/${ids.length} jobs ended in time`);
      const pending = ids.filter((id) => !done.has(id));
      const p = r.pipeline();
      for (const id of pending) p.hget(keys.job(id), 'rec');
      const res = (await p.exec()) ?? [];
      res.forEach(([, v], i) => {
        const rec = v ? (JSON.parse(v as string) as JobRecord) : null;
        if (rec && rec.ended_at !== null) done.set(pending[i], rec);
      });
      if (done.size < ids.length) await new Promise((res2) => setTimeout(res2, 100));
    }
  } finally {
    r.disconnect();
  }
  return ids.map((id) => done.get(id)!);
}

async function latency(
  c: Cluster,
  strategy: 'pinned' | 'fifo',
  n: number,
): Promise<{ p50: number; p99: number; http: number }> {
  const server: number[] = [];
  const http: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await c.call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host: 'lat-host', password: 'pw' },
      command: 'show version',
      queue_strategy: strategy,
    });
    http.push(performance.now() - t0);
    const id = r.data.id;
    for (;;) {
      const j = (await c.call('GET', `/job?id=${id}`)).data[0];
      if (j.status === 'finished') {
        server.push(Date.parse(j.ended_at) - Date.parse(j.created_at));
        break;
      }
    }
  }
  return { p50: pct(server, 50), p99: pct(server, 99), http: pct(http, 50) };
}

/** Jobs per second of `total / 1000` concurrent bulk requests (pinned: 200 hosts each, so 1/5 of `total` jobs); `jobs` = how many ran. */
async function throughput(
  c: Cluster,
  total: number,
  strategy: 'fifo' | 'pinned',
): Promise<{ rate: number; jobs: number }> {
  const perBulk = 1000;
  const ids: string[] = [];
  const t0 = Date.now();
  const rounds = Math.ceil(total / perBulk);
  await Promise.all(
    Array.from({ length: rounds }, async (_, r) => {
      const devices = Array.from({ length: perBulk }, (_, i) => ({
        host: strategy === 'fifo' ? `tp-${r}-${i}` : `tp-${i % 200}`,
      }));
      // Pinned bulks reuse 200 hosts (dedup keeps one job per host per request).
      const uniq = strategy === 'pinned' ? devices.slice(0, 200) : devices;
      const res = await c.call('POST', '/device/bulk', {
        driver: 'echo',
        connection_args: { password: 'pw' },
        devices: uniq,
        command: 'x',
        queue_strategy: strategy,
      });
      ids.push(...res.data.succeeded.map((j: any) => j.id));
    }),
  );
  const jobs = await waitAll(c, ids);
  const failed = jobs.filter((j) => j.status !== 'finished').length;
  if (failed) console.error(`${failed} jobs did not finish`);
  const first = Math.min(...jobs.map((j) => j.created_at), t0);
  const last = Math.max(...jobs.map((j) => j.ended_at ?? 0));
  return { rate: (jobs.length / (last - first)) * 1000, jobs: jobs.length };
}

/** Clock ticks per second of /proc/<pid>/stat times (getconf CLK_TCK; 100 on Linux by default). */
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU time (user + system) a process has used, in ms, from /proc/<pid>/stat. */
function procCpuMs(pid: number): number {
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK; // utime, stime (fields 14, 15)
}

/** CPU time (user + system) the Redis server has used, in ms (INFO cpu). */
async function redisCpuMs(port: number): Promise<number> {
  const r = new Redis({ host: '127.0.0.1', port });
  try {
    const info = String(await r.info('cpu'));
    const v = (k: string) => Number(new RegExp(`^${k}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
    return (v('used_cpu_user') + v('used_cpu_sys')) * 1000;
  } finally {
    r.disconnect();
  }
}

function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function rqJobsPerS(port: number, jobs: number, workers: number): number | null {
  if (!existsSync('/usr/bin/rq')) return null;
  const r = spawnSync(
    '/usr/bin/python3',
    [
      resolve(PROJECT_ROOT, 'scripts/bench/rq_ref.py'),
      '--port',
      String(port),
      '--jobs',
      String(jobs),
      '--workers',
      String(workers),
    ],
    { encoding: 'utf8', timeout: 900_000 },
  );
  if (r.status !== 0) {
    console.error(`rq reference failed: ${r.stderr.slice(-300)}`);
    return null;
  }
  return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { jobs_per_s: number }).jobs_per_s;
}

/** Redis CPU per job by command (INFO commandstats, which counts commands run by scripts too). */
async function profileRun(
  c: Cluster,
  jobs: number,
  strategy: 'fifo' | 'pinned',
  print: (k: string, v: string) => void,
): Promise<void> {
  const r = new Redis({ host: '127.0.0.1', port: c.redisPort });
  try {
    await r.config('RESETSTAT');
    const t = await throughput(c, jobs, strategy);
    print(`${strategy} jobs/s, 1 controller + 1 node (profiling)`, t.rate.toFixed(0));
    const stats = String(await r.info('commandstats'));
    const rows = [...stats.matchAll(/^cmdstat_(\S+):calls=(\d+),usec=(\d+)/gm)]
      .map(([, cmd, calls, usec]) => ({ cmd, calls: Number(calls), usec: Number(usec) }))
      .sort((a, b) => b.usec - a.usec);
    for (const x of rows.slice(0, 15)) {
      print(`redis ${x.cmd}: calls / µs per job`, `${(x.calls / t.jobs).toFixed(2)} / ${(x.usec / t.jobs).toFixed(1)}`);
    }
  } finally {
    r.disconnect();
  }
}

export async function run(argv: string[]): Promise<void> {
  if (!(await TestRedis.available())) throw new Error('redis-server not installed: sudo bash scripts/lab/install.sh');
  const jobs = arg(argv, 'jobs', 10_000);
  // The reference gets the same job count unless told otherwise (it runs at ~100 jobs/s).
  const rqJobs = arg(argv, 'rq-jobs', jobs);
  const withEvents = argv.includes('--events');
  // --profile <dir> [--pinned]: CPU profiles (.cpuprofile) of the controller and node and Redis's
  // own per-command CPU for one 1 + 1 run (FIFO, or pinned), then stop.
  const profileAt = argv.indexOf('--profile');
  const profileDir = profileAt >= 0 ? resolve(argv[profileAt + 1] ?? 'bench-profile') : null;
  const profileStrategy = argv.includes('--pinned') ? 'pinned' : 'fifo';
  const redis = new TestRedis(await freePort());
  await redis.start();
  const rows: [string, string][] = [];
  const print = (k: string, v: string) => {
    rows.push([k, v]);
    console.log(`${k.padEnd(58)} ${v}`);
  };
  console.log(
    `engine benchmark: ${jobs} jobs, echo driver, private redis on 127.0.0.1:${redis.port}, ${new Date().toISOString()}`,
  );
  try {
    let c = new Cluster(redis.port, withEvents);
    if (profileDir) {
      await c.start(1, {}, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
      await throughput(c, 1000, profileStrategy); // warm-up
      await profileRun(c, jobs, profileStrategy, print);
      await c.stop();
      console.log(`CPU profiles (controller, node) in ${profileDir}; open them in Chrome DevTools`);
      return;
    }
    await c.start(1);
    await latency(c, 'pinned', 50); // warm-up: JIT, connections, the pinned session
    const lp = await latency(c, 'pinned', 300);
    print('pinned submit→finished p50 / p99 (server clock, ms)', `${lp.p50} / ${lp.p99}`);
    await latency(c, 'fifo', 50);
    const lf = await latency(c, 'fifo', 300);
    print('fifo submit→finished p50 / p99 (server clock, ms)', `${lf.p50} / ${lf.p99}`);
    print('POST /device/exec HTTP round trip p50 (ms)', lp.http.toFixed(2));
    // CPU per job as well as jobs/s: on a shared machine wall clock swings by 2x between identical
    // runs, while the CPU each process spends per job barely moves.
    const ctlPid = c.procs[0].proc.pid!;
    const nodePid = c.worker(0).proc.pid!;
    const cpu0 = { ctl: procCpuMs(ctlPid), node: procCpuMs(nodePid), redis: await redisCpuMs(redis.port) };
    const { rate: t1, jobs: fifoJobs } = await throughput(c, jobs, 'fifo');
    const perJob = (ms: number) => ((ms * 1000) / fifoJobs).toFixed(0);
    const cpu1 = { ctl: procCpuMs(ctlPid), node: procCpuMs(nodePid), redis: await redisCpuMs(redis.port) };
    print('fifo jobs/s, 1 controller + 1 node', t1.toFixed(0));
    print(
      'fifo CPU per job, controller / node / redis (µs)',
      `${perJob(cpu1.ctl - cpu0.ctl)} / ${perJob(cpu1.node - cpu0.node)} / ${perJob(cpu1.redis - cpu0.redis)}`,
    );
    const { rate: p1, jobs: pinnedJobs } = await throughput(c, Math.min(jobs, 10_000), 'pinned');
    const cpu2 = { ctl: procCpuMs(ctlPid), node: procCpuMs(nodePid), redis: await redisCpuMs(redis.port) };
    const perPinned = (ms: number) => ((ms * 1000) / pinnedJobs).toFixed(0);
    print('pinned jobs/s (200 hosts), 1 controller + 1 node', p1.toFixed(0));
    print(
      'pinned CPU per job, controller / node / redis (µs)',
      `${perPinned(cpu2.ctl - cpu1.ctl)} / ${perPinned(cpu2.node - cpu1.node)} / ${perPinned(cpu2.redis - cpu1.redis)}`,
    );
    if (withEvents) print('events streamed by GET /events during the above', String(c.events));
    await c.stop();

    c = new Cluster(redis.port);
    await c.start(2);
    const { rate: t2 } = await throughput(c, jobs, 'fifo');
    print('fifo jobs/s, 1 controller + 2 nodes', t2.toFixed(0));
    const { rate: p2 } = await throughput(c, Math.min(jobs, 10_000), 'pinned');
    print('pinned jobs/s (200 hosts), 1 controller + 2 nodes', p2.toFixed(0));
    await c.stop();

    c = new Cluster(redis.port);
    await c.start(1);
    const baseline = rss(c.worker(0).proc.pid!);
    const devices = Array.from({ length: 1000 }, (_, i) => ({ host: `acc-${i}` }));
    const t0 = performance.now();
    const acc = await c.call('POST', '/device/bulk', {
      driver: 'echo',
      connection_args: { password: 'pw' },
      devices,
      command: 'x',
    });
    print('accept time of a 1,000-device pinned bulk request (ms)', (performance.now() - t0).toFixed(0));
    await waitAll(
      c,
      acc.data.succeeded.map((j: any) => j.id),
    );
    const more = Array.from({ length: 1000 }, (_, i) => ({ host: `acc-${1000 + i}` }));
    const res = await c.call('POST', '/device/bulk', {
      driver: 'echo',
      connection_args: { password: 'pw' },
      devices: more,
      command: 'x',
    });
    await waitAll(
      c,
      res.data.succeeded.map((j: any) => j.id),
    );
    const health = await c.call('GET', '/health');
    const after = rss(c.worker(0).proc.pid!);
    print('pinned hosts held by the node', String(health.data.nodes.pinned));
    print('worker RSS with those pinned hosts (MB)', `${after.toFixed(0)} (${baseline.toFixed(0)} with none)`);
    const r = new Redis({ host: '127.0.0.1', port: redis.port });
    const clients = String(await r.client('LIST'))
      .trim()
      .split('\n')
      .filter((l) => l.includes('netpulse-')).length;
    await r.quit();
    print('Redis client connections of NetPulse (controller + node)', String(clients));
    await c.stop();

    const rq1 = rqJobsPerS(redis.port, rqJobs, 1);
    const rq2 = rqJobsPerS(redis.port, rqJobs, 2);
    if (rq1 === null || rq2 === null) print('python3-rq reference', 'skipped: apt-get install python3-rq');
    else {
      print(`python3-rq jobs/s, ${rqJobs} noop jobs, 1 / 2 forking workers`, `${rq1.toFixed(0)} / ${rq2.toFixed(0)}`);
      print(
        'NetPulse fifo vs rq (1 node vs 1 worker / 2 vs 2)',
        `${(t1 / rq1).toFixed(1)}× / ${(t2 / rq2).toFixed(1)}×`,
      );
    }
  } finally {
    await redis.destroy();
  }
  void spawn;
}
