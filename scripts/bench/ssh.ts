/**
 * `npm run bench -- ssh [options]`: the netmiko driver at driver level and through the whole API
 * path, side by side with Debian's python3-netmiko 2.4.2 (scripts/bench/netmiko_ref.py) against the
 * same FRR peer (127.0.0.1:2222) and the same in-process cisco_ios simulator; then N simulated
 * devices on one node (bulk waves, jobs/s, RSS per held pinned session).
 *
 *   -n N               driver samples per measurement (default 200 commands, 20 connects, 50 configs)
 *   --api-n N          samples through POST /device/exec (default min(n, 100))
 *   --py-n N           samples for python netmiko (default 10; defaults mode is slow: ~4 s/connect)
 *   --no-python        skip python netmiko
 *   --no-py-defaults   run python netmiko with fast_cli=True only
 *   --sessions N       simulated devices for the one-node section (default 500; 0 = skip)
 */
import { silentLogger } from '../../core/log/silent.ts';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../core/contracts/common.ts';
import type { DriverContext, DriverRequest } from '../../core/contracts/driver.ts';
import { NetmikoDriver } from '../../plugins/drivers/netmiko/driver.ts';
import type { NetmikoSession } from '../../plugins/drivers/netmiko/session.ts';
import { setStateDir } from '../../core/state/dir.ts';
import { startTestServer, type TestServer } from '../../tests/helpers/server.ts';

const silent: Logger = silentLogger;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const PY_REF = path.join(HERE, 'netmiko_ref.py');

export interface Stats {
  name: string;
  n: number;
  p50: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

export function stats(name: string, ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const pct = (p: number): number => s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)]!;
  return {
    name,
    n: s.length,
    p50: pct(50),
    p99: pct(99),
    mean: s.reduce((a, b) => a + b, 0) / s.length,
    min: s[0]!,
    max: s[s.length - 1]!,
  };
}

export function printStats(rows: Stats[]): void {
  console.log('| measurement | n | p50 ms | p99 ms | mean ms | min ms | max ms |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.n} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} | ${r.mean.toFixed(3)} | ${r.min.toFixed(3)} | ${r.max.toFixed(3)} |`,
    );
  }
}

const ctx = (): DriverContext => ({ log: silent, signal: AbortSignal.timeout(120_000) });
const cmdReq = (a: Record<string, unknown>): DriverRequest => ({
  connection_args: a,
  driver_args: {},
  operation: 'command',
  options: {},
});
// enable_mode: the simulator's IOS logs in at `R1>`; on FRR (already `#`) it is a no-op.
const cfgReq = (a: Record<string, unknown>): DriverRequest => ({
  connection_args: a,
  driver_args: {},
  operation: 'config',
  options: { enable_mode: true },
});

export interface Target {
  label: string;
  args: Record<string, unknown>;
  show: string;
  /** Three config lines, `{i}` replaced by the iteration (as netmiko_ref.py does). */
  config3: string[];
  /** Text the show output must contain (checked by netmiko_ref.py). */
  expect?: string;
}

/** Connect time, warm per-command latency and a 3-line config set, all through the driver API. */
export async function benchDriver(t: Target, n: number, connects: number): Promise<Stats[]> {
  const driver = new NetmikoDriver(silent);
  const connectMs: number[] = [];
  for (let i = 0; i < connects + 1; i++) {
    const t0 = performance.now();
    const s = await driver.connect(t.args, ctx());
    const dt = performance.now() - t0;
    await s.close();
    if (i > 0) connectMs.push(dt);
  }
  const s = await driver.connect(t.args, ctx());
  const cmdMs: number[] = [];
  const cfgMs: number[] = [];
  try {
    for (let i = 0; i < n + 5; i++) {
      const t0 = performance.now();
      await s.send([t.show], cmdReq(t.args), ctx());
      if (i >= 5) cmdMs.push(performance.now() - t0);
    }
    const cfgN = Math.min(n, 50);
    for (let i = 0; i < cfgN + 1; i++) {
      const lines = t.config3.map((l) => l.replace('{i}', String(i)));
      const t0 = performance.now();
      await s.config(lines, cfgReq(t.args), ctx());
      if (i > 0) cfgMs.push(performance.now() - t0);
    }
  } finally {
    await s.close();
  }
  return [
    stats(`netpulse ${t.label}: connect+close`, connectMs),
    stats(`netpulse ${t.label}: send ${t.show} (warm)`, cmdMs),
    stats(`netpulse ${t.label}: config 3 lines (warm)`, cfgMs),
  ];
}

