import type { Algorithms, ClientChannel } from 'ssh2';
import type { Logger } from '../../../core/contracts/common.ts';
import { NetPulseError } from '../../../core/errors.ts';
import {
  connectSsh,
  parsePrivateKey,
  type HostKeyPolicy,
  type SshClient,
  type SshLeg,
} from '../../../core/ssh/index.ts';
import { abortError } from '../../../core/ssh/abort.ts';

/**
 * Transport layer: an SSH connection (core/ssh) and its interactive shell. It knows bytes, keys and
 * sockets; every failure leaves here as a coded NetPulseError in the device's (or OS's) words.
 */

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

/** The jump host: a leg without an agent. */
export type ProxyOptions = Omit<ClientLeg, 'agent'>;

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

/** A leg for core/ssh: the one private key parsed (and decrypted) up front. */
function sshLeg(leg: ClientLeg): SshLeg {
  const keys: SshLeg['keys'] = [];
  if (leg.privateKey) {
    const parsed = parsePrivateKey(leg.privateKey, leg.passphrase ?? null);
    if (parsed instanceof Error) {
      // The message names the problem (bad passphrase, unsupported format), never the key.
      throw new NetPulseError(
        'NP_ERR_DEVICE_AUTH',
        `Cannot use the private key for ${leg.username}@${leg.host}: ${parsed.message}`,
      );
    }
    keys.push({ key: parsed, label: 'key_file' });
  }
  return {
    host: leg.host,
    port: leg.port,
    username: leg.username,
    password: leg.password ?? null,
    keys,
    agent: leg.agent ?? null,
  };
}

/** An open SSH connection (possibly through a jump host). */
export class SshTransport {
  private closed = false;
  private readonly closeListeners: (() => void)[] = [];

  private constructor(
    private readonly client: SshClient,
    private readonly proxyClient: SshClient | null,
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
    const target = sshLeg(opts);
    let proxy: SshLeg | null = null;
    if (opts.proxy) {
      const p = opts.proxy;
      try {
        proxy = sshLeg({ ...p, agent: null });
      } catch (e) {
        const err = e as NetPulseError;
        throw new NetPulseError(err.code, `Jump host ${p.host}:${p.port}: ${err.message}`);
      }
    }
    const link = await connectSsh({
      target,
      proxy,
      timeoutMs: opts.timeoutMs,
      timeoutScope: 'total',
      keepaliveMs: opts.keepaliveMs,
      algorithms: opts.algorithms,
      hostKeyPolicy: opts.hostKeyPolicy,
      knownHostsFile: opts.knownHostsFile,
      log: opts.log,
      signal: opts.signal,
      wording: {
        authFailed: (leg) => `Authentication failed for ${leg.username}@${leg.host}`,
        handshakeTimeout: (where) => `Timed out after ${opts.timeoutMs} ms waiting for the SSH handshake with ${where}`,
      },
    });
    return new SshTransport(link.client, link.proxy, opts.host, opts.port, link.localPort);
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
        () =>
          settle(
            new NetPulseError('NP_ERR_DEVICE_TIMEOUT', `Timed out after ${timeoutMs} ms opening a shell on ${where}`),
          ),
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
          if (err)
            settle(new NetPulseError('NP_ERR_DEVICE_CONNECT', `Cannot open a shell on ${where}: ${err.message}`));
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
