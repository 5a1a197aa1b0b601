import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keyMatches } from '../http/auth.ts';
import type { NetPulseMetrics } from './metrics.ts';
import { isReady, type ProbeTarget } from './probes.ts';

export interface MetricsServerOptions {
  host: string;
  port: number;
  metrics: NetPulseMetrics;
  probe: ProbeTarget;
  /** When set (and not public), `/metrics` needs this key in the header or query named `keyName`. */
  apiKey: string | null;
  keyName: string;
  metricsPublic: boolean;
}

/**
 * A worker node's own small HTTP server (`netpulse worker --metrics-port`): `/metrics` with this
 * node's registry, and the `/livez` and `/readyz` probes for its pod. Nothing else is served.
 */
export async function startMetricsServer(
  o: MetricsServerOptions,
): Promise<{ server: Server; address: string; close(): Promise<void> }> {
  const authorized = (req: IncomingMessage, url: URL) => {
    if (o.metricsPublic || !o.apiKey) return true;
    const header = req.headers[o.keyName.toLowerCase()];
    const candidates = [typeof header === 'string' ? header : undefined, url.searchParams.get(o.keyName) ?? undefined];
    let okAny = false;
    for (const c of candidates) okAny = keyMatches(c, o.apiKey) || okAny;
    return okAny;
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const text = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(body);
    };
    if (req.method !== 'GET') return text(405, 'method not allowed\n');
    if (url.pathname === '/livez') return text(200, 'ok\n');
    if (url.pathname === '/readyz') {
      void isReady(o.probe).then((ready) => text(ready ? 200 : 503, ready ? 'ok\n' : 'unavailable\n'));
      return;
    }
    if (url.pathname === '/metrics') {
      if (!authorized(req, url)) return text(403, 'Invalid or missing API key.\n');
      void o.metrics.render().then(
        (m) => {
          res.writeHead(200, { 'content-type': m.contentType });
          res.end(m.body);
        },
        () => text(500, 'metrics unavailable\n'),
      );
      return;
    }
    text(404, 'not found\n');
  });
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  return {
    server,
    address: `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