export interface PyRow {
  name: string;
  n: number;
  median: number;
  p90: number;
}

/** Runs scripts/bench/netmiko_ref.py (Debian python3-netmiko) against `t`; rows in ms. */
export function benchPythonNetmiko(t: Target, fastCli: boolean, n: number): Promise<PyRow[]> {
  const a = t.args as {
    device_type: string;
    host: string;
    port: number;
    username: string;
    password: string;
    secret?: string;
  };
  const argv = [
    PY_REF,
    '--device-type',
    a.device_type,
    '--host',
    a.host,
    '--port',
    String(a.port),
    '--username',
    a.username,
    '--password',
    a.password,
    ...(a.secret ? ['--secret', a.secret] : []),
    '-n',
    String(n),
    ...(fastCli ? ['--fast-cli'] : []),
    '--show',
    t.show,
    '--config',
    t.config3.join(';'),
    ...(t.expect ? ['--expect', t.expect] : []),
  ];
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/python3', argv, { timeout: 1_800_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        const out = JSON.parse(line) as { rows: PyRow[]; errors: number; retries?: string[] };
        if (out.retries?.length)
          console.log(`# python netmiko ${t.label}: ${out.retries.length} login(s) retried (${out.retries[0]})`);
        if (out.errors) console.log(`# python netmiko ${t.label}: ${out.errors} outputs failed their check`);
        resolve(out.rows);
      } catch {
        reject(new Error(`netmiko_ref.py ${t.label} failed: ${err?.message ?? ''} ${stderr.slice(-500)}`));
      }
    });
  });
}

/** netpulse p50 | netmiko fast_cli median | ratio | netmiko defaults median | ratio, for one target. */
export function printSideBySide(label: string, ours: Stats[], py: Record<string, PyRow[]>): void {
  const modes = Object.keys(py);
  console.log(`\n## ${label}: netpulse driver vs python3-netmiko 2.4.2 (medians; ratio = netmiko / netpulse)`);
  console.log('| operation | netpulse p50 ms | ' + modes.map((k) => `netmiko ${k} ms | ratio`).join(' | ') + ' |');
  console.log('|---|---|' + modes.map(() => '---|---').join('|') + '|');
  const keys: [string, number, RegExp][] = [
    ['connect+disconnect', 0, /\(a\)/],
    [`${ours[1]!.name.replace(/^.*: send /, 'send_command ').replace(' (warm)', '')} (warm)`, 1, /\(b\)/],
    ['send_config_set 3 lines (warm)', 2, /\(c\)/],
  ];
  for (const [op, i, re] of keys) {
    const p50 = ours[i]!.p50;
    const cells = modes.map((k) => {
      const m = py[k]!.find((x) => re.test(x.name))!.median;
      return `${m.toFixed(2)} | ${(m / p50).toFixed(1)}×`;
    });
    console.log(`| ${op} | ${p50.toFixed(3)} | ${cells.join(' | ')} |`);
  }
}

/** Host i of the idle-session bench: 127.0.0.2 … spread over 127.0.x.y so no address repeats. */
export function loopbackHost(i: number): string {
  return `127.0.${Math.floor(i / 250)}.${2 + (i % 250)}`;
}

