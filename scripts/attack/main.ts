/**
 * `npx tsx scripts/attack/main.ts [--seconds 300]`: the mixed attack run of the hardening work.
 *
 * Starts an all-in-one NetPulse on 127.0.0.1 (a free port; the event-loop probe preloaded) and,
 * for the given time, four attackers send a random mix of the attacks the hardening fixed: template
 * and regex bombs (jsonata, TextFSM, jinja2), deep JSON, directory sources, malformed HTTP,
 * refused webhook targets and, when the lab's OpenSSH answers on 127.0.0.1:2222, device jobs with
 * a catastrophic expect_string, backspace-laden output and endless output. Meanwhile /health is
 * polled every 250 ms. Loopback only. Reports: crashes, 5xx answers, worst /health latency, worst
 * event-loop delay in the server, and server RSS before and after: once the queued jobs have ended
 * and the results they stored have expired (the server keeps them `job.result_ttl`, set to
 * RESULT_TTL_S here so the run stays short), plus 30 s of quiet.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 300;
const KEY = 'attack-key-0123456789';
/** job.result_ttl of the attacked server: stored results (megabytes of partial output) live this long. */
const RESULT_TTL_S = 60;

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}
const reachable = (port: number) =>
  new Promise<boolean>((res) => {
    const settle = (ok: boolean): void => {
      c.destroy();
      res(ok);
    };
    const c = connect(port, '127.0.0.1', () => settle(true));
    c.on('error', () => res(false));
    c.setTimeout(1000, () => settle(false));
  });

