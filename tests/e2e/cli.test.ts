/**
 * The `netpulse` command as users run it: `node bin/netpulse.mjs …` child processes on 127.0.0.1.
 * Every child is killed in `after`, whatever happened.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../helpers/server.ts';

const BIN = resolve(PROJECT_ROOT, 'bin/netpulse.mjs');
const children: ChildProcess[] = [];

after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** The test process env without NETPULSE_* variables (and no .env), plus `extra`. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^netpulse_/i.test(k) && k !== 'NODE_TEST_CONTEXT') env[k] = v;
  return { ...env, NETPULSE_DOTENV: '/nonexistent/netpulse-test.env', ...extra };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function exited(c: ChildProcess, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((res, rej) => {
    if (c.exitCode !== null || c.signalCode !== null) return res({ code: c.exitCode, signal: c.signalCode });
    const t = setTimeout(() => rej(new Error(`child did not exit within ${ms} ms`)), ms);
    c.once('exit', (code, signal) => {
      clearTimeout(t);
      res({ code, signal });
    });
  });
}

describe('netpulse serve', () => {
  it('prints a generated key once, serves /health and /docs, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'serve'], {
      cwd: PROJECT_ROOT,
      env: childEnv({
        NETPULSE_SERVER__PORT: String(port),
        NETPULSE_SERVER__HOST: '127.0.0.1',
        NETPULSE_LOG__LEVEL: 'info',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    let stdout = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    child.stdout!.on('data', (d) => (stdout += String(d)));

    // Wait (bounded) for the listening line.
    const deadline = Date.now() + 30_000;
    while (!/listening on http:\/\/127\.0\.0\.1:\d+/.test(stderr)) {
      if (child.exitCode !== null) assert.fail(`serve exited early (${child.exitCode}): ${stderr}`);
      if (Date.now() > deadline) assert.fail(`serve did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const m = /X-API-KEY: (np_[A-Za-z0-9_-]+)/.exec(stderr);
    assert.ok(m, `generated key printed on stderr: ${stderr}`);
    const key = m[1];
    assert.equal(stderr.split(key).length - 1, 1, 'the key is printed exactly once');
    assert.ok(stderr.includes(`127.0.0.1:${port}`));

    const base = `http://127.0.0.1:${port}`;
    const denied = await fetch(`${base}/health`);
    assert.equal(denied.status, 403);
    await denied.arrayBuffer();
    const health = await fetch(`${base}/health`, { headers: { 'X-API-KEY': key } });
    assert.equal(health.status, 200);
    const body = (await health.json()) as { code: number; data: { status: string; broker: { name: string } } };
    assert.equal(body.code, 200);
    assert.equal(body.data.broker.name, 'memory');
    const docs = await fetch(`${base}/docs`);
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /<html/i);

    child.kill('SIGTERM');
    const { code } = await exited(child, 10_000);
    assert.equal(code, 0, stderr);
    // The key went to stderr only: never into the (JSON) log lines on stdout.
    assert.ok(stdout.length > 0, 'logs were written');
    assert.ok(!stdout.includes(key), 'the generated key is never logged');
  });
});

describe('netpulse controller', () => {
  it('without server.api_key exits non-zero with a clear message', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((res) => {
      execFile(
        process.execPath,
        [BIN, 'controller'],
        {
          cwd: PROJECT_ROOT,
          env: childEnv({ NETPULSE_SERVER__HOST: '127.0.0.1', NETPULSE_REDIS__HOST: '127.0.0.1' }),
          timeout: 30_000,
        },
        (err, _out, stderr) => res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /netpulse controller: cannot start/);
    assert.match(r.stderr, /NP_ERR_CONFIG/);
    assert.match(r.stderr, /server\.api_key is required/);
    assert.match(r.stderr, /NETPULSE_SERVER__API_KEY/);
    assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
  });
});

describe('netpulse --help', () => {
  it('npx netpulse --help lists the commands', async () => {
    const out = await new Promise<string>((res, rej) => {
      execFile(
        'npx',
        ['--no-install', 'netpulse', '--help'],
        { cwd: PROJECT_ROOT, env: childEnv(), timeout: 60_000 },
        (err, stdout, stderr) => (err ? rej(new Error(`${err.message}\n${stderr}`)) : res(stdout)),
      );
    });
    for (const cmd of ['serve', 'controller', 'worker', 'config'])
      assert.match(out, new RegExp(`^\\s+${cmd}\\b`, 'm'), cmd);
  });

  it('config --help lists print', async () => {
    const out = await new Promise<string>((res, rej) => {
      execFile(
        process.execPath,
        [BIN, 'config', '--help'],
        { cwd: PROJECT_ROOT, env: childEnv(), timeout: 30_000 },
        (err, stdout) => (err ? rej(err) : res(stdout)),
      );
    });
    assert.match(out, /^\s+print\b/m);
  });
});
