import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { Algorithms, AnyAuthMethod, ClientChannel, ConnectConfig } from 'ssh2';
import type { Logger } from '../../../core/contracts/common.ts';
import { NetPulseError } from '../../../core/errors.ts';
import { abortError } from './channel.ts';

const { Client, utils: sshUtils } = ssh2;

/**
 * Transport layer: an SSH connection (ssh2) and its interactive shell. It knows bytes, keys and
 * sockets; every failure leaves here as a coded NetPulseError in the device's (or OS's) words.
 */

export type HostKeyPolicy = 'auto_add' | 'reject' | 'warning';

export interface ProxyOptions {
  host: string;
  port: number;
  username: string;
  password?: string | null;
  privateKey?: string | Buffer | null;
  passphrase?: string | null;
}

/** Where and as whom one SSH leg (the device, or the jump host) connects. */
interface ClientLeg {
  host: string;
  port: number;
  username: string;
  password?: string | null;
  /** PEM/OpenSSH private key text (already read from `key_file` if that was given). */
  privateKey?: string | Buffer | null;
  passphrase?: string | null;
  /** Path of an ssh-agent socket to offer keys from. */
  agent?: string | null;
}

export interface TransportOptions extends ClientLeg {
  /** Whole connect phase: TCP, handshake, authentication. */
  timeoutMs: number;
  /** SSH keepalive interval; 0 = off. */
  keepaliveMs: number;
  algorithms?: Algorithms;
  hostKeyPolicy: HostKeyPolicy;
  knownHostsFile: string;
  proxy?: ProxyOptions | null;
  log: Logger;
  signal?: AbortSignal;
}

/** Default known-hosts store when connection args name none. */
export function defaultKnownHostsFile(): string {
  return path.join(os.tmpdir(), 'netpulse', 'known_hosts');
}

// ---------------------------------------------------------------------------------------------
// Known hosts

type KnownHosts = Map<string, Map<string, string>>; // host spec -> key type -> base64 key

const knownHostsCache = new Map<string, Promise<KnownHosts>>();

function hostSpec(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

async function loadKnownHosts(file: string): Promise<KnownHosts> {
  let cached = knownHostsCache.get(file);
  if (!cached) {
    cached = (async () => {
      const hosts: KnownHosts = new Map();
      let text = '';
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      for (const line of text.split('\n')) {
        const [spec, type, key] = line.trim().split(/\s+/);
        if (!spec || !type || !key || spec.startsWith('#')) continue;
        for (const s of spec.split(',')) {
          if (!hosts.has(s)) hosts.set(s, new Map());
          hosts.get(s)!.set(type, key);
        }
      }
      return hosts;
    })();
    knownHostsCache.set(file, cached);
    cached.catch(() => knownHostsCache.delete(file));
  }
  return cached;
}

/** Key type named inside an SSH public key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, …). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

export function fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/**
 * Checks a server key against the store. Resolves null when the key may be used, or the
 * error to fail with. A changed key always fails, whatever the policy.
 */
export async function verifyHostKey(
  file: string,
  host: string,
  port: number,
  blob: Buffer,
  policy: HostKeyPolicy,
  log: Logger,
): Promise<NetPulseError | null> {
  const spec = hostSpec(host, port);
  const type = keyTypeOf(blob);
  const offered = blob.toString('base64');
  const hosts = await loadKnownHosts(file);
  const known = hosts.get(spec)?.get(type);
  if (known === offered) return null;
  if (known !== undefined) {
    return new NetPulseError(
      'NP_ERR_DEVICE_CONNECT',
      `Host key verification failed: the ${type} key of ${spec} has CHANGED ` +
        `(known ${fingerprint(Buffer.from(known, 'base64'))}, offered ${fingerprint(blob)}). ` +
        `This may be a man-in-the-middle attack; if the device was re-keyed, remove its line from ${file}.`,
    );
  }
  if (policy === 'reject') {
    return new NetPulseError(
      'NP_ERR_DEVICE_CONNECT',
      `Host key verification failed: ${spec} (${type} ${fingerprint(blob)}) is not in ${file} and host_key_policy is reject`,
    );
  }
  if (policy === 'warning') {
    log.warn({ host: spec, keyType: type, fingerprint: fingerprint(blob) }, 'unknown SSH host key accepted (host_key_policy=warning)');
    return null;
  }
  if (!hosts.has(spec)) hosts.set(spec, new Map());
  hosts.get(spec)!.set(type, offered);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await appendFile(file, `${spec} ${type} ${offered}\n`, { mode: 0o600 });
  log.info({ host: spec, keyType: type, fingerprint: fingerprint(blob) }, 'SSH host key added to known hosts');
  return null;
}

// ---------------------------------------------------------------------------------------------
// Connection

const CONNECT_ERRNOS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE', 'EADDRNOTAVAIL']);

/** Opens a TCP socket with Nagle off (a round trip per command otherwise stalls ~40 ms on delayed ACKs). */
function openSocket(host: string, port: number, timeoutMs: number, signal: AbortSignal | undefined): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port, noDelay: true });
    const timer = setTimeout(() => {
      finish(new NetPulseError('NP_ERR_DEVICE_TIMEOUT', `Timed out after ${timeoutMs} ms connecting to ${host}:${port}`));
    }, timeoutMs);
    const onAbort = (): void => finish(abortError(signal!, `a TCP connection to ${host}:${port}`));
    const finish = (err: Error | null): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      sock.removeAllListeners('connect');
      sock.removeAllListeners('error');
      if (err) {
        sock.destroy();
        reject(err);
      } else {
        sock.setNoDelay(true);
        resolve(sock);
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    sock.once('connect', () => finish(null));
    sock.once('error', (e: NodeJS.ErrnoException) => finish(classifySocketError(e, host, port)));
  });
}

