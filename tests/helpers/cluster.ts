import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { PROJECT_ROOT, ECHO_DRIVER, TEST_SECRET_KEY } from './server.ts';
import { redisReachable } from './redis.ts';

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

export async function waitFor(
  what: string,
  fn: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A private redis-server with AOF on a free loopback port, restartable (for restart tests). */
export class TestRedis {
  proc: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'np-redis-'));
  constructor(readonly port: number) {}

  static async available(): Promise<boolean> {
    return new Promise((res) => {
      const p = spawn('redis-server', ['--version']);
      p.on('error', () => res(false));
      p.on('exit', (code) => res(code === 0));
    });
  }

  async start(): Promise<void> {
    this.proc = spawn(
      'redis-server',
      [
        '--bind',
        '127.0.0.1',
        '--port',
        String(this.port),
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--protected-mode',
        'no',
      ],
      { stdio: 'ignore' },
    );
    await waitFor('redis to answer', () => redisReachable({ host: '127.0.0.1', port: this.port }), 10_000);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((res) => {
      p.once('exit', () => res());
      p.kill(signal);
    });
    this.proc = null;
  }

  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * NETPULSE_* env of a loopback test cluster on `redisPort` with the API on `apiPort` (fast
 * heartbeats, short node ttl). Its controller and workers share a state directory of their own
 * (SSH known_hosts): the default one under $HOME is shared by every run, and a simulator that gets
 * a port another test's simulator had would meet that one's host key there.
 */
export function clusterEnv(redisPort: number, apiPort: number, apiKey: string): Record<string, string> {
  const stateDir = join(tmpdir(), `np-cluster-state-${process.pid}-${apiPort}`);
  mkdirSync(stateDir, { recursive: true });
  return {
    NETPULSE_SERVER__STATE_DIR: stateDir,
    NETPULSE_REDIS__HOST: '127.0.0.1',
    NETPULSE_REDIS__PORT: String(redisPort),
    NETPULSE_SERVER__HOST: '127.0.0.1',
    NETPULSE_SERVER__PORT: String(apiPort),
    NETPULSE_SERVER__API_KEY: apiKey,
    NETPULSE_WORKER__TTL: '3',
    NETPULSE_WORKER__HEARTBEAT_INTERVAL: '0.5',
  };
}

export interface NetPulseProcess {
  role: 'controller' | 'worker';
  name: string;
  proc: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

/** Spawns `netpulse <role>` as a real child process with NETPULSE_* env (echo driver loaded as a third-party plugin). */
export function spawnNetPulse(
  role: 'controller' | 'worker',
  name: string,
  env: Record<string, string>,
  args: string[] = [],
  nodeArgs: string[] = [],
): NetPulseProcess {
  const proc = spawn(process.execPath, [...nodeArgs, resolve(PROJECT_ROOT, 'bin/netpulse.mjs'), role, ...args], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NETPULSE_PLUGIN__MODULES: JSON.stringify([ECHO_DRIVER]),
      NETPULSE_WORKER__NAME: name,
      NETPULSE_LOG__LEVEL: 'warn',
      NETPULSE_SERVER__SECRET_KEY: TEST_SECRET_KEY,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  proc.stdout?.on('data', (d) => output.push(String(d)));
  proc.stderr?.on('data', (d) => output.push(String(d)));
  const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
  return { role, name, proc, output, exited };
}

export async function stopProcess(
  p: NetPulseProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  timeoutMs = 15_000,
): Promise<number | null> {
  if (p.proc.exitCode !== null || p.proc.signalCode !== null) return p.proc.exitCode;
  p.proc.kill(signal);
  const t = setTimeout(() => p.proc.kill('SIGKILL'), timeoutMs);
  const code = await p.exited;
  clearTimeout(t);
  return code;
}
