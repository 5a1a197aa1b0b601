import net from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { Algorithms, ClientChannel, ConnectConfig } from 'ssh2';
import type { Logger } from '../contracts/common.ts';
import { NetPulseError } from '../errors.ts';
import { abortError } from './abort.ts';
import { authHandler, authMethods, type SshLeg } from './auth.ts';
import { verifyHostKey, type HostKeyPolicy } from './known-hosts.ts';
import { openSocket, socketError } from './socket.ts';

const { Client } = ssh2;

/** An ssh2 client. */
export type SshClient = InstanceType<typeof Client>;

/** Messages a driver may word its own way (the error codes stay the same). */
export interface SshWording {
  /** `NP_ERR_DEVICE_AUTH` when the server accepted none of the leg's methods. */
  authFailed(leg: SshLeg): string;
  /** `NP_ERR_DEVICE_TIMEOUT` when the handshake and authentication took longer than `timeoutMs`. */
  handshakeTimeout(where: string, timeoutMs: number): string;
}

const defaultWording: SshWording = {
  authFailed: (leg) => `Authentication failed for ${leg.username}@${leg.host}:${leg.port}`,
  handshakeTimeout: (where, ms) =>
    `Timed out after ${ms} ms waiting for the SSH handshake and authentication with ${where}`,
};

/** How a leg is connected and its host key checked. */
export interface SshClientOptions {
  hostKeyPolicy: HostKeyPolicy;
  knownHostsFile: string;
  /** SSH keepalive interval after authentication; 0 or absent = off. */
  keepaliveMs?: number;
  /** ssh2 algorithm lists (ciphers, kex, compression…); absent = ssh2's defaults. */
  algorithms?: Algorithms;
  log: Logger;
  signal?: AbortSignal;
  wording?: Partial<SshWording>;
}

/**
 * Taps the server's identification line (`SSH-2.0-…`) from the raw stream; lines before it are a
 * pre-banner greeting. Bounded: stops after 8 KiB.
 */
function tapBanner(sock: Duplex): () => string | null {
  let buf = '';
  let banner: string | null = null;
  const onData = (d: Buffer): void => {
    buf += d.toString('latin1');
    for (;;) {
      const nl = buf.indexOf('\n');
      if (nl < 0) break;
      const line = buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
      if (line.startsWith('SSH-')) {
        banner = line;
        sock.removeListener('data', onData);
        return;
      }
    }
    if (buf.length > 8192) sock.removeListener('data', onData);
  };
  sock.on('data', onData);
  return () => banner;
}

/**
 * Connects and authenticates one ssh2 client over an existing stream (a TCP socket, or a jump
 * host's forwarded channel) within `timeoutMs`. Resolves the client and the server's
 * identification line; rejects with a coded NetPulseError (AUTH, TIMEOUT, CONNECT, or the
 * host-key error) and destroys the stream.
 */
export function connectClient(
  leg: SshLeg,
  sock: Duplex,
  opts: SshClientOptions,
  timeoutMs: number,
): Promise<{ client: SshClient; banner: string | null }> {
  const wording: SshWording = { ...defaultWording, ...opts.wording };
  return new Promise((resolve, reject) => {
    const client = new Client();
    const where = `${leg.host}:${leg.port}`;
    let hostKeyError: NetPulseError | null = null;
    let settled = false;
    const banner = tapBanner(sock);
    const onAbort = (): void => fail(abortError(opts.signal!, `the SSH handshake with ${where}`));
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.end();
      sock.destroy();
      reject(err);
    };
    if (opts.signal?.aborted) return fail(abortError(opts.signal, `the SSH handshake with ${where}`));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      client.removeAllListeners('error');
      client.removeAllListeners('close');
      // Until the caller attaches its own listeners, a late error must not be unhandled.
      client.on('error', () => undefined);
      resolve({ client, banner: banner() });
    });
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (hostKeyError) return fail(hostKeyError);
      if (err.level === 'client-authentication')
        return fail(new NetPulseError('NP_ERR_DEVICE_AUTH', wording.authFailed(leg)));
      if (err.level === 'client-timeout')
        return fail(new NetPulseError('NP_ERR_DEVICE_TIMEOUT', wording.handshakeTimeout(where, timeoutMs)));
      if (err.code) return fail(socketError(err, where));
      return fail(new NetPulseError('NP_ERR_DEVICE_CONNECT', `SSH connection to ${where} failed: ${err.message}`));
    });
    client.once('close', () =>
      fail(
        hostKeyError ??
          new NetPulseError('NP_ERR_DEVICE_CONNECT', `SSH connection to ${where} closed during the handshake`),
      ),
    );
    const config: ConnectConfig = {
      sock,
      host: leg.host,
      port: leg.port,
      username: leg.username,
      readyTimeout: Math.max(1, timeoutMs),
      keepaliveInterval: opts.keepaliveMs ?? 0,
      keepaliveCountMax: 3,
      authHandler: authHandler(authMethods(leg)),
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        verifyHostKey(opts.knownHostsFile, leg.host, leg.port, key, opts.hostKeyPolicy, opts.log).then(
          (err) => {
            hostKeyError = err;
            verify(err === null);
          },
          (e: Error) => {
            hostKeyError = new NetPulseError(
              'NP_ERR_DEVICE_CONNECT',
              `Cannot read or write the known hosts store ${opts.knownHostsFile}: ${e.message}`,
            );
            verify(false);
          },
        );
      },
    };
    if (opts.algorithms) config.algorithms = opts.algorithms;
    client.connect(config);
  });
}

