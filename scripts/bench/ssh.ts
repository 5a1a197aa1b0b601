/**
 * `npm run bench -- ssh [options]`: the netmiko driver at driver level, side by side with
 * Debian's python3-netmiko 2.4.2 against the same FRR peer, plus per-session idle memory.
 *
 *   -n N               samples per measurement (default 200 commands, 20 connects)
 *   --py-n N           samples for python netmiko (default 10; defaults mode is slow: ~4 s/connect)
 *   --no-python        skip python netmiko
 *   --no-py-defaults   run python netmiko with fast_cli=True only
 *   --sessions N       idle sessions for the RSS measurement (default 500; 0 = skip)
 *
 * Sections are exported functions so the whole-API-path figures can be added as another section.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../core/contracts/common.ts';
import type { DriverContext, DriverRequest } from '../../core/contracts/driver.ts';
import { NetmikoDriver, type NetmikoSession } from '../../plugins/drivers/netmiko/driver.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const BASELINE = '/work/shared/lab/baselines/bench_netmiko.py';

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
  return { name, n: s.length, p50: pct(50), p99: pct(99), mean: s.reduce((a, b) => a + b, 0) / s.length, min: s[0]!, max: s[s.length - 1]! };
}

export function printStats(rows: Stats[]): void {
  console.log('| measurement | n | p50 ms | p99 ms | mean ms | min ms | max ms |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.n} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} | ${r.mean.toFixed(3)} | ${r.min.toFixed(3)} | ${r.max.toFixed(3)} |`);
  }
}

const ctx = (): DriverContext => ({ log: silent, signal: AbortSignal.timeout(120_000) });
const cmdReq = (a: Record<string, unknown>): DriverRequest => ({ connection_args: a, driver_args: {}, operation: 'command', options: {} });
// enable_mode: the simulator's IOS logs in at `R1>`; on FRR (already `#`) it is a no-op.
const cfgReq = (a: Record<string, unknown>): DriverRequest => ({ connection_args: a, driver_args: {}, operation: 'config', options: { enable_mode: true } });

export interface Target {
  label: string;
  args: Record<string, unknown>;
  show: string;
  /** Three config lines, `{i}` replaced by the iteration (as bench_netmiko.py does). */
  config3: string[];
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

interface PyRow {
  name: string;
  n: number;
  median: number;
  p90: number;
}

