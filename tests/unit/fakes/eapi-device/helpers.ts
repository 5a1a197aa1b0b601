/** Client helpers for the eAPI simulator tests: real HTTP(S) over loopback. */
import https from 'node:https';
import type { EapiDeviceHandle } from '../../../fakes/eapi-device/index.ts';

export interface RpcReply {
  jsonrpc: string;
  id: unknown;
  result?: Array<Record<string, any>>;
  error?: { code: number; message: string; data?: Array<Record<string, any>> };
}

export function basic(user: string, pass: string): string {
  return 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64');
}

/** POSTs a raw body to /command-api over http (fetch); returns status and parsed JSON or text. */
export async function post(
  dev: EapiDeviceHandle,
  body: string,
  auth = basic(dev.username, dev.password),
): Promise<{ status: number; json?: RpcReply; text: string; headers: Headers }> {
  const res = await fetch(`http://${dev.host}:${dev.port}/command-api`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json-rpc', Authorization: auth },
    body,
  });
  const text = await res.text();
  let json: RpcReply | undefined;
  try {
    json = JSON.parse(text) as RpcReply;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

export async function runCmds(
  dev: EapiDeviceHandle,
  cmds: Array<string | { cmd: string; input?: string }>,
  extra: Record<string, unknown> = {},
): Promise<RpcReply> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    method: 'runCmds',
    id: 'req-1',
    params: { version: 1, cmds, format: 'json', ...extra },
  });
  const r = await post(dev, body);
  if (!r.json) throw new Error(`not JSON: ${r.status} ${r.text}`);
  return r.json;
}

/** Same over HTTPS with certificate checks off (self-signed), through node:https. */
export function runCmdsHttps(
  dev: EapiDeviceHandle,
  cmds: string[],
  extra: Record<string, unknown> = {},
): Promise<{ status: number; json: RpcReply; cert: Buffer | undefined }> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    method: 'runCmds',
    id: 7,
    params: { version: 'latest', cmds, format: 'json', ...extra },
  });
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: dev.host,
        port: dev.port,
        path: '/command-api',
        method: 'POST',
        rejectUnauthorized: false,
        agent: false,
        headers: {
          'Content-Type': 'application/json',
          Authorization: basic(dev.username, dev.password),
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const cert = (res.socket as import('node:tls').TLSSocket).getPeerCertificate?.().raw;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({
              status: res.statusCode ?? 0,
              json: JSON.parse(Buffer.concat(chunks).toString()) as RpcReply,
              cert,
            });
          } catch (e) {
            reject(e as Error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
