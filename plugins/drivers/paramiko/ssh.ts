import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, AuthenticationType, ClientChannel, ConnectConfig, ParsedKey, SFTPWrapper } from 'ssh2';
import type { Logger } from '../../../core/contracts/common.ts';
import { NetPulseError } from '../../../core/errors.ts';

const { Client, utils: sshUtils } = ssh2;
type SshClient = InstanceType<typeof Client>;

/**
 * SSH transport of the paramiko driver (ssh2): one authenticated connection, optionally through
 * a jump host, that runs exec channels and opens SFTP. Every failure leaves as a coded
 * NetPulseError (DEVICE_CONNECT | AUTH | TIMEOUT | COMMAND | CLOSED) in the server's or OS's words.
 */

export type HostKeyPolicy = 'auto_add' | 'reject' | 'warning';

/** One SSH hop's identity and credentials (secrets stay in memory, never logged). */
export interface SshLeg {
  host: string;
  port: number;
  username: string;
  password: string | null;
  /** Private keys to offer, in order, already decrypted; `label` names the source (never the key). */
  keys: { key: ParsedKey; label: string }[];
  /** ssh-agent socket path, or null. */
  agent: string | null;
}

export interface SshOptions {
  target: SshLeg;
  proxy: SshLeg | null;
  /** Per leg: TCP connect, SSH handshake and authentication. */
  timeoutMs: number;
  hostKeyPolicy: HostKeyPolicy;
  knownHostsFile: string;
  compress: boolean;
  log: Logger;
  signal?: AbortSignal;
}

export interface ExecOptions {
  pty: boolean;
  env: Record<string, string> | null;
  /** Written to stdin before it is closed (e.g. the sudo password); never part of the result. */
  stdin: string | null;
  /** 0 = no limit besides the signal. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  output: string;
  error: string;
  exit_status: number;
}

/** Output kept per stream and command; beyond it the command fails instead of filling memory. */
export const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** The rejection for an aborted wait: the signal's own NetPulseError when it carries one. */
export function abortError(signal: AbortSignal, what: string): NetPulseError {
  const reason: unknown = signal.reason;
  if (reason instanceof NetPulseError) return reason;
  const detail = reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);
  return new NetPulseError('NP_ERR_DEVICE_TIMEOUT', `Aborted while waiting for ${what}: ${detail}`);
}

export function defaultKnownHostsFile(): string {
  return path.join(os.tmpdir(), 'netpulse', 'known_hosts');
}

// ---------------------------------------------------------------------------------------------
// Keys