/** Runs the lab's reference script (Debian python3-netmiko) and returns its rows (ms). */
export function benchPythonNetmiko(fastCli: boolean, n: number): Promise<PyRow[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'np-bench-'));
  const out = path.join(dir, 'netmiko.json');
  const argv = [BASELINE, '-n', String(n), '--json', out, ...(fastCli ? ['--fast-cli'] : [])];
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/python3', argv, { timeout: 900_000 }, (err) => {
      try {
        if (err) return reject(err);
        resolve((JSON.parse(readFileSync(out, 'utf8')) as { rows: PyRow[] }).rows);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
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

/** RSS per idle driver session: simulators run in a child process so only client memory is counted. */
export async function benchIdleSessions(count: number): Promise<{ sessions: number; rssDeltaMiB: number; perSessionKiB: number; connectAllMs: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'main.ts'), 'ssh', '--serve-simulators', String(count)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const addrs = await new Promise<{ host: string; port: number }[]>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)));
    });
    child.once('exit', (code) => reject(new Error(`simulator child exited with ${code}`)));
  });
  const driver = new NetmikoDriver(silent);
  const kh = path.join(mkdtempSync(path.join(os.tmpdir(), 'np-bench-kh-')), 'known_hosts');
  const sessions: NetmikoSession[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  try {
    gc?.();
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    const concurrency = 25;
    for (let i = 0; i < addrs.length; i += concurrency) {
      const batch = addrs.slice(i, i + concurrency).map((a) =>
        driver.connect(
          { device_type: 'cisco_ios', host: a.host, port: a.port, username: 'admin', password: 'admin', secret: 'secret', known_hosts_file: kh, keepalive: 0 },
          ctx(),
        ),
      );
      sessions.push(...(await Promise.all(batch)));
    }
    const connectAllMs = performance.now() - t0;
    gc?.();
    await new Promise((r) => setTimeout(r, 500));
    const after = process.memoryUsage().rss;
    const delta = after - before;
    return { sessions: sessions.length, rssDeltaMiB: delta / 2 ** 20, perSessionKiB: delta / sessions.length / 1024, connectAllMs };
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
    child.stdin.end();
    await new Promise((r) => child.once('exit', r));
    rmSync(path.dirname(kh), { recursive: true, force: true });
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
};

export async function run(argv: string[]): Promise<void> {
  if (argv[0] === '--serve-simulators') return serveSimulators(Number(argv[1] ?? '500'));
  const n = opt(argv, '-n', 200);
  const connects = Math.min(n, 20);
  const pyN = opt(argv, '--py-n', 10);
  const sessionsN = opt(argv, '--sessions', 500);
  console.log(`# netmiko driver bench; ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const rows: Stats[] = [];
  rows.push(...(await benchDriver(FRR_TARGET, n, connects)));
  const sim = await import('../../tests/fakes/ssh-device/index.ts');
  const dev = await sim.startDevice({ profile: 'cisco_ios' });
  try {
    rows.push(
      ...(await benchDriver(
        {
          label: 'simulator cisco_ios',
          args: { device_type: 'cisco_ios', host: dev.host, port: dev.port, username: dev.username, password: dev.password, secret: dev.secret },
          show: 'show version',
          config3: ['interface Loopback9', 'description bench-{i}', 'exit'],
        },
        n,
        connects,
      )),
    );
  } finally {
    await dev.close();
  }
  // Leave the FRR lab as it was.
  const d = new NetmikoDriver(silent);
  const s = await d.connect(FRR_TARGET.args, ctx());
  await s.config(['no interface lo9'], cfgReq(FRR_TARGET.args), ctx()).catch(() => undefined);
  await s.close();
  printStats(rows);

  if (!argv.includes('--no-python')) {
    const modes = argv.includes('--no-py-defaults') ? [true] : [true, false];
    const py: Record<string, PyRow[]> = {};
    for (const fast of modes) py[fast ? 'fast_cli' : 'defaults'] = await benchPythonNetmiko(fast, pyN);
    const s2 = await d.connect(FRR_TARGET.args, ctx());
    await s2.config(['no interface lo9'], cfgReq(FRR_TARGET.args), ctx()).catch(() => undefined);
    await s2.close();
    const ours = { connect: rows[0]!.p50, show: rows[1]!.p50, config: rows[2]!.p50 };
    console.log('\n## vs python3-netmiko 2.4.2 (FRR, medians; ratio = netmiko / netpulse)');
    console.log('| operation | netpulse p50 ms | ' + Object.keys(py).map((k) => `netmiko ${k} ms | ratio`).join(' | ') + ' |');
    console.log('|---|---|' + Object.keys(py).map(() => '---|---').join('|') + '|');
    const keys: [string, keyof typeof ours, RegExp][] = [
      ['connect+disconnect', 'connect', /\(a\)/],
      ['send_command show version (warm)', 'show', /\(b\)/],
      ['send_config_set 3 lines (warm)', 'config', /\(c\)/],
    ];
    for (const [label, k, re] of keys) {
      const cells = Object.values(py).map((r) => {
        const m = r.find((x) => re.test(x.name))!.median;
        return `${m.toFixed(2)} | ${(m / ours[k]).toFixed(1)}×`;
      });
      console.log(`| ${label} | ${ours[k].toFixed(3)} | ${cells.join(' | ')} |`);
    }
  }

  if (sessionsN > 0) {
    const r = await benchIdleSessions(sessionsN);
    console.log(`\n## idle sessions: ${r.sessions} simulator devices on 127.0.0.2…; RSS +${r.rssDeltaMiB.toFixed(1)} MiB = ${r.perSessionKiB.toFixed(0)} KiB/session; all connected in ${(r.connectAllMs / 1000).toFixed(1)} s`);
  }
}
