import {
  outputCaps,
  partialOutputOf,
  withPartialOutput,
  type DriverOutputCaps,
} from '../../../core/drivers/output-caps.ts';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ConnectionArgs, Logger, QueueStrategy } from '../../../core/contracts/common.ts';
import type {
  Driver,
  DriverContext,
  DriverRequest,
  DriverRequestBase,
  DriverSession,
  ExecOutput,
} from '../../../core/contracts/driver.ts';
import { NetPulseError, validationError, type ValidationItem } from '../../../core/errors.ts';
import { fileTransferSpec, localPathProblem, transferFile } from './files.ts';
import { paramikoSchemas } from './schemas.ts';
import { storeFile } from '../../../core/state/dir.ts';
import {
  discoverKeys,
  keyFromFiles,
  parsePrivateKey,
  type HostKeyPolicy,
  type SshLeg,
} from '../../../core/ssh/index.ts';
import { SshConnection, type SshOptions } from './ssh.ts';
import { canonicalJson } from '../../../core/drivers/canonical-json.ts';

/**
 * paramiko driver (the reference's behaviour with its defects fixed, see docs/drivers/paramiko.md): Linux servers over SSH. Each command runs on its
 * own exec channel of one connection and yields `{output, error, exit_status}`; config lines may
 * run under `sudo -S`; `file_transfer` moves files over SFTP within the worker's transfer directory.
 */

export interface ParamikoDriverOptions {
  /** Worker-side directory file transfers are confined to; overrides `drivers.paramiko.transfer_dir`. */
  transferDir?: string | null;
}

export { canonicalJson };

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown, dflt: number): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : dflt);
const files = (v: unknown): string[] =>
  typeof v === 'string' && v
    ? [v]
    : Array.isArray(v)
      ? v.filter((x): x is string => typeof x === 'string' && x !== '')
      : [];

/** Reads `drivers.paramiko.transfer_dir` from the effective configuration, tolerating its absence. */
export function transferDirFromConfig(config: unknown): string | null {
  const drivers = (config as { drivers?: unknown } | null | undefined)?.drivers;
  const paramiko = (drivers as { paramiko?: unknown } | null | undefined)?.paramiko;
  const dir = (paramiko as { transfer_dir?: unknown } | null | undefined)?.transfer_dir;
  return typeof dir === 'string' && dir.trim() !== '' ? path.resolve(dir) : null;
}

/** Which credentials a leg would offer; used by the validator (400; the reference answered 500). */
function hasCredential(args: ConnectionArgs, prefix: '' | 'proxy_'): boolean {
  return (
    str(args[`${prefix}password`]) !== null ||
    str(args[`${prefix}pkey`]) !== null ||
    files(args[`${prefix}key_filename`]).length > 0 ||
    args.allow_agent === true ||
    args.look_for_keys !== false
  );
}

async function buildLeg(
  args: ConnectionArgs,
  prefix: '' | 'proxy_',
  host: string,
  port: number,
  username: string,
): Promise<SshLeg> {
  const passphrase = str(args[`${prefix}passphrase`]);
  const who = `${username}@${host}:${port}`;
  const keys: SshLeg['keys'] = [];
  const pkey = str(args[`${prefix}pkey`]);
  const keyFiles = files(args[`${prefix}key_filename`]);
  // One explicit key: pkey wins over key_filename (the reference's precedence).
  if (pkey !== null) {
    const parsed = parsePrivateKey(pkey, passphrase);
    if (parsed instanceof Error)
      throw new NetPulseError(
        'NP_ERR_DEVICE_AUTH',
        `Cannot use the private key (${prefix}pkey) for ${who}: ${parsed.message}`,
      );
    keys.push({ key: parsed, label: `${prefix}pkey` });
  } else if (keyFiles.length) {
    keys.push(await keyFromFiles(keyFiles, passphrase, who));
  } else if (args.look_for_keys !== false) {
    keys.push(...(await discoverKeys(passphrase)));
  }
  const agent = args.allow_agent === true ? str(process.env.SSH_AUTH_SOCK) : null;
  return {
    host,
    port,
    username,
    password: typeof args[`${prefix}password`] === 'string' ? (args[`${prefix}password`] as string) : null,
    keys,
    agent,
  };
}