/** Reads and checks private key files; the first that parses (with the passphrase) is used. */
export async function keyFromFiles(files: string[], passphrase: string | null, who: string): Promise<SshLeg['keys'][number]> {
  const problems: string[] = [];
  for (const file of files) {
    let text: Buffer;
    try {
      text = await readFile(file);
    } catch (e) {
      problems.push(`${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      continue;
    }
    const parsed = parsePrivateKey(text, passphrase);
    if (parsed instanceof Error) {
      problems.push(`${file}: ${parsed.message}`);
      continue;
    }
    return { key: parsed, label: file };
  }
  throw new NetPulseError('NP_ERR_DEVICE_AUTH', `Cannot use the private key file for ${who}: ${problems.join('; ')}`);
}

/**
 * Parses (and decrypts) a private key once, so the KDF of an encrypted key runs once per
 * connection. The error names the problem (bad passphrase, unsupported format), never the key.
 */
export function parsePrivateKey(key: string | Buffer, passphrase: string | null): ParsedKey | Error {
  const parsed = sshUtils.parseKey(key, passphrase ?? undefined);
  if (parsed instanceof Error) return parsed;
  const one = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!one) return new Error('no key found');
  if (!one.isPrivateKey()) return new Error('not a private key');
  return one;
}

/** `look_for_keys`: the worker user's default identities that parse (unencrypted or with the passphrase). */
export async function discoverKeys(passphrase: string | null): Promise<SshLeg['keys']> {
  const found: SshLeg['keys'] = [];
  for (const name of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
    const file = path.join(os.homedir(), '.ssh', name);
    try {
      const parsed = parsePrivateKey(await readFile(file), passphrase);
      if (!(parsed instanceof Error)) found.push({ key: parsed, label: file });
    } catch {
      // Absent or unreadable: nothing to offer.
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Known hosts

function hostSpec(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  return blob.subarray(4, 4 + blob.readUInt32BE(0)).toString('latin1');
}

export function fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** Does a known_hosts host field (plain list or OpenSSH `|1|salt|hash`) name `spec`? */
function hostFieldMatches(field: string, spec: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const want = Buffer.from(hash, 'base64');
    const got = createHmac('sha1', Buffer.from(salt, 'base64')).update(spec).digest();
    return want.length === got.length && timingSafeEqual(want, got);
  }
  return field.split(',').includes(spec);
}

/** One read-check-append at a time per store, so concurrent first connections add a host once. */
const storeLocks = new Map<string, Promise<unknown>>();

function withStoreLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const prev = storeLocks.get(file) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  const tail = next.catch(() => undefined);
  storeLocks.set(file, tail);
  void tail.then(() => {
    if (storeLocks.get(file) === tail) storeLocks.delete(file);
  });
  return next;
}

/**
 * Checks a server key against the store. Resolves null when the key may be used, or the error to
 * fail with. A changed key always fails, whatever the policy. The file is read on every check, so
 * entries written by other drivers or by hand are seen.
 */
export function verifyHostKey(file: string, host: string, port: number, blob: Buffer, policy: HostKeyPolicy, log: Logger): Promise<NetPulseError | null> {
  return withStoreLock(file, async () => {
    const spec = hostSpec(host, port);
    const type = keyTypeOf(blob);
    const offered = blob.toString('base64');
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    let known: string | null = null;
    for (const line of text.split('\n')) {
      const [field, ktype, key] = line.trim().split(/\s+/);
      if (!field || !ktype || !key || field.startsWith('#') || field.startsWith('@')) continue;
      if (ktype !== type || !hostFieldMatches(field, spec)) continue;
      if (key === offered) return null;
      known = key;
    }
    if (known !== null) {
      return new NetPulseError(
        'NP_ERR_DEVICE_CONNECT',
        `Host key verification failed: the ${type} key of ${spec} has CHANGED (known ${fingerprint(Buffer.from(known, 'base64'))}, ` +
          `offered ${fingerprint(blob)}). This may be a man-in-the-middle attack; if the host was re-keyed, remove its line from ${file}.`,
      );
    }
    if (policy === 'reject') {
      return new NetPulseError('NP_ERR_DEVICE_CONNECT', `Host key verification failed: ${spec} (${type} ${fingerprint(blob)}) is not in ${file} and host_key_policy is reject`);
    }
    if (policy === 'warning') {
      log.warn({ host: spec, keyType: type, fingerprint: fingerprint(blob) }, 'unknown SSH host key accepted (host_key_policy=warning)');
      return null;
    }
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await appendFile(file, `${spec} ${type} ${offered}\n`, { mode: 0o600 });
    log.info({ host: spec, keyType: type, fingerprint: fingerprint(blob) }, 'SSH host key added to known hosts');
    return null;
  });
}

// ---------------------------------------------------------------------------------------------
// Connecting

const CONNECT_ERRNOS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE', 'EADDRNOTAVAIL']);

function socketError(e: NodeJS.ErrnoException, where: string): NetPulseError {
  if (e.code === 'ETIMEDOUT') return new NetPulseError('NP_ERR_DEVICE_TIMEOUT', `Timed out connecting to ${where} (${e.message})`);
  if (e.code && CONNECT_ERRNOS.has(e.code)) return new NetPulseError('NP_ERR_DEVICE_CONNECT', `Cannot connect to ${where}: ${e.code} (${e.message})`);
  return new NetPulseError('NP_ERR_DEVICE_CONNECT', `Cannot connect to ${where}: ${e.message}`);
}

/** TCP with Nagle off (TCP_NODELAY): each exec round trip would otherwise wait on delayed ACKs. */
function openSocket(host: string, port: number, timeoutMs: number, signal: AbortSignal | undefined): Promise<net.Socket> {
  const where = `${host}:${port}`;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal, `a TCP connection to ${where}`));
    const sock = net.connect({ host, port, noDelay: true });
    const timer = setTimeout(() => finish(new NetPulseError('NP_ERR_DEVICE_TIMEOUT', `Timed out after ${timeoutMs} ms connecting to ${where}`)), timeoutMs);
    const onAbort = (): void => finish(abortError(signal!, `a TCP connection to ${where}`));
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
    sock.once('error', (e: NodeJS.ErrnoException) => finish(socketError(e, where)));
  });
}

function authMethods(leg: SshLeg): AnyAuthMethod[] {
  const username = leg.username;
  const methods: AnyAuthMethod[] = [];
  for (const k of leg.keys) methods.push({ type: 'publickey', username, key: k.key });
  if (leg.agent) methods.push({ type: 'agent', username, agent: leg.agent });
  if (leg.password !== null) {
    const password = leg.password;
    methods.push({ type: 'password', username, password });
    methods.push({ type: 'keyboard-interactive', username, prompt: (_n, _i, _l, prompts, finish) => finish(prompts.map(() => password)) });
  }
  if (methods.length === 0) methods.push({ type: 'none', username });
  return methods;
}

/** Offers the methods in order, skipping those the server no longer accepts. */
function authHandler(methods: AnyAuthMethod[]) {
  let i = 0;
  return (left: AuthenticationType[] | null): AnyAuthMethod | false => {
    while (i < methods.length) {
      const m = methods[i++]!;
      const type = m.type === 'agent' ? 'publickey' : m.type;
      if (!left || type === 'none' || left.includes(type as AuthenticationType)) return m;
    }
    return false;
  };
}

/**
 * Taps the server's identification line (`SSH-2.0-…`, paramiko's `remote_version`) from the raw
 * stream; lines before it are a pre-banner greeting. Bounded: stops after 8 KiB.
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

/** Authenticates one leg over a stream (a TCP socket, or a jump host's direct-tcpip channel). */
function connectLeg(leg: SshLeg, sock: Duplex, opts: SshOptions, timeoutMs: number): Promise<{ client: SshClient; banner: string | null }> {
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
      // Until SshConnection attaches its own listeners, a late error must not be unhandled.
      client.on('error', () => undefined);
      resolve({ client, banner: banner() });
    });
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (hostKeyError) return fail(hostKeyError);
      if (err.level === 'client-authentication') return fail(new NetPulseError('NP_ERR_DEVICE_AUTH', `Authentication failed for ${leg.username}@${where}`));
      if (err.level === 'client-timeout') return fail(new NetPulseError('NP_ERR_DEVICE_TIMEOUT', `Timed out after ${timeoutMs} ms waiting for the SSH handshake and authentication with ${where}`));
      if (err.code) return fail(socketError(err, where));
      return fail(new NetPulseError('NP_ERR_DEVICE_CONNECT', `SSH connection to ${where} failed: ${err.message}`));
    });
    client.once('close', () => fail(hostKeyError ?? new NetPulseError('NP_ERR_DEVICE_CONNECT', `SSH connection to ${where} closed during the handshake`)));
    const config: ConnectConfig = {
      sock,
      host: leg.host,
      port: leg.port,
      username: leg.username,
      readyTimeout: Math.max(1, timeoutMs),
      keepaliveInterval: 0,
      authHandler: authHandler(authMethods(leg)),
      algorithms: { compress: opts.compress ? ['zlib@openssh.com', 'zlib', 'none'] : ['none'] },
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
    client.connect(config);
  });
}

function forwardOut(client: SshClient, host: string, port: number, via: string, signal: AbortSignal | undefined): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal, `a channel to ${host}:${port} through ${via}`));
    client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => {
      if (err) reject(new NetPulseError('NP_ERR_DEVICE_CONNECT', `Jump host ${via} cannot reach ${host}:${port}: ${err.message}`));
      else resolve(stream);
    });
  });
}

/** An authenticated SSH connection (possibly through a jump host). */
export class SshConnection {
  private closed = false;

  private constructor(
    private readonly client: SshClient,
    private readonly proxy: SshClient | null,
    readonly host: string,
    readonly port: number,
    /** The server's identification line, e.g. `SSH-2.0-OpenSSH_9.2p1 Debian-2`. */
    readonly remoteVersion: string | null,
  ) {
    const gone = (): void => this.close();
    client.on('close', gone);
    client.on('end', gone);
    client.on('error', gone);
    proxy?.on('close', gone);
    proxy?.on('error', gone);
  }

  static async open(opts: SshOptions): Promise<SshConnection> {
    const t = opts.target;
    let proxyClient: SshClient | null = null;
    let sock: Duplex;
    if (opts.proxy) {
      const p = opts.proxy;
      const via = `${p.host}:${p.port}`;
      const proxySock = await openSocket(p.host, p.port, opts.timeoutMs, opts.signal);
      proxyClient = (
        await connectLeg(p, proxySock, opts, opts.timeoutMs).catch((e: NetPulseError) => {
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
      sock = await openSocket(t.host, t.port, opts.timeoutMs, opts.signal);
    }
    try {
      const { client, banner } = await connectLeg(t, sock, opts, opts.timeoutMs);
      return new SshConnection(client, proxyClient, t.host, t.port, banner);
    } catch (e) {
      proxyClient?.end();
      throw e;
    }
  }

  get alive(): boolean {
    return !this.closed;
  }

  private get where(): string {
    return `${this.host}:${this.port}`;
  }

  private closedError(what: string): NetPulseError {
    return new NetPulseError('NP_ERR_DEVICE_CLOSED', `${this.where} closed the connection ${what}`);
  }

  /** Runs one command on its own exec channel; a non-zero exit is a result, not an error. */
  exec(command: string, o: ExecOptions): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const what = `\`${command}\` on ${this.where}`;
      if (o.signal?.aborted) return reject(abortError(o.signal, what));
      if (this.closed) return reject(this.closedError(`before ${what} could run`));
      let channel: ClientChannel | null = null;
      let done = false;
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let outLen = 0;
      let errLen = 0;
      let exitCode: number | null = null;
      const timer = o.timeoutMs > 0 ? setTimeout(() => settle(new NetPulseError('NP_ERR_DEVICE_TIMEOUT', `Timed out after ${o.timeoutMs / 1000} s waiting for ${what}`)), o.timeoutMs) : null;
      const onAbort = (): void => settle(abortError(o.signal!, what));
      const onGone = (): void => settle(this.closedError(`while running ${what}`));
      const settle = (e: Error | null): void => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
        this.client.removeListener('close', onGone);
        if (e) {
          try {
            channel?.close();
          } catch {
            // The channel is already gone.
          }
          reject(e);
          return;
        }
        resolve({
          output: Buffer.concat(out).toString('utf8'),
          error: Buffer.concat(err).toString('utf8'),
          // paramiko's recv_exit_status() is -1 when the server sends no status (killed by a signal).
          exit_status: exitCode ?? -1,
        });
      };
      o.signal?.addEventListener('abort', onAbort, { once: true });
      this.client.once('close', onGone);
      const tooMuch = (): void => settle(new NetPulseError('NP_ERR_DEVICE_COMMAND', `Output of ${what} exceeds ${MAX_OUTPUT_BYTES} bytes`));
      const execOpts: { pty?: { term: string }; env?: Record<string, string> } = {};
      if (o.pty) execOpts.pty = { term: 'vt100' };
      if (o.env && Object.keys(o.env).length) execOpts.env = o.env;
      try {
        this.client.exec(command, execOpts, (e, ch) => {
          if (e) return settle(this.closed ? this.closedError(`before ${what} could run`) : new NetPulseError('NP_ERR_DEVICE_COMMAND', `Cannot open an exec channel for ${what}: ${e.message}`));
          if (done) {
            ch.close();
            return;
          }
          channel = ch;
          ch.on('data', (d: Buffer) => {
            outLen += d.length;
            if (outLen > MAX_OUTPUT_BYTES) return tooMuch();
            out.push(d);
          });
          ch.stderr.on('data', (d: Buffer) => {
            errLen += d.length;
            if (errLen > MAX_OUTPUT_BYTES) return tooMuch();
            err.push(d);
          });
          ch.on('exit', (code: number | null) => {
            if (typeof code === 'number') exitCode = code;
          });
          ch.on('close', () => settle(null));
          ch.on('error', (x: Error) => settle(new NetPulseError('NP_ERR_DEVICE_COMMAND', `${what}: ${x.message}`)));
          if (o.stdin !== null) ch.write(o.stdin);
          // EOF on stdin (so a program reading it, e.g. sudo after a wrong password, ends). A pty
          // cannot be half-closed (OpenSSH would hang up the terminal), so there stdin stays open.
          if (!o.pty) ch.end();
        });
      } catch {
        // ssh2 throws "Not connected" synchronously when the socket is already gone.
        settle(this.closedError(`before ${what} could run`));
      }
    });
  }

  /** Opens an SFTP session (the server's sftp subsystem). */
  sftp(signal?: AbortSignal): Promise<SFTPWrapper> {
    return new Promise((resolve, reject) => {
      const what = `an SFTP session on ${this.where}`;
      if (signal?.aborted) return reject(abortError(signal, what));
      if (this.closed) return reject(this.closedError(`before ${what} opened`));
      let done = false;
      const onAbort = (): void => finish(abortError(signal!, what));
      const finish = (e: Error | null, s?: SFTPWrapper): void => {
        if (done) {
          s?.end();
          return;
        }
        done = true;
        signal?.removeEventListener('abort', onAbort);
        if (e) reject(e);
        else resolve(s!);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        this.client.sftp((e, s) => (e ? finish(new NetPulseError('NP_ERR_DEVICE_COMMAND', `Cannot open ${what}: ${e.message}`)) : finish(null, s)));
      } catch {
        finish(this.closedError(`before ${what} opened`));
      }
    });
  }

  /** Idempotent; never throws. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of [this.client, this.proxy]) {
      if (!c) continue;
      try {
        c.end();
      } catch {
        // Already torn down by the peer.
      }
      // A peer that never answers the disconnect must not pin the socket.
      setTimeout(() => c.destroy(), 2000).unref();
    }
  }
}