function classifySocketError(e: NodeJS.ErrnoException, host: string, port: number): NetPulseError {
  if (e.code === 'ETIMEDOUT') return new NetPulseError('NP_ERR_DEVICE_TIMEOUT', `Timed out connecting to ${host}:${port} (${e.message})`);
  if (e.code && CONNECT_ERRNOS.has(e.code)) {
    return new NetPulseError('NP_ERR_DEVICE_CONNECT', `Cannot connect to ${host}:${port}: ${e.code} (${e.message})`);
  }
  return new NetPulseError('NP_ERR_DEVICE_CONNECT', `Cannot connect to ${host}:${port}: ${e.message}`);
}


function authMethods(leg: ClientLeg): AnyAuthMethod[] {
  const methods: AnyAuthMethod[] = [];
  const username = leg.username;
  if (leg.privateKey) {
    const parsed = sshUtils.parseKey(leg.privateKey, leg.passphrase ?? undefined);
    if (parsed instanceof Error) {
      // ssh2's message names the problem (bad passphrase, unsupported format), never the key.
      throw new NetPulseError('NP_ERR_DEVICE_AUTH', `Cannot use the private key for ${username}@${leg.host}: ${parsed.message}`);
    }
    methods.push({ type: 'publickey', username, key: leg.privateKey, passphrase: leg.passphrase ?? undefined });
  }
  if (leg.agent) methods.push({ type: 'agent', username, agent: leg.agent });
  if (leg.password !== undefined && leg.password !== null) {
    const password = leg.password;
    methods.push({ type: 'password', username, password });
    methods.push({
      type: 'keyboard-interactive',
      username,
      prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)),
    });
  }
  if (methods.length === 0) methods.push({ type: 'none', username });
  return methods;
}

/** Connects one ssh2 client over an existing stream (TCP socket or a jump host's forwarded channel). */
function connectClient(
  leg: ClientLeg,
  sock: Duplex,
  opts: TransportOptions,
  deadline: number,
): Promise<InstanceType<typeof Client>> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let hostKeyError: NetPulseError | null = null;
    let settled = false;
    const where = `${leg.host}:${leg.port}`;
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
    let methods: AnyAuthMethod[];
    try {
      methods = authMethods(leg);
    } catch (e) {
      fail(e as Error);
      return;
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      client.removeAllListeners('error');
      resolve(client);
    });
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (hostKeyError) return fail(hostKeyError);
      if (err.level === 'client-authentication') {
        return fail(new NetPulseError('NP_ERR_DEVICE_AUTH', `Authentication failed for ${leg.username}@${leg.host}`));
      }
      if (err.level === 'client-timeout') {
        return fail(new NetPulseError('NP_ERR_DEVICE_TIMEOUT', `Timed out after ${opts.timeoutMs} ms waiting for the SSH handshake with ${where}`));
      }
      if (err.code === 'ETIMEDOUT') return fail(classifySocketError(err, leg.host, leg.port));
      return fail(new NetPulseError('NP_ERR_DEVICE_CONNECT', `SSH connection to ${where} failed: ${err.message}`));
    });
    client.once('close', () => fail(new NetPulseError('NP_ERR_DEVICE_CONNECT', `SSH connection to ${where} closed during the handshake`)));

    const config: ConnectConfig = {
      sock,
      host: leg.host,
      port: leg.port,
      username: leg.username,
      readyTimeout: Math.max(1, deadline - Date.now()),
      keepaliveInterval: opts.keepaliveMs,
      keepaliveCountMax: 3,
      authHandler: methods,
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        verifyHostKey(opts.knownHostsFile, leg.host, leg.port, key, opts.hostKeyPolicy, opts.log).then(
          (err) => {
            hostKeyError = err;
            verify(err === null);
          },
          (e: Error) => {
            hostKeyError = new NetPulseError('NP_ERR_DEVICE_CONNECT', `Cannot read or write the known hosts store ${opts.knownHostsFile}: ${e.message}`);
            verify(false);
          },
        );
      },
    };
    if (opts.algorithms) config.algorithms = opts.algorithms;
    client.connect(config);
  });
}

