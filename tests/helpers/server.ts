import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startNetPulse, type NetPulse, type Role } from '../../core/app/bootstrap.ts';
import type { NetPulseConfigInput } from '../../core/config/types.ts';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const ECHO_DRIVER = resolve(PROJECT_ROOT, 'tests/fixtures/plugins/echo-driver.ts');
export const TEST_KEY = 'test-key-0123456789';
/** Request-sealing key of test servers and spawned controllers/workers (64 hex digits). */
export const TEST_SECRET_KEY = '5e'.repeat(32);

export interface TestServer {
  np: NetPulse;
  /** Base URL (real HTTP on 127.0.0.1, ephemeral port). */
  url: string;
  key: string;
  /** Captured log lines (JSON text). */
  logs: string[];
  /** fetch with the API key header and JSON body. */
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

/**
 * Starts a real NetPulse (memory broker unless overridden, echo driver loaded as a third-party
 * plugin) listening on 127.0.0.1 with an ephemeral port. Env variables of the test process are not
 * read, so the machine's NETPULSE_* settings cannot leak into tests.
 */
export async function startTestServer(
  overrides: NetPulseConfigInput = {},
  opts: { role?: Role; env?: Record<string, string>; nodeName?: string } = {},
): Promise<TestServer> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const base: NetPulseConfigInput = {
    // A fresh state directory per server: host keys and TLS pins never leak between tests or into ~.
    server: {
      host: '127.0.0.1',
      port: 0,
      api_key: TEST_KEY,
      secret_key: TEST_SECRET_KEY,
      state_dir: mkdtempSync(join(tmpdir(), 'np-test-state-')),
    },
    plugin: { modules: [ECHO_DRIVER] },
    log: { level: 'info' },
    worker: { heartbeat_interval: 0.5, ttl: 5 },
  };
  const merged = mergeDeep(base, overrides);
  const np = await startNetPulse({
    role: opts.role ?? 'serve',
    root: PROJECT_ROOT,
    cwd: PROJECT_ROOT,
    env: opts.env ?? {},
    overrides: merged,
    logDestination: sink,
    nodeName: opts.nodeName,
    skipConfigTs: true,
  });
  const url = np.address ?? '';
  const key = np.config.server.api_key ?? '';
  return {
    np,
    url,
    key,
    logs,
    async call(method, path, body, headers = {}) {
      const res = await fetch(url + path, {
        method,
        headers: {
          'X-API-KEY': key,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // non-JSON answers (e.g. /docs HTML) stay text
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    stop: () => np.stop(),
  };
}

function mergeDeep(a: any, b: any): any {
  const out = { ...a };
  for (const [k, v] of Object.entries(b ?? {})) {
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && a[k] && typeof a[k] === 'object' ? mergeDeep(a[k], v) : v;
  }
  return out;
}

/** Polls GET /job?id= until the job ends (bounded). */
export async function waitJob(s: TestServer, id: string, timeoutMs = 15_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await s.call('GET', `/job?id=${id}`);
    const job = r.body?.data?.[0];
    if (job && ['finished', 'failed', 'canceled'].includes(job.status)) return job;
    if (Date.now() > deadline)
      throw new Error(`job ${id} did not end within ${timeoutMs} ms (last: ${JSON.stringify(job)})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
