import type { ClientChannel, SFTPWrapper } from 'ssh2';
import type { Logger } from '../../../core/contracts/common.ts';
import { NetPulseError } from '../../../core/errors.ts';
import { withPartialOutput } from '../../../core/drivers/output-caps.ts';
import { abortError, connectSsh, type HostKeyPolicy, type SshClient, type SshLeg } from '../../../core/ssh/index.ts';

/**
 * SSH transport of the paramiko driver: one authenticated connection (core/ssh), optionally through
 * a jump host, that runs exec channels and opens SFTP. Every failure leaves as a coded
 * NetPulseError (DEVICE_CONNECT | AUTH | TIMEOUT | COMMAND | CLOSED) in the server's or OS's words.
 */

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
  /** Output kept per stream before the command fails with NP_ERR_OUTPUT_LIMIT (default {@link MAX_OUTPUT_BYTES}). */
  maxBytes?: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  output: string;
  error: string;
  exit_status: number;
}

/** Output kept per stream and command; beyond it the command fails instead of filling memory. */
export const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

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
    const { compress, ...legs } = opts;
    const link = await connectSsh({
      ...legs,
      algorithms: { compress: compress ? ['zlib@openssh.com', 'zlib', 'none'] : ['none'] },
    });
    return new SshConnection(link.client, link.proxy, opts.target.host, opts.target.port, link.banner);
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
      const timer =
        o.timeoutMs > 0
          ? setTimeout(
              () =>
                settle(
                  new NetPulseError(
                    'NP_ERR_DEVICE_TIMEOUT',
                    `Timed out after ${o.timeoutMs / 1000} s waiting for ${what}`,
                  ),
                ),
              o.timeoutMs,
            )
          : null;
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
      const cap = o.maxBytes ?? MAX_OUTPUT_BYTES;
      // Keeps what fit (the chunk that crossed the cap is dropped whole) for the job's partial output.
      const tooMuch = (): void =>
        settle(
          withPartialOutput(
            new NetPulseError('NP_ERR_OUTPUT_LIMIT', `Output of ${what} exceeds ${cap} bytes (drivers.output)`),
            {
              output: Buffer.concat(out).toString('utf8'),
              error: Buffer.concat(err).toString('utf8'),
              exit_status: -1,
            },
          ) as Error,
        );
      const execOpts: { pty?: { term: string }; env?: Record<string, string> } = {};
      if (o.pty) execOpts.pty = { term: 'vt100' };
      if (o.env && Object.keys(o.env).length) execOpts.env = o.env;
      try {
        this.client.exec(command, execOpts, (e, ch) => {
          if (e)
            return settle(
              this.closed
                ? this.closedError(`before ${what} could run`)
                : new NetPulseError('NP_ERR_DEVICE_COMMAND', `Cannot open an exec channel for ${what}: ${e.message}`),
            );
          if (done) {
            ch.close();
            return;
          }
          channel = ch;
          ch.on('data', (d: Buffer) => {
            outLen += d.length;
            if (outLen > cap) return tooMuch();
            out.push(d);
          });
          ch.stderr.on('data', (d: Buffer) => {
            errLen += d.length;
            if (errLen > cap) return tooMuch();
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
        this.client.sftp((e, s) =>
          e ? finish(new NetPulseError('NP_ERR_DEVICE_COMMAND', `Cannot open ${what}: ${e.message}`)) : finish(null, s),
        );
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