function forwardOut(client: InstanceType<typeof Client>, host: string, port: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => {
      if (err) reject(new NetPulseError('NP_ERR_DEVICE_CONNECT', `Jump host cannot reach ${host}:${port}: ${err.message}`));
      else resolve(stream);
    });
  });
}

/** An open SSH connection (possibly through a jump host). */
export class SshTransport {
  private closed = false;
  private readonly closeListeners: (() => void)[] = [];

  private constructor(
    private readonly client: InstanceType<typeof Client>,
    private readonly proxyClient: InstanceType<typeof Client> | null,
    readonly host: string,
    readonly port: number,
    /** Local TCP port of the connection (null through a jump host); lets tests and logs find it. */
    readonly localPort: number | null,
  ) {
    const onGone = (): void => this.markClosed();
    client.on('close', onGone);
    client.on('end', onGone);
    // After ready, errors (keepalive timeout, reset) are reported as a close.
    client.on('error', onGone);
    if (proxyClient) {
      proxyClient.on('close', () => this.close());
      proxyClient.on('error', () => this.close());
    }
  }

  static async connect(opts: TransportOptions): Promise<SshTransport> {
    const deadline = Date.now() + opts.timeoutMs;
    const remaining = (): number => Math.max(1, deadline - Date.now());
    let proxyClient: InstanceType<typeof Client> | null = null;
    let sock: Duplex;
    if (opts.proxy) {
      const p = opts.proxy;
      const proxySock = await openSocket(p.host, p.port, remaining(), opts.signal);
      proxyClient = await connectClient(
        { host: p.host, port: p.port, username: p.username, password: p.password, privateKey: p.privateKey, passphrase: p.passphrase },
        proxySock,
        opts,
        deadline,
      ).catch((e: NetPulseError) => {
        throw new NetPulseError(e.code, `Jump host ${p.host}:${p.port}: ${e.message}`);
      });
      try {
        sock = await forwardOut(proxyClient, opts.host, opts.port);
      } catch (e) {
        proxyClient.end();
        throw e;
      }
    } else {
      sock = await openSocket(opts.host, opts.port, remaining(), opts.signal);
    }
    try {
      const client = await connectClient(opts, sock, opts, deadline);
      const localPort = sock instanceof net.Socket ? (sock.localPort ?? null) : null;
      return new SshTransport(client, proxyClient, opts.host, opts.port, localPort);
    } catch (e) {
      proxyClient?.end();
      throw e;
    }
  }

  get alive(): boolean {
    return !this.closed;
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  /** Opens the interactive shell with a pty (what the CLI of a network device expects). */
  openShell(pty: { cols: number; rows: number }, timeoutMs: number, signal?: AbortSignal): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      let done = false;
      const where = `${this.host}:${this.port}`;
      const timer = setTimeout(
        () => settle(new NetPulseError('NP_ERR_DEVICE_TIMEOUT', `Timed out after ${timeoutMs} ms opening a shell on ${where}`)),
        timeoutMs,
      );
      const onAbort = (): void => settle(abortError(signal!, `a shell on ${where}`));
      const settle = (err: Error | null, stream?: ClientChannel): void => {
        if (done) {
          stream?.close();
          return;
        }
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(stream!);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const closedEarly = (): NetPulseError =>
        new NetPulseError(
          'NP_ERR_DEVICE_CLOSED',
          `${where} closed the connection right after authentication, before a shell opened (the device may have reached its session limit)`,
        );
      if (this.closed) {
        settle(closedEarly());
        return;
      }
      this.onClose(() => settle(closedEarly()));
      try {
        this.client.shell({ term: 'vt100', cols: pty.cols, rows: pty.rows, width: 0, height: 0 }, (err, stream) => {
          if (err) settle(new NetPulseError('NP_ERR_DEVICE_CONNECT', `Cannot open a shell on ${where}: ${err.message}`));
          else settle(null, stream);
        });
      } catch {
        // ssh2 throws "Not connected" synchronously when the socket is already gone.
        settle(closedEarly());
      }
    });
  }

  /** Idempotent; never throws. */
  close(): void {
    if (!this.closed) {
      const client = this.client;
      try {
        client.end();
      } catch {
        // Already torn down by the peer.
      }
      // end() sends the disconnect and half-closes; a peer that never answers must not pin the socket.
      setTimeout(() => client.destroy(), 2000).unref();
    }
    this.markClosed();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.proxyClient) {
      try {
        this.proxyClient.end();
      } catch {
        // Nothing left to release.
      }
    }
    for (const l of this.closeListeners.splice(0)) l();
  }
}