/** Child-process role: start `count` simulator devices and print their addresses as JSON. */
async function serveSimulators(count: number): Promise<void> {
  const sim = await import('../../tests/fakes/ssh-device/index.ts');
  const devices = [];
  for (let i = 0; i < count; i++) devices.push(await sim.startDevice({ profile: 'cisco_ios', host: loopbackHost(i) }));
  process.stdout.write(JSON.stringify(devices.map((d) => ({ host: d.host, port: d.port }))) + '\n');
  // Serve until the parent closes stdin.
  await new Promise<void>((resolve) => {
    process.stdin.on('end', resolve);
    process.stdin.on('close', resolve);
    process.stdin.resume();
  });
  await Promise.all(devices.map((d) => d.close()));
}

export interface SimChild {
  addrs: { host: string; port: number }[];
  stop(): Promise<void>;
}

/** Starts `count` cisco_ios simulators on 127.0.0.2… in a child process (its memory is not ours). */
export async function startSimChild(count: number): Promise<SimChild> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(HERE, 'main.ts'), 'ssh', '--serve-simulators', String(count)],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const addrs = await new Promise<{ host: string; port: number }[]>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)));
    });
    child.once('exit', (code) => reject(new Error(`simulator child exited with ${code}`)));
  });
  return {
    addrs,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
      if (child.exitCode === null && child.pid !== undefined) child.kill('SIGKILL');
    },
  };
}

/** `global.gc` without `--expose-gc` on the command line (V8 flag set at run time). */
function getGc(): (() => void) | undefined {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

async function settledRss(gc: (() => void) | undefined): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 200));
  }
  return process.memoryUsage().rss;
}

/**
 * A state directory of this run (host keys of earlier runs stay out) and the store name inside it:
 * a request's `known_hosts_file` must lie inside `server.state_dir`, for direct driver use too.
 */
function benchStateDir(): { dir: string; kh: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'np-bench-state-'));
  setStateDir(dir);
  return { dir, kh: 'known_hosts' };
}