/** Opens a direct-tcpip channel from the jump host `via` (`host:port`) to `host:port`. */
export function forwardOut(
  client: SshClient,
  host: string,
  port: number,
  via: string,
  signal?: AbortSignal,
): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal, `a channel to ${host}:${port} through ${via}`));
    client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => {
      if (err)
        reject(
          new NetPulseError('NP_ERR_DEVICE_CONNECT', `Jump host ${via} cannot reach ${host}:${port}: ${err.message}`),
        );
      else resolve(stream);
    });
  });
}

/** Everything {@link connectSsh} needs: the target, an optional jump host, and the leg options. */
export interface SshConnectOptions extends SshClientOptions {
  target: SshLeg;
  proxy: SshLeg | null;
  /** Budget for TCP connect, SSH handshake and authentication. */
  timeoutMs: number;
  /** `leg` (default): each hop gets the whole budget; `total`: both hops share it. */
  timeoutScope?: 'leg' | 'total';
}

/** An authenticated connection: the target's client and, through a jump host, the jump host's. */
export interface SshLink {
  client: SshClient;
  proxy: SshClient | null;
  /** The target's identification line, e.g. `SSH-2.0-OpenSSH_9.2p1 Debian-2`. */
  banner: string | null;
  /** Local TCP port of a direct connection (null through a jump host). */
  localPort: number | null;
}

/**
 * Connects to `target`, directly or through the jump host `proxy` (its handshake and
 * authentication errors are prefixed `Jump host host:port: `). On failure nothing stays open.
 */
export async function connectSsh(opts: SshConnectOptions): Promise<SshLink> {
  const t = opts.target;
  const deadline = Date.now() + opts.timeoutMs;
  const budget = (): number => (opts.timeoutScope === 'total' ? Math.max(1, deadline - Date.now()) : opts.timeoutMs);
  let proxyClient: SshClient | null = null;
  let sock: Duplex;
  if (opts.proxy) {
    const p = opts.proxy;
    const via = `${p.host}:${p.port}`;
    const proxySock = await openSocket(p.host, p.port, budget(), opts.signal);
    proxyClient = (
      await connectClient(p, proxySock, opts, budget()).catch((e: NetPulseError) => {
        throw new NetPulseError(e.code, `Jump host ${via}: ${e.message}`);
      })
    ).client;
    proxyClient.on('error', () => undefined);
    try {
      sock = await forwardOut(proxyClient, t.host, t.port, via, opts.signal);
    } catch (e) {
      proxyClient.end();
      throw e;
    }
  } else {
    sock = await openSocket(t.host, t.port, budget(), opts.signal);
  }
  try {
    const { client, banner } = await connectClient(t, sock, opts, budget());
    const localPort = sock instanceof net.Socket ? (sock.localPort ?? null) : null;
    return { client, proxy: proxyClient, banner, localPort };
  } catch (e) {
    proxyClient?.end();
    throw e;
  }
}
