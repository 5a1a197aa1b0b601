import net from 'node:net';
import { NetPulseError } from '../errors.ts';
import { abortError } from './abort.ts';

/** errno codes that mean "cannot reach the peer" (`NP_ERR_DEVICE_CONNECT`, the code named). */
export const CONNECT_ERRNOS: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
  'EADDRNOTAVAIL',
]);

/**
 * Classifies a socket error for `where` (`host:port`): `ETIMEDOUT` is `NP_ERR_DEVICE_TIMEOUT`,
 * everything else `NP_ERR_DEVICE_CONNECT` in the OS's words.
 */
export function socketError(e: NodeJS.ErrnoException, where: string): NetPulseError {
  if (e.code === 'ETIMEDOUT')
    return new NetPulseError('NP_ERR_DEVICE_TIMEOUT', `Timed out connecting to ${where} (${e.message})`);
  if (e.code && CONNECT_ERRNOS.has(e.code))
    return new NetPulseError('NP_ERR_DEVICE_CONNECT', `Cannot connect to ${where}: ${e.code} (${e.message})`);
  return new NetPulseError('NP_ERR_DEVICE_CONNECT', `Cannot connect to ${where}: ${e.message}`);
}

/**
 * Opens a TCP socket with Nagle off (TCP_NODELAY: a round trip per command would otherwise stall
 * ~40 ms on delayed ACKs), within `timeoutMs`, giving up when `signal` aborts.
 */
export function openSocket(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<net.Socket> {
  const where = `${host}:${port}`;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal, `a TCP connection to ${where}`));
    const sock = net.connect({ host, port, noDelay: true });
    const timer = setTimeout(
      () =>
        finish(new NetPulseError('NP_ERR_DEVICE_TIMEOUT', `Timed out after ${timeoutMs} ms connecting to ${where}`)),
      timeoutMs,
    );
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