/** RSS per idle driver session (no API, no worker): `addrs` are simulators in another process. */
export async function benchIdleSessions(
  addrs: { host: string; port: number }[],
): Promise<{ sessions: number; rssDeltaMiB: number; perSessionKiB: number; connectAllMs: number }> {
  const driver = new NetmikoDriver(silent);
  const { dir: stateDir, kh } = benchStateDir();
  const sessions: NetmikoSession[] = [];
  const gc = getGc();
  try {
    const before = await settledRss(gc);
    const t0 = performance.now();
    const concurrency = 25;
    for (let i = 0; i < addrs.length; i += concurrency) {
      const batch = addrs.slice(i, i + concurrency).map((a) =>
        driver.connect(
          {
            device_type: 'cisco_ios',
            host: a.host,
            port: a.port,
            username: 'admin',
            password: 'admin',
            secret: 'secret',
            known_hosts_file: kh,
            keepalive: 0,
          },
          ctx(),
        ),
      );
      sessions.push(...(await Promise.all(batch)));
    }
    const connectAllMs = performance.now() - t0;
    const after = await settledRss(gc);
    const delta = after - before;
    return {
      sessions: sessions.length,
      rssDeltaMiB: delta / 2 ** 20,
      perSessionKiB: delta / sessions.length / 1024,
      connectAllMs,
    };
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
    rmSync(stateDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Whole API path: in-process NetPulse (memory broker), POST /device/exec → GET /job?id= polling.

/** ISO-8601 with microseconds → epoch milliseconds with the sub-millisecond part kept. */
export function isoMs(iso: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(iso);
  if (!m) return Date.parse(iso);
  const frac = Number(`0.${m[2] ?? '0'}`);
  return Date.parse(`${m[1]}${m[3]}`) + frac * 1000;
}

interface JobView {
  id: string;
  status: string;
  created_at: string;
  ended_at: string | null;
  result: unknown;
}

const ENDED = new Set(['finished', 'failed', 'canceled']);

/** Tight polling of GET /job?id= (no sleep between polls), bounded by `timeoutMs`. */
async function waitJobTight(srv: TestServer, id: string, timeoutMs: number): Promise<JobView> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const r = await srv.call('GET', `/job?id=${id}`);
    const job = (r.body as { data?: JobView[] })?.data?.[0];
    if (job && ENDED.has(job.status)) return job;
    if (performance.now() > deadline)
      throw new Error(`job ${id} did not end within ${timeoutMs} ms (last: ${JSON.stringify(job)})`);
  }
}

function execBody(t: Target): Record<string, unknown> {
  return { driver: 'netmiko', connection_args: t.args, command: [t.show], queue_strategy: 'pinned' };
}

/**
 * N × `show version` through POST /device/exec on a pinned session, after a warm-up that opens it.
 * Client: submit → the poll that sees `finished`; server: created_at → ended_at.
 */
export async function benchApiPath(srv: TestServer, t: Target, n: number): Promise<{ client: Stats; server: Stats }> {
  const client: number[] = [];
  const server: number[] = [];
  for (let i = 0; i < n + 5; i++) {
    const t0 = performance.now();
    const r = await srv.call('POST', '/device/exec', execBody(t));
    const id = (r.body as { data?: { id?: string } })?.data?.id;
    if (r.status !== 201 || !id) throw new Error(`POST /device/exec ${t.label}: ${r.status} ${JSON.stringify(r.body)}`);
    const job = await waitJobTight(srv, id, 60_000);
    const dt = performance.now() - t0;
    if (job.status !== 'finished') throw new Error(`job for ${t.label} ${job.status}: ${JSON.stringify(job.result)}`);
    if (i < 5) continue;
    client.push(dt);
    server.push(isoMs(job.ended_at!) - isoMs(job.created_at));
  }
  return {
    client: stats(`API ${t.label}: submit→finished (client)`, client),
    server: stats(`API ${t.label}: created_at→ended_at (server)`, server),
  };
}

/** Waits until every id has ended, listing jobs in pages (bounded). */
async function waitAll(srv: TestServer, ids: Set<string>, timeoutMs: number): Promise<JobView[]> {
  const deadline = performance.now() + timeoutMs;
  const done = new Map<string, JobView>();
  for (;;) {
    const r = await srv.call('GET', '/job?limit=10000');
    for (const j of (r.body as { data?: JobView[] })?.data ?? [])
      if (ids.has(j.id) && ENDED.has(j.status)) done.set(j.id, j);
    if (done.size === ids.size) return [...done.values()];
    if (performance.now() > deadline)
      throw new Error(`${ids.size - done.size} of ${ids.size} jobs did not end within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface WaveResult {
  jobs: number;
  finished: number;
  clientS: number;
  serverS: number;
  jobsPerS: number;
  errors: string[];
}

async function bulkWave(srv: TestServer, addrs: { host: string; port: number }[], kh: string): Promise<WaveResult> {
  const body = {
    driver: 'netmiko',
    connection_args: { device_type: 'cisco_ios', username: 'admin', password: 'admin', known_hosts_file: kh },
    devices: addrs.map((a) => ({ host: a.host, port: a.port })),
    command: ['show version'],
    queue_strategy: 'pinned',
  };
  const t0 = performance.now();
  const r = await srv.call('POST', '/device/bulk', body);
  const data = (r.body as { data?: { succeeded: { id: string }[]; failed: string[]; reasons: Record<string, string> } })
    ?.data;
  if (r.status !== 201 || !data)
    throw new Error(`POST /device/bulk: ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`);
  const ids = new Set(data.succeeded.map((j) => j.id));
  const jobs = await waitAll(srv, ids, 600_000);
  const clientS = (performance.now() - t0) / 1000;
  const created = Math.min(...jobs.map((j) => isoMs(j.created_at)));
  const ended = Math.max(...jobs.map((j) => isoMs(j.ended_at ?? j.created_at)));
  const finished = jobs.filter((j) => j.status === 'finished').length;
  const errors = [
    ...Object.entries(data.reasons)
      .slice(0, 3)
      .map(([h, m]) => `${h}: ${m}`),
    ...jobs
      .filter((j) => j.status !== 'finished')
      .slice(0, 3)
      .map((j) => `${j.status}: ${JSON.stringify(j.result).slice(0, 200)}`),
  ];
  return {
    jobs: jobs.length + data.failed.length,
    finished,
    clientS,
    serverS: (ended - created) / 1000,
    jobsPerS: finished / clientS,
    errors,
  };
}

/** 500 devices (simulators in a child) on one in-process node: a cold and a warm bulk wave, RSS per held pinned session. */
export async function benchApiScale(
  addrs: { host: string; port: number }[],
): Promise<{ cold: WaveResult; warm: WaveResult; held: number; rssDeltaMiB: number; perSessionKiB: number }> {
  const gc = getGc();
  const { dir: stateDir, kh } = benchStateDir();
  const srv = await startTestServer({
    server: { state_dir: stateDir },
    worker: { pinned_per_node: 600 },
    log: { level: 'warn' },
  });
  try {
    const before = await settledRss(gc);
    const cold = await bulkWave(srv, addrs, kh);
    const warm = await bulkWave(srv, addrs, kh);
    const after = await settledRss(gc);
    const w = await srv.call('GET', '/worker');
    const node = ((w.body as { data?: { count?: number }[] })?.data ?? []).find((x) => typeof x.count === 'number');
    const held = node?.count ?? 0;
    const delta = after - before;
    return { cold, warm, held, rssDeltaMiB: delta / 2 ** 20, perSessionKiB: held ? delta / held / 1024 : NaN };
  } finally {
    await srv.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

function opt(argv: string[], name: string, dflt: number): number {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : dflt;
}

export const FRR_TARGET: Target = {
  label: 'FRR',
  args: { device_type: 'cisco_ios', host: '127.0.0.1', port: 2222, username: 'netops', password: 'netops' },
  show: 'show version',
  config3: ['interface lo9', 'description bench-{i}', 'exit'],
  expect: 'FRRouting',
};

/** The in-process simulator lives on its own loopback address so its HostQ_ differs from FRR's. */
const SIM_HOST = '127.0.9.1';

async function cleanFrr(): Promise<void> {
  const d = new NetmikoDriver(silent);
  const s = await d.connect(FRR_TARGET.args, ctx());
  await s.config(['no interface lo9'], cfgReq(FRR_TARGET.args), ctx()).catch(() => undefined);
  await s.close();
}

const load = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

export async function run(argv: string[]): Promise<void> {
  if (argv[0] === '--serve-simulators') return serveSimulators(Number(argv[1] ?? '500'));
  const n = opt(argv, '-n', 200);
  const connects = Math.min(n, 20);
  const pyN = opt(argv, '--py-n', 10);
  const apiN = opt(argv, '--api-n', Math.min(n, 100));
  const sessionsN = opt(argv, '--sessions', 500);
  console.log(
    `# ssh bench; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load ${load()}; node ${process.version}`,
  );

  const { dir: stateDir, kh } = benchStateDir();
  const sim = await import('../../tests/fakes/ssh-device/index.ts');
  const dev = await sim.startDevice({ profile: 'cisco_ios', host: SIM_HOST });
  const simTarget: Target = {
    label: 'simulator cisco_ios',
    args: {
      device_type: 'cisco_ios',
      host: dev.host,
      port: dev.port,
      username: dev.username,
      password: dev.password,
      secret: dev.secret,
      known_hosts_file: kh,
    },
    show: 'show version',
    config3: ['interface Loopback9', 'description bench-{i}', 'exit'],
  };
  const targets = [FRR_TARGET, simTarget];
  try {
    // 1. Driver level, side by side with python3-netmiko.
    const ours = new Map<Target, Stats[]>();
    for (const t of targets) ours.set(t, await benchDriver(t, n, connects));
    await cleanFrr();
    console.log('\n## driver level (NetmikoDriver, no API)');
    printStats([...ours.values()].flat());
    if (!argv.includes('--no-python')) {
      const modes = argv.includes('--no-py-defaults') ? [true] : [true, false];
      for (const t of targets) {
        const py: Record<string, PyRow[]> = {};
        try {
          for (const fast of modes) py[fast ? 'fast_cli' : 'defaults'] = await benchPythonNetmiko(t, fast, pyN);
          printSideBySide(t.label, ours.get(t)!, py);
        } catch (err) {
          console.log(
            `\n## ${t.label}: python3-netmiko run failed: ${(err as Error).message.split('\n').slice(-3).join(' ')}`,
          );
        }
        if (t === FRR_TARGET) await cleanFrr();
      }
      console.log(`# python3-netmiko: ${pyN} samples per measurement; load ${load()}`);
    }

    // 2. Whole API path.
    const srv = await startTestServer({ server: { state_dir: stateDir }, log: { level: 'warn' } });
    try {
      const rows: Stats[] = [];
      const apiTargets: Target[] = [{ ...FRR_TARGET, args: { ...FRR_TARGET.args, known_hosts_file: kh } }, simTarget];
      for (const t of apiTargets) {
        const r = await benchApiPath(srv, t, apiN);
        rows.push(r.client, r.server);
      }
      for (const t of targets) rows.push({ ...ours.get(t)![1]!, name: `driver ${t.label}: send show version (warm)` });
      console.log(
        '\n## whole API path: POST /device/exec (netmiko, pinned, warm session) → GET /job?id= tight polling; memory broker, in-process',
      );
      printStats(rows);
    } finally {
      await srv.stop();
    }
  } finally {
    await dev.close();
    rmSync(stateDir, { recursive: true, force: true });
  }

  // 3. Many devices on one node.
  if (sessionsN > 0) {
    const child = await startSimChild(sessionsN);
    try {
      const r = await benchApiScale(child.addrs);
      console.log(
        `\n## ${child.addrs.length} simulated devices (child process, 127.0.0.2…) on one in-process node (pinned_per_node 600, memory broker); load ${load()}`,
      );
      console.log(
        '| wave | jobs | finished | client submit→all ended s | server first created→last ended s | jobs/s |',
      );
      console.log('|---|---|---|---|---|---|');
      for (const [name, w] of [
        ['cold (connect + command)', r.cold],
        ['warm (pinned sessions reused)', r.warm],
      ] as const) {
        console.log(
          `| ${name} | ${w.jobs} | ${w.finished} | ${w.clientS.toFixed(2)} | ${w.serverS.toFixed(2)} | ${w.jobsPerS.toFixed(0)} |`,
        );
        for (const e of w.errors) console.log(`#   ${e}`);
      }
      console.log(
        `# node RSS +${r.rssDeltaMiB.toFixed(1)} MiB for ${r.held} held pinned sessions = ${r.perSessionKiB.toFixed(0)} KiB/session (includes the ${r.cold.jobs + r.warm.jobs} job records kept by the memory broker)`,
      );
      const d = await benchIdleSessions(child.addrs);
      console.log(
        `# driver only (no API/worker; measured after the node stopped, same process): RSS +${d.rssDeltaMiB.toFixed(1)} MiB for ${d.sessions} idle sessions = ${d.perSessionKiB.toFixed(0)} KiB/session; all connected in ${(d.connectAllMs / 1000).toFixed(1)} s (25 at a time)`,
      );
    } finally {
      await child.stop();
    }
  }
  console.log(`# done; load ${load()}`);
}
