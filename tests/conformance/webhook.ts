/**
 * Webhook conformance suite: what every `webhook` plugin must do, checked against a real HTTP
 * server on 127.0.0.1. A plugin author runs it with a factory for their caller:
 *
 * ```ts
 * import { runWebhookConformance } from '../conformance/webhook.ts';
 * runWebhookConformance('my_hook', () => myManifest.register({ config: { webhook: { retries: 1, backoff_ms: 10 } }, log }));
 * ```
 *
 * The factory should configure few retries and short backoff so the failure cases stay quick.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../core/contracts/common.ts';
import type { JobEvent, WebhookCaller, WebhookDelivery, WebhookSpec } from '../../core/contracts/webhook.ts';

export interface RecordedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** `performance.now()` when the request was complete. */
  at: number;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (the connection is destroyed when the server closes). */
  hang?: boolean;
}

export interface HookServer {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Replaces the reply function; `n` counts requests from 0. */
  reply(fn: (req: RecordedRequest, n: number) => Reply): void;
  close(): Promise<void>;
}

/** A recording HTTP server on 127.0.0.1 with an ephemeral port. Answers 204 unless told otherwise. */
export async function startHookServer(
  fn: (req: RecordedRequest, n: number) => Reply = () => ({ status: 204 }),
): Promise<HookServer> {
  let replyFn = fn;
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      };
      const n = requests.length;
      requests.push(rec);
      const r = replyFn(rec, n);
      if (r.hang) {
        hanging.add(res);
        return;
      }
      res.writeHead(r.status ?? 204, r.headers ?? {});
      res.end(r.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    reply(f) {
      replyFn = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: unknown;
  msg: string | undefined;
}

/** A Logger that records every call, children included, into one list. */
export function captureLogger(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const make = (bindings: Record<string, unknown>): Logger => {
    const at = (level: LogLine['level']) => (obj: unknown, msg?: string) => {
      lines.push({ level, obj: obj && typeof obj === 'object' ? { ...bindings, ...(obj as object) } : obj, msg });
    };
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (b) => make({ ...bindings, ...b }),
    };
  };
  return { log: make({}), lines };
}

export function sampleEvent(overrides: Partial<JobEvent> = {}): JobEvent {
  return {
    id: 'job-8f14e45f',
    event: 'job.finished',
    status: 'finished',
    queue: 'HostQ_192.0.2.1',
    worker: 'node1_pinned_192.0.2.1',
    host: '192.0.2.1',
    driver: 'netmiko',
    result: { 'show version': 'Cisco IOS Software, Version 15.2' },
    error: null,
    started_at: '2025-11-01T10:00:00.000+00:00',
    ended_at: '2025-11-01T10:00:01.250+00:00',
    ...overrides,
  };
}

export function hookFor(url: string, overrides: Partial<WebhookSpec> = {}): WebhookSpec {
  return { name: 'basic', url, method: 'POST', headers: null, cookies: null, auth: null, timeout: 5, ...overrides };
}

function assertDeliveryShape(d: WebhookDelivery): void {
  assert.equal(typeof d.ok, 'boolean');
  assert.ok(Number.isInteger(d.attempts) && d.attempts >= 0, `attempts ${d.attempts}`);
  if (d.status !== undefined) assert.ok(Number.isInteger(d.status));
  if (!d.ok) assert.equal(typeof d.error, 'string');
}

export function runWebhookConformance(name: string, make: () => WebhookCaller | Promise<WebhookCaller>): void {
  describe(`webhook conformance: ${name}`, () => {
    let server: HookServer;
    let caller: WebhookCaller;
    const { log } = captureLogger();

    before(async () => {
      server = await startHookServer();
      caller = await make();
    });
    after(async () => {
      await server.close();
    });

    it('exposes its name', () => {
      assert.equal(caller.name, name);
    });

    it('delivers a POST with the event as JSON and reports success', async () => {
      server.reply(() => ({ status: 200, body: 'ok' }));
      const before = server.requests.length;
      const event = sampleEvent({ id: 'conf-post-1' });
      const d = await caller.deliver(hookFor(`${server.url}/hook`), event, { log });
      assertDeliveryShape(d);
      assert.equal(d.ok, true);
      assert.equal(d.status, 200);
      assert.ok(d.attempts >= 1);
      const got = server.requests.slice(before);
      assert.equal(got.length, 1);
      assert.equal(got[0]!.method, 'POST');
      const body = JSON.parse(got[0]!.body);
      assert.equal(typeof body, 'object');
      assert.ok(JSON.stringify(body).includes('conf-post-1'));
    });

    it('delivers with GET and the other methods', async () => {
      server.reply(() => ({ status: 204 }));
      for (const method of ['GET', 'PUT', 'PATCH', 'DELETE'] as const) {
        const before = server.requests.length;
        const d = await caller.deliver(hookFor(`${server.url}/m`, { method }), sampleEvent(), { log });
        assert.equal(d.ok, true, `${method}: ${d.error}`);
        assert.equal(server.requests[before]?.method, method);
      }
    });

    it('reports a 4xx answer as a failed delivery with its status', async () => {
      server.reply(() => ({ status: 404 }));
      const d = await caller.deliver(hookFor(`${server.url}/missing`), sampleEvent(), { log });
      assertDeliveryShape(d);
      assert.equal(d.ok, false);
      assert.equal(d.status, 404);
    });

    it('never throws when the target is unreachable', { timeout: 30_000 }, async () => {
      const port = await closedPort();
      const d = await caller.deliver(hookFor(`http://127.0.0.1:${port}/x`, { timeout: 1 }), sampleEvent(), { log });
      assertDeliveryShape(d);
      assert.equal(d.ok, false);
      assert.ok(d.attempts >= 1);
    });

    it('never throws on an unusable URL or method', async () => {
      for (const hook of [
        hookFor('not a url'),
        hookFor('ftp://127.0.0.1/x'),
        hookFor('file:///etc/passwd'),
        hookFor(''),
        hookFor(`${server.url}/x`, { method: 'TRACE' as WebhookSpec['method'] }),
      ]) {
        const d = await caller.deliver(hook, sampleEvent(), { log });
        assertDeliveryShape(d);
        assert.equal(d.ok, false, `accepted ${hook.url} ${hook.method}`);
      }
    });

    it('returns promptly, without throwing, when the signal is already aborted', async () => {
      const d = await caller.deliver(hookFor(`${server.url}/x`), sampleEvent(), { log, signal: AbortSignal.abort() });
      assertDeliveryShape(d);
      assert.equal(d.ok, false);
    });
  });
}
