/**
 * Throwaway Redis servers for the TLS and Sentinel tests: loopback only, no persistence, every
 * process and temp dir tracked by a ServerSet that kills/removes them (also from a process 'exit'
 * handler, so a failing test never leaves a server behind).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { waitFor } from './cluster.ts';

/** True when `cmd args…` runs and exits 0 within 5 s. */
export function commandRuns(cmd: string, args: string[]): Promise<boolean> {
  return new Promise((res) => {
    const p = spawn(cmd, args, { stdio: 'ignore' });
    const t = setTimeout(() => p.kill('SIGKILL'), 5000);
    p.on('error', () => {
      clearTimeout(t);
      res(false);
    });
    p.on('exit', (code) => {
      clearTimeout(t);
      res(code === 0);
    });
  });
}

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((res, rej) => {
    execFile(cmd, args, { cwd, timeout: 20_000 }, (err, _out, stderr) =>
      err ? rej(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`)) : res(),
    );
  });
}

export interface TlsMaterial {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** A throwaway CA, a server certificate for CN/SAN 127.0.0.1 and a client certificate, made with the openssl CLI in `dir`. */
export async function makeTlsMaterial(dir: string, name = 'np'): Promise<TlsMaterial> {
  const f = (s: string) => join(dir, `${name}-${s}`);
  const days = ['-days', '2'];
  await run(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      f('ca.key'),
      '-out',
      f('ca.crt'),
      ...days,
      '-subj',
      `/CN=${name} test CA`,
    ],
    dir,
  );
  const leaf = async (who: string, subj: string, ext: string) => {
    writeFileSync(f(`${who}.ext`), ext);
    await run(
      'openssl',
      ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f(`${who}.key`), '-out', f(`${who}.csr`), '-subj', subj],
      dir,
    );
    await run(
      'openssl',
      [
        'x509',
        '-req',
        '-in',
        f(`${who}.csr`),
        '-CA',
        f('ca.crt'),
        '-CAkey',
        f('ca.key'),
        '-CAcreateserial',
        '-out',
        f(`${who}.crt`),
        ...days,
        '-extfile',
        f(`${who}.ext`),
      ],
      dir,
    );
  };
  await leaf(
    'server',
    '/CN=127.0.0.1',
    'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  await leaf('client', `/CN=${name}-client`, 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
  return {
    ca: f('ca.crt'),
    serverCert: f('server.crt'),
    serverKey: f('server.key'),
    clientCert: f('client.crt'),
    clientKey: f('client.key'),
  };
}

/** Sends one inline command over plain TCP (or TLS with `tls`) and returns the raw reply, or null on error/timeout (1 s). */
export function rawCommand(
  port: number,
  line: string,
  tls?: { ca: string; cert?: string; key?: string },
): Promise<string | null> {
  return new Promise((resolve) => {
    const sock = tls
      ? tlsConnect({
          host: '127.0.0.1',
          port,
          ca: readFileSync(tls.ca),
          cert: tls.cert ? readFileSync(tls.cert) : undefined,
          key: tls.key ? readFileSync(tls.key) : undefined,
        })
      : createConnection({ host: '127.0.0.1', port });
    let buf = '';
    let settled = false;
    const done = (v: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(buf || null), 1000);
    sock.once('error', () => done(null));
    sock.once(tls ? 'secureConnect' : 'connect', () => sock.write(`${line}\r\n`));
    sock.on('data', (d) => {
      buf += String(d);
      // Single-line replies end at the first CRLF; arrays (get-master-addr-by-name) have 5 lines.
      const lines = buf.split('\r\n').length - 1;
      if (
        (buf[0] !== '*' && lines >= 1) ||
        (buf.startsWith('*-1') && lines >= 1) ||
        (buf.startsWith('*2') && lines >= 5)
      )
        done(buf);
    });
  });
}

/** Thrown when this redis-server cannot serve TLS (built without it). */
export class TlsUnsupportedError extends Error {}

export class ServerSet {
  private readonly procs: ChildProcess[] = [];
  private readonly dirs: string[] = [];
  private readonly onExit = () => this.killNow();

  constructor() {
    process.on('exit', this.onExit);
  }

  tempDir(label: string): string {
    const d = mkdtempSync(join(tmpdir(), `np-${label}-`));
    this.dirs.push(d);
    return d;
  }

  /** Spawns a server process (stdout/stderr kept for error messages). */
  spawn(cmd: string, args: string[]): { proc: ChildProcess; output: () => string } {
    const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: string[] = [];
    proc.stdout?.on('data', (d) => out.push(String(d)));
    proc.stderr?.on('data', (d) => out.push(String(d)));
    proc.on('error', (e) => out.push(String(e)));
    this.procs.push(proc);
    return { proc, output: () => out.join('').slice(-4000) };
  }

  /** Waits (bounded) for `ready`, failing at once with the server's output if the process exits first. */
  async waitReady(
    what: string,
    s: { proc: ChildProcess; output: () => string },
    ready: () => Promise<boolean>,
    timeoutMs = 10_000,
  ): Promise<void> {
    await waitFor(
      what,
      async () => {
        if (s.proc.exitCode !== null || s.proc.signalCode !== null)
          throw new Error(`${what}: process exited (${s.proc.exitCode ?? s.proc.signalCode})\n${s.output()}`);
        return ready();
      },
      timeoutMs,
      100,
    );
  }

  /**
   * A plain redis-server on 127.0.0.1:`port`: no persistence, or with `appendonly` an append-only
   * file (fsync always) in its own temp dir (reused when `dir` is given, e.g. for a restart).
   */
  async startRedis(
    port: number,
    opts: { appendonly?: boolean; dir?: string } = {},
  ): Promise<{ proc: ChildProcess; dir: string }> {
    const dir = opts.dir ?? this.tempDir('redis');
    const aof = opts.appendonly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const s = this.spawn('redis-server', [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--save',
      '',
      ...aof,
      '--protected-mode',
      'no',
    ]);
    await this.waitReady(`redis-server on ${port}`, s, async () => (await rawCommand(port, 'PING')) === '+PONG\r\n');
    return { proc: s.proc, dir };
  }

  /** A TLS-only redis-server on 127.0.0.1:`tlsPort` (client certificates optional, verified against the CA when sent). */
  async startTlsRedis(tlsPort: number, m: TlsMaterial): Promise<void> {
    const dir = this.tempDir('redis-tls');
    const s = this.spawn('redis-server', [
      '--port',
      '0',
      '--tls-port',
      String(tlsPort),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--tls-cert-file',
      m.serverCert,
      '--tls-key-file',
      m.serverKey,
      '--tls-ca-cert-file',
      m.ca,
      '--tls-auth-clients',
      'optional',
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'no',
    ]);
    try {
      await this.waitReady(
        `redis-server TLS on ${tlsPort}`,
        s,
        async () => (await rawCommand(tlsPort, 'PING', { ca: m.ca })) === '+PONG\r\n',
      );
    } catch (e) {
      // A build without TLS either rejects the tls-* options and exits, or serves plain RESP on the port.
      if (s.proc.exitCode !== null && /TLS|tls-|Bad directive/i.test(s.output()))
        throw new TlsUnsupportedError(s.output());
      if ((await rawCommand(tlsPort, 'PING')) === '+PONG\r\n')
        throw new TlsUnsupportedError(`port ${tlsPort} answered PING without TLS`);
      throw e;
    }
  }

  /**
   * A Sentinel on 127.0.0.1:`port` monitoring 127.0.0.1:`masterPort` as `masterName` (quorum 1),
   * ready once it answers SENTINEL get-master-addr-by-name with that port.
   */
  async startSentinel(
    port: number,
    masterPort: number,
    masterName: string,
    binary: 'redis-sentinel' | 'redis-server',
  ): Promise<void> {
    const dir = this.tempDir('sentinel');
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        'protected-mode no',
        'daemonize no',
        `dir ${dir}`,
        'logfile ""',
        'sentinel resolve-hostnames no',
        `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 1`,
        '',
      ].join('\n'),
    );
    const s = this.spawn(binary, binary === 'redis-server' ? [conf, '--sentinel'] : [conf]);
    await this.waitReady(`sentinel on ${port}`, s, async () => {
      const r = await rawCommand(port, `SENTINEL get-master-addr-by-name ${masterName}`);
      return r?.includes(`\r\n${masterPort}\r\n`) === true;
    });
  }

  /**
   * SIGKILLs every server (waiting, bounded, for each exit) and removes every temp dir. Safe to call
   * more than once; the 'exit' handler stays installed and repeats it for anything started later.
   */
  async cleanup(): Promise<void> {
    await Promise.all(
      this.procs.map(
        (p) =>
          new Promise<void>((res) => {
            if (p.exitCode !== null || p.signalCode !== null) return res();
            const t = setTimeout(res, 5000);
            p.once('exit', () => {
              clearTimeout(t);
              res();
            });
            p.kill('SIGKILL');
          }),
      ),
    );
    this.killNow();
  }

  private killNow(): void {
    for (const p of this.procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
    this.dirs.length = 0;
  }
}
