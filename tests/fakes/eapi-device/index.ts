/**
 * Arista eAPI simulator: JSON-RPC 2.0 `runCmds` on POST /command-api over
 * HTTP or HTTPS with Basic auth, in front of one simulated switch
 * (device.ts). Protocol facts: Arista's eAPI documentation (JSON-RPC runCmds).
 *
 *   const dev = await startEapiDevice({ https: true });
 *   ...  dev.runningConfig(); await dev.close();
 */
import http from 'node:http';
import https from 'node:https';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { selfSignedCert } from './cert.ts';
import { EapiDevice } from './device.ts';
import { ReplayStore } from '../replay.ts';
import { parseRunCmds, rpcError, type RpcId } from './jsonrpc.ts';

export interface EapiDeviceOptions {
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  secret?: string;
  https?: boolean;
  hostname?: string;
  /** Test-only clock for `commit timer`: 0.01 makes a 60 s timer revert after 0.6 s. */
  timeScale?: number;
  /** Replay device: directories of recorded outputs (`.json` / `.text`, NAPALM mocked-data names), in order. */
  replay?: string[];
}

export interface EapiDeviceHandle {
  host: string;
  port: number;
  username: string;
  password: string;
  https: boolean;
  /** POST /command-api requests received (authenticated or not) */
  readonly requests: number;
  runningConfig(): string;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;

function isLoopback(host: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === 'localhost';
}

export async function startEapiDevice(opts: EapiDeviceOptions = {}): Promise<EapiDeviceHandle> {
  const host = opts.host ?? '127.0.0.1';
  // test tooling: never listen beyond loopback
  if (!isLoopback(host)) throw new Error(`eapi-device: refusing to bind to non-loopback host ${host}`);
  const username = opts.username ?? 'admin';
  const password = opts.password ?? 'admin';
  const useHttps = opts.https ?? false;
  const device = new EapiDevice({
    hostname: opts.hostname ?? 'sw1',
    secret: opts.secret,
    timeScale: opts.timeScale,
    replay: opts.replay?.length ? new ReplayStore(opts.replay) : null,
  });
  const sessions = new Set<string>();
  let requests = 0;

  const authorized = (req: http.IncomingMessage): boolean => {
    const cookie = /(?:^|;\s*)Session=([^;]+)/.exec(req.headers.cookie ?? '');
    if (cookie && sessions.has(cookie[1])) return true;
    const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return false;
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    return i >= 0 && decoded.slice(0, i) === username && decoded.slice(i + 1) === password;
  };

  const send = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
      'Content-Length': String(Buffer.byteLength(text)),
      ...headers,
    });
    res.end(text);
  };

  const unauthorized = (res: http.ServerResponse): void =>
    send(res, 401, 'Unable to authenticate user: Bad username/password combination\n', {
      'WWW-Authenticate': 'Basic realm="eAPI"',
    });

  const readBody = (req: http.IncomingMessage): Promise<string | null> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          resolve(null);
          req.removeAllListeners('data');
          req.resume();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '') || '/';
    if (path === '/login' && req.method === 'POST') {
      // session login of pyeapi 1.x http_session / eapy
      const body = await readBody(req);
      let creds: { username?: unknown; password?: unknown } = {};
      try {
        creds = JSON.parse(body ?? '') as typeof creds;
      } catch {
        return send(res, 400, 'Bad request\n');
      }
      if (creds.username !== username || creds.password !== password) return unauthorized(res);
      const token = crypto.randomBytes(16).toString('hex');
      sessions.add(token);
      return send(res, 200, {}, { 'Set-Cookie': `Session=${token}; Path=/; HttpOnly` });
    }
    if (path === '/logout' && req.method === 'POST') {
      const cookie = /(?:^|;\s*)Session=([^;]+)/.exec(req.headers.cookie ?? '');
      if (cookie) sessions.delete(cookie[1]);
      return send(res, 200, {});
    }
    if (path !== '/command-api') return send(res, 404, 'Not found\n');
    if (req.method === 'HEAD') {
      if (!authorized(req)) return unauthorized(res);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end();
    }
    if (req.method !== 'POST') return send(res, 405, 'Method not allowed\n', { Allow: 'POST, HEAD' });
    requests++;
    if (!authorized(req)) {
      req.resume();
      return unauthorized(res);
    }
    const body = await readBody(req);
    if (body === null) return send(res, 413, 'Request body too large\n');
    const parsed = parseRunCmds(body);
    if ('error' in parsed) return send(res, 200, parsed.error);
    const id: RpcId = parsed.id;
    const user =
      Buffer.from(/^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '', 'base64')
        .toString('utf8')
        .split(':')[0] || username;
    let outcome: ReturnType<typeof device.runCmds>;
    try {
      outcome = device.runCmds(parsed.cmds, { ...parsed.options, user });
    } catch (e) {
      return send(res, 200, rpcError(id, 1001, `internal error: ${(e as Error).message}`));
    }
    if (outcome.error) return send(res, 200, { jsonrpc: '2.0', id, error: outcome.error });
    return send(res, 200, { jsonrpc: '2.0', id, result: outcome.result });
  };

  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    handler(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, `internal error: ${(e as Error).message}\n`);
      else res.destroy();
    });
  };

  const server = useHttps ? https.createServer({ ...selfSignedCert() }, listener) : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    username,
    password,
    https: useHttps,
    get requests() {
      return requests;
    },
    runningConfig: () => device.runningConfig(),
    close() {
      device.shutdown();
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // keep-alive clients (undici, ANTA-style) would otherwise hold close() open
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