const port = await freePort();
const dir = mkdtempSync(join(tmpdir(), 'np-attack-'));
mkdirSync(join(dir, 'sub'));
// `--cpu-prof <dir>` writes a CPU profile of the server there (to find what delays its event loop).
const profAt = process.argv.indexOf('--cpu-prof');
const prof = profAt > 0 ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.argv[profAt + 1] ?? '.')}`] : [];
const server = spawn(
  process.execPath,
  [...prof, '--import', 'tsx', '--import', './scripts/attack/probe.ts', 'core/cli/main.ts', 'serve'],
  {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NETPULSE_SERVER__HOST: '127.0.0.1',
      NETPULSE_SERVER__PORT: String(port),
      NETPULSE_SERVER__API_KEY: KEY,
      NETPULSE_SERVER__SECRET_KEY: 'a1'.repeat(32),
      NETPULSE_TEMPLATES__DIRS: JSON.stringify([dir]),
      NETPULSE_DRIVERS__OUTPUT__MAX_COMMAND_BYTES: String(4 << 20),
      NETPULSE_WORKER__PINNED_PER_NODE: '1000',
      NETPULSE_LOG__LEVEL: 'warn',
      NETPULSE_JOB__RESULT_TTL: String(RESULT_TTL_S),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  },
);
let crashed: string | null = null;
server.on('exit', (code, sig) => (crashed = `exit ${code ?? sig}`));
const probes: { maxMs: number; p99Ms: number; rssMb: number; heapMb: number; externalMb: number; at: number }[] = [];
server.stderr!.on('data', (d: Buffer) => {
  for (const line of d.toString().split('\n')) {
    if (line.startsWith('ATTACK-PROBE ')) probes.push({ ...JSON.parse(line.slice(13)), at: Date.now() });
  }
});

const base = `http://127.0.0.1:${port}`;
async function call(method: string, path: string, body?: unknown): Promise<number> {
  const res = await fetch(base + path, {
    method,
    headers: { 'X-API-KEY': KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  await res.arrayBuffer();
  return res.status;
}
for (let i = 0; ; i++) {
  if (await reachable(port)) break;
  if (i > 600 || crashed) throw new Error(`server did not start (${crashed ?? 'timeout'})`);
  await new Promise((r) => setTimeout(r, 100));
}
const lab = await reachable(2222);
const linux = { device_type: 'linux', host: '127.0.0.1', port: 2222, username: 'linux', password: 'linux' };

type Attack = [string, () => Promise<number>];
const job = (body: Record<string, unknown>) =>
  call('POST', '/device/exec', {
    driver: 'netmiko',
    connection_args: linux,
    queue_strategy: 'fifo',
    execution_timeout: 30,
    ...body,
  });
const attacks: Attack[] = [
  [
    'jsonata $pad 3e8',
    () => call('POST', '/template/parse', { name: 'jsonata', template: "$length($pad('', 300000000))", context: '{}' }),
  ],
  [
    'jsonata $match',
    () =>
      call('POST', '/template/parse', {
        name: 'jsonata',
        template: `$match('${'a'.repeat(30)}!', /(a+)+b/)`,
        context: '{}',
      }),
  ],
  [
    'textfsm ((a+)+b)',
    () =>
      call('POST', '/template/parse', {
        name: 'textfsm',
        template: 'Value X ((a+)+b)\n\nStart\n  ^${X} -> Record\n',
        context: 'a'.repeat(40) + '!',
      }),
  ],
  [
    'jinja2 loops',
    () =>
      call('POST', '/template/render', {
        name: 'jinja2',
        template: '{% for i in range(100000) %}{% for j in range(40) %}x{% endfor %}{% endfor %}',
        context: {},
      }),
  ],
  [
    'jinja2 2e8 string',
    () => call('POST', '/template/render', { name: 'jinja2', template: "{{ 'a' * 200000000 }}", context: {} }),
  ],
  ['deep JSON', () => call('POST', '/device/exec', '{"a":' + '['.repeat(60_000) + ']'.repeat(60_000) + '}')],
  ['directory source', () => call('POST', '/template/render/jinja2', { template: 'file://sub' })],
  [
    'webhook to metadata',
    () =>
      call('POST', '/device/exec', {
        driver: 'netmiko',
        connection_args: { ...linux, port: 9 },
        command: 'x',
        webhook: { url: 'http://169.254.169.254/' },
        execution_timeout: 5,
      }),
  ],
  [
    'malformed HTTP',
    () =>
      new Promise<number>((res) => {
        const c = connect(port, '127.0.0.1', () => c.write('GARBAGE / HTTP/9\r\n\r\n'));
        let b = '';
        c.on('data', (d) => (b += d));
        c.on('close', () => res(Number(/^HTTP\/1\.1 (\d+)/.exec(b)?.[1] ?? 0)));
        c.on('error', () => res(0));
      }),
  ],
  ['legit render', () => call('POST', '/template/render/jinja2', { template: 'hello {{ x }}', context: { x: 1 } })],
];
if (lab) {
  attacks.push(
    [
      'expect_string bomb',
      () =>
        job({
          command: "yes 'a b ' | head -c 200000; echo",
          driver_args: { expect_string: '^(\\s*\\S+\\s*)*XYZ$', read_timeout: 20 },
        }),
    ],
    [
      'backspace output',
      () => job({ command: "for i in $(seq 256); do head -c 16383 /dev/zero | tr '\\0' x; printf '\\b\\n'; done" }),
    ],
    ['endless output', () => job({ command: 'yes', driver_args: { read_timeout: 25 } })],
  );
}

// `--only <regex>` narrows the mix (to find which attack a delay comes from).
const onlyAt = process.argv.indexOf('--only');
if (onlyAt > 0) {
  const only = new RegExp(process.argv[onlyAt + 1] ?? '.');
  attacks.splice(0, attacks.length, ...attacks.filter(([name]) => only.test(name)));
}

const counts = new Map<string, { n: number; statuses: Record<number, number> }>();
let fiveXX = 0;
let errors = 0;
let worstHealth = 0;
const deadline = Date.now() + seconds * 1000;
const rssBefore = probes.at(-1)?.rssMb ?? NaN;
console.log(
  `server on ${base}; lab ssh ${lab ? 'used' : 'absent (device attacks skipped)'}; ${seconds} s; RSS at start ${rssBefore.toFixed(0)} MB`,
);
await new Promise((r) => setTimeout(r, 2500));
const rssBaseline = probes.at(-1)?.rssMb ?? NaN;
const heapBaseline = probes.at(-1)?.heapMb ?? NaN;
const externalBaseline = probes.at(-1)?.externalMb ?? NaN;

const attackStart = Date.now();
const poller = (async () => {
  while (Date.now() < deadline && !crashed) {
    const t0 = performance.now();
    try {
      const st = await call('GET', '/health');
      if (st >= 500) fiveXX++;
    } catch {
      errors++;
    }
    worstHealth = Math.max(worstHealth, performance.now() - t0);
    await new Promise((r) => setTimeout(r, 250));
  }
})();
const attacker = async () => {
  while (Date.now() < deadline && !crashed) {
    const [name, run] = attacks[Math.floor(Math.random() * attacks.length)]!;
    const c = counts.get(name) ?? { n: 0, statuses: {} };
    counts.set(name, c);
    c.n++;
    try {
      const st = await run();
      c.statuses[st] = (c.statuses[st] ?? 0) + 1;
      if (st >= 500) fiveXX++;
    } catch {
      errors++;
    }
  }
};
await Promise.all([poller, attacker(), attacker(), attacker(), attacker()]);
// Probes from start-up (module loading blocks the loop before any request) are not counted.
const attackProbes = probes.filter((p) => p.at >= attackStart + 2000 && p.at <= deadline + 2000);
const worstLoop = Math.max(...attackProbes.map((p) => p.maxMs));
const rssPeak = Math.max(...attackProbes.map((p) => p.rssMb));
console.log('attacks:');
for (const [name, c] of counts)
  console.log(`  ${name.padEnd(20)} ${String(c.n).padStart(5)}  ${JSON.stringify(c.statuses)}`);
// The jobs the attack queued keep running after it: RSS is judged once they have all ended
// (bounded wait) and their results have expired, then after 30 s of quiet.
const drainStart = Date.now();
for (let busy = true; busy && Date.now() - drainStart < 300_000 && !crashed; ) {
  busy = false;
  for (const status of ['queued', 'started']) {
    const res = await fetch(`${base}/job?status=${status}&limit=1`, { headers: { 'X-API-KEY': KEY } });
    const body = (await res.json()) as { data?: unknown[] };
    if (Array.isArray(body.data) && body.data.length > 0) busy = true;
  }
  if (busy) await new Promise((r) => setTimeout(r, 2000));
}
const drainSeconds = Math.round((Date.now() - drainStart) / 1000);
// Results are data the server keeps on purpose until they expire; what stays after that is a leak.
await new Promise((r) => setTimeout(r, (RESULT_TTL_S + 30) * 1000));
const last = probes.at(-1);
const rssAfter = last?.rssMb ?? NaN;
console.log(
  JSON.stringify(
    {
      seconds,
      crashes: crashed ? 1 : 0,
      crash: crashed,
      fiveXX,
      transportErrors: errors,
      worstHealthMs: Math.round(worstHealth),
      worstEventLoopDelayMs: Math.round(worstLoop),
      jobsDrainedAfterSeconds: drainSeconds,
      rssMb: {
        baseline: Math.round(rssBaseline),
        peak: Math.round(rssPeak),
        afterResultsExpiredAndQuiet: Math.round(rssAfter),
      },
      // Where the RSS after the run sits: the JS heap in use, and buffers outside it.
      afterMb: { heap: Math.round(last?.heapMb ?? NaN), external: Math.round(last?.externalMb ?? NaN) },
      baselineMb: { heap: Math.round(heapBaseline), external: Math.round(externalBaseline) },
    },
    null,
    2,
  ),
);
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
rmSync(dir, { recursive: true, force: true });
process.exit(crashed ? 1 : 0);
