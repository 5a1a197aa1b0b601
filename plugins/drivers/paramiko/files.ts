import { constants as fsc } from 'node:fs';
import { lstat, open, realpath, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { SFTPWrapper, Stats } from 'ssh2';
import { NetPulseError } from '../../../core/errors.ts';
import { abortError } from '../../../core/ssh/index.ts';
import type { SshConnection } from './ssh.ts';

/**
 * SFTP file transfer of the paramiko driver (unlike the reference, not anywhere on the worker): local paths live inside
 * the worker's configured transfer directory (no `..` escapes, no symlinks out, final component
 * opened with O_NOFOLLOW), any failure fails the job, and `timeout` bounds the whole transfer.
 */

export interface FileTransferSpec {
  operation: 'upload' | 'download';
  local_path: string;
  remote_path: string;
  resume: boolean;
  chunk_size: number;
  timeout: number | null;
}

export interface TransferResult {
  success: boolean;
  local_path: string;
  remote_path: string;
  bytes_transferred: number;
  total_bytes: number;
  resumed: boolean;
}

export const DEFAULT_CHUNK_SIZE = 32768;
export const MAX_CHUNK_SIZE = 1048576;

/** Reads `driver_args.file_transfer` with the schema's defaults (for callers that bypass ajv). */
export function fileTransferSpec(raw: unknown): FileTransferSpec | null {
  if (raw === null || raw === undefined) return null;
  const r = raw as Record<string, unknown>;
  const chunk = typeof r.chunk_size === 'number' && Number.isInteger(r.chunk_size) ? r.chunk_size : DEFAULT_CHUNK_SIZE;
  return {
    operation: r.operation === 'download' ? 'download' : 'upload',
    local_path: String(r.local_path ?? ''),
    remote_path: String(r.remote_path ?? ''),
    resume: r.resume === true,
    chunk_size: Math.min(MAX_CHUNK_SIZE, Math.max(1, chunk)),
    timeout: typeof r.timeout === 'number' && r.timeout > 0 ? r.timeout : null,
  };
}

/**
 * Lexical check of a local path against the transfer directory: the absolute path it names, or
 * why it is refused. Relative paths are relative to the directory.
 */
export function localPathProblem(transferDir: string, localPath: string): { resolved: string } | { problem: string } {
  if (localPath.includes('\0')) return { problem: 'local_path contains a NUL byte' };
  const base = path.resolve(transferDir);
  const resolved = path.resolve(base, localPath);
  const rel = path.relative(base, resolved);
  if (rel === '') return { problem: 'local_path names the transfer directory itself, not a file in it' };
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { problem: 'local_path is outside the transfer directory' };
  return { resolved };
}

function refused(msg: string): NetPulseError {
  return new NetPulseError('NP_ERR_DEVICE_COMMAND', `File transfer refused: ${msg}`);
}

function inside(base: string, p: string): boolean {
  const rel = path.relative(base, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Resolves symlinks of the directories and refuses a symlinked or non-regular final component. */
async function resolveLocal(transferDir: string, localPath: string): Promise<string> {
  const lexical = localPathProblem(transferDir, localPath);
  if ('problem' in lexical) throw refused(lexical.problem);
  let realBase: string;
  try {
    realBase = await realpath(transferDir);
  } catch (e) {
    throw refused(
      `the transfer directory of this worker is not usable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  let realParent: string;
  try {
    realParent = await realpath(path.dirname(lexical.resolved));
  } catch (e) {
    throw refused(
      `the directory of local_path does not exist in the transfer directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  const final = path.join(realParent, path.basename(lexical.resolved));
  if (!inside(realBase, final))
    throw refused('local_path leads outside the transfer directory (through a symbolic link)');
  try {
    const st = await lstat(final);
    if (st.isSymbolicLink()) throw refused('local_path is a symbolic link');
    if (!st.isFile()) throw refused('local_path is not a regular file');
  } catch (e) {
    if (e instanceof NetPulseError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw refused(`cannot inspect local_path (${(e as NodeJS.ErrnoException).code})`);
  }
  return final;
}

/** Runs an ssh2 SFTP call as a promise that also ends on abort. */
function sftpCall<T>(
  signal: AbortSignal,
  what: string,
  fn: (cb: (err: Error | null | undefined, v: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal, what));
    let done = false;
    const onAbort = (): void => {
      if (done) return;
      done = true;
      reject(abortError(signal, what));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    fn((err, v) => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      if (err) reject(new NetPulseError('NP_ERR_DEVICE_COMMAND', `SFTP ${what} failed: ${err.message}`));
      else resolve(v);
    });
  });
}

function localError(what: string, e: unknown): NetPulseError {
  if (e instanceof NetPulseError) return e;
  const err = e as NodeJS.ErrnoException;
  return new NetPulseError(
    'NP_ERR_DEVICE_COMMAND',
    `File transfer failed: cannot ${what} (${err.code ?? err.message})`,
  );
}

async function remoteStat(sftp: SFTPWrapper, remote: string, signal: AbortSignal): Promise<Stats | null> {
  try {
    return await sftpCall<Stats>(signal, `stat ${remote}`, (cb) => sftp.stat(remote, (err, st) => cb(err, st)));
  } catch (e) {
    if (signal.aborted) throw e;
    return null;
  }
}

/**
 * Runs one transfer over a fresh SFTP session of `conn`. Throws (failing the job) on any error;
 * a partial destination is kept so that `resume` can continue it.
 */
export async function transferFile(
  conn: SshConnection,
  spec: FileTransferSpec,
  transferDir: string,
  jobSignal: AbortSignal,
): Promise<TransferResult> {
  const signals = [jobSignal];
  if (spec.timeout !== null) {
    const t = AbortSignal.timeout(Math.round(spec.timeout * 1000));
    signals.push(t);
  }
  const timeoutReason = (): NetPulseError =>
    new NetPulseError('NP_ERR_DEVICE_TIMEOUT', `File transfer exceeded its timeout of ${spec.timeout} s`);
  const combined = AbortSignal.any(signals);
  const signal: AbortSignal = jobSignal.aborted ? jobSignal : combined;
  const guard = (what: string): void => {
    if (!signal.aborted) return;
    if (!jobSignal.aborted) throw timeoutReason();
    throw abortError(jobSignal, what);
  };
  const local = await resolveLocal(transferDir, spec.local_path);
  const remote = spec.remote_path;
  const sftp = await conn.sftp(signal).catch((e: unknown) => {
    if (signal.aborted && !jobSignal.aborted) throw timeoutReason();
    throw e;
  });
  let fh = null as FileHandle | null;
  let handle = null as Buffer | null;
  try {
    const run = spec.operation === 'upload' ? upload : download;
    return await run();
  } catch (e) {
    if (signal.aborted && !jobSignal.aborted) throw timeoutReason();
    throw e;
  } finally {
    if (handle) {
      const h = handle;
      await new Promise<void>((r) => {
        try {
          sftp.close(h, () => r());
        } catch {
          r();
        }
      });
    }
    await fh?.close().catch(() => undefined);
    sftp.end();
  }

  async function upload(): Promise<TransferResult> {
    try {
      fh = await open(local, fsc.O_RDONLY | fsc.O_NOFOLLOW);
    } catch (e) {
      throw localError(`open local_path for reading`, e);
    }
    const st = await fh.stat();
    if (!st.isFile()) throw refused('local_path is not a regular file');
    const total = st.size;
    let offset = 0;
    if (spec.resume) {
      const rs = await remoteStat(sftp, remote, signal);
      if (rs?.isFile() && rs.size <= total) offset = rs.size;
    }
    handle = await sftpCall<Buffer>(signal, `open ${remote} for writing`, (cb) =>
      sftp.open(remote, offset > 0 ? 'r+' : 'w', (err, h) => cb(err, h)),
    );
    const buf = Buffer.allocUnsafe(spec.chunk_size);
    let pos = offset;
    const maxChunks = Math.ceil((total - offset) / spec.chunk_size) + 1;
    for (let i = 0; i < maxChunks && pos < total; i++) {
      guard(`an SFTP upload to ${remote}`);
      const want = Math.min(spec.chunk_size, total - pos);
      const { bytesRead } = await fh.read(buf, 0, want, pos).catch((e: unknown) => {
        throw localError('read local_path', e);
      });
      if (bytesRead === 0) break;
      const h = handle;
      await sftpCall<void>(signal, `write ${remote}`, (cb) =>
        sftp.write(h, buf, 0, bytesRead, pos, (err) => cb(err, undefined)),
      );
      pos += bytesRead;
    }
    if (pos !== total)
      throw new NetPulseError(
        'NP_ERR_DEVICE_COMMAND',
        `File transfer failed: local_path changed size during the upload (${pos}/${total} bytes)`,
      );
    return {
      success: true,
      local_path: spec.local_path,
      remote_path: remote,
      bytes_transferred: pos - offset,
      total_bytes: total,
      resumed: offset > 0,
    };
  }

  async function download(): Promise<TransferResult> {
    const rs = await sftpCall<Stats>(signal, `stat ${remote}`, (cb) => sftp.stat(remote, (err, s) => cb(err, s)));
    if (!rs.isFile())
      throw new NetPulseError(
        'NP_ERR_DEVICE_COMMAND',
        `File transfer failed: remote_path ${remote} is not a regular file`,
      );
    const total = rs.size;
    let offset = 0;
    if (spec.resume) {
      const ls = await lstat(local).catch(() => null);
      if (ls?.isFile() && ls.size <= total) offset = ls.size;
    }
    handle = await sftpCall<Buffer>(signal, `open ${remote} for reading`, (cb) =>
      sftp.open(remote, 'r', (err, h) => cb(err, h)),
    );
    try {
      const flags = fsc.O_WRONLY | fsc.O_NOFOLLOW | (offset > 0 ? 0 : fsc.O_CREAT | fsc.O_TRUNC);
      fh = await open(local, flags, 0o600);
    } catch (e) {
      throw localError('open local_path for writing', e);
    }
    const buf = Buffer.allocUnsafe(spec.chunk_size);
    let pos = offset;
    const maxChunks = Math.ceil((total - offset) / spec.chunk_size) + 1;
    for (let i = 0; i < maxChunks && pos < total; i++) {
      guard(`an SFTP download of ${remote}`);
      const want = Math.min(spec.chunk_size, total - pos);
      const h = handle;
      const n = await sftpCall<number>(signal, `read ${remote}`, (cb) =>
        sftp.read(h, buf, 0, want, pos, (err, bytesRead) => cb(err, bytesRead)),
      );
      if (n === 0) break;
      await fh.write(buf, 0, n, pos).catch((e: unknown) => {
        throw localError('write local_path', e);
      });
      pos += n;
    }
    if (pos !== total)
      throw new NetPulseError(
        'NP_ERR_DEVICE_COMMAND',
        `File transfer failed: remote_path changed size during the download (${pos}/${total} bytes)`,
      );
    return {
      success: true,
      local_path: spec.local_path,
      remote_path: remote,
      bytes_transferred: pos - offset,
      total_bytes: total,
      resumed: offset > 0,
    };
  }
}
