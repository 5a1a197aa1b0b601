/**
 * Shared SSH connection layer (ssh2) for driver plugins: known-hosts store, TCP connect,
 * private keys, authentication methods and authenticated clients, directly or through a jump
 * host. Every failure is a coded NetPulseError (`NP_ERR_DEVICE_CONNECT|AUTH|TIMEOUT`) in the
 * server's or OS's words. What a driver does over the connection (shell, exec, SFTP) stays in
 * the driver.
 *
 * @example
 * ```ts
 * import { connectSsh, defaultKnownHostsFile } from '../../../core/ssh/index.ts';
 * const link = await connectSsh({
 *   target: { host, port: 22, username, password, keys: [], agent: null },
 *   proxy: null, timeoutMs: 30_000, hostKeyPolicy: 'auto_add',
 *   knownHostsFile: defaultKnownHostsFile(), log: ctx.log, signal: ctx.signal,
 * });
 * link.client.exec('uname -a', (err, channel) => { ... });
 * ```
 */
export { abortError } from './abort.ts';
export { authHandler, authMethods, type SshLeg } from './auth.ts';
export {
  connectClient,
  connectSsh,
  forwardOut,
  type SshClient,
  type SshClientOptions,
  type SshConnectOptions,
  type SshLink,
  type SshWording,
} from './client.ts';
export { discoverKeys, keyFromFiles, parsePrivateKey, type SshKey } from './keys.ts';
export {
  defaultKnownHostsFile,
  fingerprint,
  hostFieldMatches,
  hostSpec,
  keyTypeOf,
  verifyHostKey,
  type HostKeyPolicy,
} from './known-hosts.ts';
export { CONNECT_ERRNOS, openSocket, socketError } from './socket.ts';