async function sshOptions(args: ConnectionArgs, log: Logger, signal: AbortSignal): Promise<SshOptions> {
  const host = String(args.host ?? '');
  const port = num(args.port, 22);
  const username = String(args.username ?? '');
  const target = await buildLeg(args, '', host, port, username);
  let proxy: SshLeg | null = null;
  const proxyHost = str(args.proxy_host);
  if (proxyHost)
    proxy = await buildLeg(args, 'proxy_', proxyHost, num(args.proxy_port, 22), str(args.proxy_username) ?? username);
  const policy = args.host_key_policy;
  return {
    target,
    proxy,
    timeoutMs: Math.round(num(args.timeout, 30) * 1000),
    hostKeyPolicy: policy === 'reject' || policy === 'warning' ? (policy as HostKeyPolicy) : 'auto_add',
    knownHostsFile: storeFile(str(args.known_hosts_file)),
    compress: args.compress === true,
    log,
    signal,
  };
}

/** Replaces every occurrence of each secret in `text` (sudo may echo what it read on a pty). */
function scrub(text: string, secrets: (string | null)[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('******');
  return out;
}

export class ParamikoSession implements DriverSession {
  constructor(
    readonly connection: SshConnection,
    private readonly transferDir: string | null,
    private readonly log: Logger,
    private readonly caps: DriverOutputCaps = outputCaps(undefined),
  ) {}

  /** Per-command cap, shrunk to what the job's budget has left. */
  private capFor(used: number): number {
    return Math.max(1, Math.min(this.caps.command, this.caps.job - used));
  }

  get alive(): boolean {
    return this.connection.alive;
  }

  async send(commands: string[], req: DriverRequest, ctx: DriverContext): Promise<Record<string, ExecOutput>> {
    const da = req.driver_args ?? {};
    const ft = fileTransferSpec(da.file_transfer);
    if (ft) {
      if (!this.transferDir) {
        throw new NetPulseError(
          'NP_ERR_DEVICE_COMMAND',
          'File transfer is disabled on this worker: set drivers.paramiko.transfer_dir to the directory local_path must be in',
        );
      }
      const r = await transferFile(this.connection, ft, this.transferDir, ctx.signal);
      this.log.info(
        { operation: ft.operation, remote_path: ft.remote_path, bytes: r.bytes_transferred, resumed: r.resumed },
        'paramiko file transfer completed',
      );
      return {
        [`file_transfer_${ft.operation}`]: {
          output: `File transfer completed: ${r.bytes_transferred}/${r.total_bytes} bytes`,
          error: '',
          exit_status: 0,
          transfer_result: r,
        },
      };
    }
    const out: Record<string, ExecOutput> = {};
    let used = 0;
    for (const cmd of commands) {
      try {
        out[cmd] = await this.connection.exec(cmd, {
          pty: da.get_pty === true,
          env: (da.environment as Record<string, string> | null | undefined) ?? null,
          stdin: null,
          timeoutMs: typeof da.timeout === 'number' && da.timeout > 0 ? Math.round(da.timeout * 1000) : 0,
          signal: ctx.signal,
          maxBytes: this.capFor(used),
        });
      } catch (e) {
        // An output cap keeps what fit: the commands before and this one's output so far.
        const partial = partialOutputOf(e) as ExecOutput | undefined;
        if (partial) out[cmd] = partial;
        throw withPartialOutput(e, out);
      }
      used += out[cmd].output.length + out[cmd].error.length;
    }
    return out;
  }

  async config(lines: string[], req: DriverRequest, ctx: DriverContext): Promise<Record<string, ExecOutput>> {
    const da = req.driver_args ?? {};
    const sudo = da.sudo === true;
    const password = sudo && typeof da.sudo_password === 'string' ? da.sudo_password : null;
    const out: Record<string, ExecOutput> = {};
    let used = 0;
    for (const line of lines) {
      const r = await this.connection.exec(sudo ? `sudo -S -p '' ${line}` : line, {
        pty: da.get_pty === true,
        env: (da.environment as Record<string, string> | null | undefined) ?? null,
        stdin: password !== null ? `${password}\n` : null,
        timeoutMs: typeof da.timeout === 'number' && da.timeout > 0 ? Math.round(da.timeout * 1000) : 0,
        signal: ctx.signal,
        maxBytes: this.capFor(used),
      });
      used += r.output.length + r.error.length;
      out[line] = {
        output: scrub(r.output, [password]),
        error: scrub(r.error, [password]),
        exit_status: r.exit_status,
      };
    }
    return out;
  }

  async probe(ctx: DriverContext): Promise<boolean> {
    if (!this.connection.alive) return false;
    try {
      const r = await this.connection.exec('true', {
        pty: false,
        env: null,
        stdin: null,
        timeoutMs: 10_000,
        signal: ctx.signal,
      });
      return r.exit_status === 0;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.connection.close();
  }
}

export class ParamikoDriver implements Driver {
  readonly name = 'paramiko';
  readonly defaultQueueStrategy: QueueStrategy = 'fifo';
  readonly schemas = paramikoSchemas;
  readonly capabilities = { fileTransfer: true } as const;
  private readonly transferDir: string | null;
  private readonly caps: DriverOutputCaps;

  constructor(
    config: unknown,
    private readonly log: Logger,
    opts: ParamikoDriverOptions = {},
  ) {
    this.transferDir = opts.transferDir ? path.resolve(opts.transferDir) : transferDirFromConfig(config);
    this.caps = outputCaps(config as Record<string, unknown> | undefined);
  }

  prepare(req: DriverRequestBase): void {
    const items: ValidationItem[] = [];
    const args = req.connection_args ?? {};
    if (!hasCredential(args, '')) {
      items.push({
        loc: ['connection_args'],
        msg: 'At least one of password, key_filename, pkey, allow_agent or look_for_keys must be set',
      });
    }
    if (str(args.proxy_host) && !hasCredential(args, 'proxy_')) {
      items.push({
        loc: ['connection_args'],
        msg: 'The jump host needs one of proxy_password, proxy_key_filename, proxy_pkey, allow_agent or look_for_keys',
      });
    }
    for (const prefix of ['', 'proxy_'] as const) {
      const pkey = str(args[`${prefix}pkey`]);
      if (pkey === null) continue;
      const parsed = parsePrivateKey(pkey, str(args[`${prefix}passphrase`]));
      if (parsed instanceof Error)
        items.push({ loc: ['connection_args', `${prefix}pkey`], msg: `Not a usable private key: ${parsed.message}` });
    }
    const ft = req.operation === 'command' ? fileTransferSpec(req.driver_args?.file_transfer) : null;
    if (ft) {
      if (!this.transferDir) {
        items.push({
          loc: ['driver_args', 'file_transfer'],
          msg: 'File transfer is disabled: the worker has no drivers.paramiko.transfer_dir',
        });
      } else {
        const lexical = localPathProblem(this.transferDir, ft.local_path);
        if ('problem' in lexical)
          items.push({ loc: ['driver_args', 'file_transfer', 'local_path'], msg: lexical.problem });
      }
    }
    if (items.length) throw validationError(items);
  }

  /** sha256 of the canonical connection args: any change (a new password included) is a new session. */
  sessionKey(args: ConnectionArgs): string {
    return 'paramiko:' + createHash('sha256').update(canonicalJson(args)).digest('hex');
  }

  async connect(args: ConnectionArgs, ctx: DriverContext): Promise<ParamikoSession> {
    const log = ctx.log ?? this.log;
    const conn = await SshConnection.open(await sshOptions(args, log, ctx.signal));
    return new ParamikoSession(conn, this.transferDir, log, this.caps);
  }

  async test(args: ConnectionArgs, ctx: DriverContext): Promise<Record<string, unknown>> {
    const session = await this.connect(args, ctx);
    try {
      const out: Record<string, unknown> = {
        driver: this.name,
        host: args.host,
        remote_version: session.connection.remoteVersion,
      };
      for (const k of Object.keys(out)) if (out[k] === null || out[k] === undefined) delete out[k];
      return out;
    } finally {
      await session.close();
    }
  }
}
