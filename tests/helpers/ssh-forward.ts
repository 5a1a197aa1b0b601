import net from 'node:net';
import type { Connection } from 'ssh2';

/**
 * Jump-host side of `direct-tcpip`: forwards the client's channels to loopback targets only
 * (anything else is refused) and tracks the upstream sockets in `sockets` for cleanup.
 */
export function forwardToLoopback(client: Connection, sockets: Set<net.Socket>): void {
  client.on('tcpip', (accept, reject, info) => {
    if (!info.destIP.startsWith('127.')) return reject();
    const upstream = net.connect(info.destPort, info.destIP, () => {
      const ch = accept();
      ch.pipe(upstream).pipe(ch);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => reject());
  });
}
