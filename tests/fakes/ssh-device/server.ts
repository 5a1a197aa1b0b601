/**
 * SSH front end of a simulated device: an ssh2 Server fed by our own
 * net.Server (so the raw sockets are ours to count, drop and close), password
 * and keyboard-interactive auth, pty + shell and exec channels.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { ed25519KeyPair } from '../../helpers/ssh-keys.ts';
import type { Connection, ServerChannel } from 'ssh2';
import { DeviceSession, type DeviceState } from './device.ts';
import { writePaced } from './faults.ts';

let processHostKey: string | undefined;

const SHARED_KEY_DIR = path.join(os.tmpdir(), `netpulse-sim-${process.getuid?.() ?? 'user'}`);
const SHARED_KEY_FILE = path.join(SHARED_KEY_DIR, 'ssh_host_ed25519_key');

/**
 * One ed25519 host key for every simulator of this user on this machine, kept in a 0700 temp
 * directory: a device restarted on the same address and port (a new test process, the lab fleet
 * started again) then offers the key clients recorded before, as a real router does, instead of
 * tripping host-key verification in the default known_hosts file. Falls back to a key of this
 * process when the file cannot be used.
 */
export function hostKey(): string {
  processHostKey ??= sharedHostKey() ?? ed25519KeyPair().private;
  return processHostKey;
}

function sharedHostKey(): string | null {
  try {
    fs.mkdirSync(SHARED_KEY_DIR, { recursive: true, mode: 0o700 });
    const st = fs.statSync(SHARED_KEY_DIR);
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return null;
    if (!fs.existsSync(SHARED_KEY_FILE)) {
      // Written aside and renamed: two processes starting at once both end up reading one whole key.
      const aside = `${SHARED_KEY_FILE}.${process.pid}`;
      fs.writeFileSync(aside, ed25519KeyPair().private, { mode: 0o600, flag: 'wx' });
      try {
        fs.linkSync(aside, SHARED_KEY_FILE);
      } catch {
        // another process won the race; use its key
      } finally {
        fs.unlinkSync(aside);
      }
    }
    const key = fs.readFileSync(SHARED_KEY_FILE, 'utf8');
    // A key ssh2 cannot read (see ed25519KeyPair) is not used: this process draws its own.
    return ssh2.utils.parseKey(key) instanceof Error ? null : key;
  } catch {
    return null;
  }
}

export interface ServerCredentials {
  username: string;
  password: string;
}

export interface RunningServer {
  host: string;
  port: number;
  readonly sessions: number;
  close(): Promise<void>;
}

/** Only loopback: the simulator must never be reachable from, or talk to, another machine. */
export function assertLoopback(host: string): void {
  if (net.isIPv4(host) && host.startsWith('127.')) return;
  throw new Error(`simulated devices bind only to 127.0.0.0/8, got ${host}`);
}

export async function startServer(
  device: DeviceState,
  credentials: ServerCredentials,
  host: string,
  port: number,
): Promise<RunningServer> {
  assertLoopback(host);
  const sockets = new Set<net.Socket>();
  const clients = new Set<Connection>();
  const sessions = new Set<DeviceSession>();
  let authenticated = 0;
  const faults = device.faults;

  const sshServer = new ssh2.Server({ hostKeys: [hostKey()], ident: device.profile.sshIdent }, (client, info) => {
    clients.add(client);
    // The raw socket is ours (injected below); find it by the peer address ssh2 reports.
    const rawSocket = [...sockets].find((s) => s.remotePort === info.port && s.remoteAddress === info.ip);
    let counted = false;
    client.on('error', () => {});
    client.on('close', () => {
      clients.delete(client);
      if (counted) authenticated--;
    });

    client.on('authentication', (ctx) => {
      const accepts = (user: string, password: string) =>
        !faults.authFail && user === credentials.username && password === credentials.password;
      if (ctx.method === 'password') {
        if (accepts(ctx.username, ctx.password)) ctx.accept();
        else ctx.reject(['password', 'keyboard-interactive']);
        return;
      }
      if (ctx.method === 'keyboard-interactive') {
        ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => {
          if (accepts(ctx.username, answers[0] ?? '')) ctx.accept();
          else ctx.reject(['password', 'keyboard-interactive']);
        });
        return;
      }
      ctx.reject(['password', 'keyboard-interactive']);
    });

    client.on('ready', () => {
      if (faults.maxSessions !== undefined && authenticated >= faults.maxSessions) {
        // A VTY-exhausted device accepts the login and closes the connection straight away.
        client.end();
        return;
      }
      counted = true;
      authenticated++;
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('pty', (accept) => accept?.());
        session.on('window-change', (accept) => accept?.());
        session.on('env', (accept) => accept?.());
        session.on('shell', (accept) => {
          const channel = accept();
          const deviceSession = attach(channel, true);
          void deviceSession.start();
        });
        session.on('exec', (accept, _reject, info) => {
          const channel = accept();
          const deviceSession = attach(channel, false);
          const lines = info.command
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean);
          void deviceSession.feed(lines.map((l) => `${l}\n`).join('')).then(() => {
            if (deviceSession.stopped && device.faults.hangOn !== undefined) return;
            if (isOpen(channel)) {
              channel.exit(deviceSession.errorCount > 0 ? 1 : 0);
              channel.end();
            }
          });
        });
      });
    });

    const isOpen = (channel: ServerChannel) => !channel.destroyed && channel.writable;

    const attach = (channel: ServerChannel, interactive: boolean): DeviceSession => {
      const deviceSession = new DeviceSession(
        device,
        {
          write: (text) =>
            writePaced(
              text,
              (chunk) => channel.write(chunk),
              () => isOpen(channel),
              faults.slow,
            ),
          drop: () => {
            if (rawSocket) rawSocket.destroy();
            else client.end();
          },
          end: () => {
            if (isOpen(channel)) {
              channel.exit(0);
              channel.end();
            }
            // Network devices drop the whole SSH connection when the CLI session logs out.
            if (interactive) setTimeout(() => client.end(), 20).unref();
          },
        },
        interactive,
      );
      sessions.add(deviceSession);
      channel.on('data', (data: Buffer) => void deviceSession.feed(data.toString('utf8')));
      channel.on('close', () => {
        deviceSession.stop();
        sessions.delete(deviceSession);
      });
      channel.on('error', () => {});
      return deviceSession;
    };
  });

  const tcpServer = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    sshServer.injectSocket(socket);
  });

  await new Promise<void>((resolve, reject) => {
    tcpServer.once('error', reject);
    tcpServer.listen({ host, port, exclusive: true }, () => {
      tcpServer.off('error', reject);
      resolve();
    });
  });
  const address = tcpServer.address() as net.AddressInfo;

  return {
    host,
    port: address.port,
    get sessions() {
      return authenticated;
    },
    close: async () => {
      for (const session of sessions) session.stop();
      const closed = new Promise<void>((resolve) => tcpServer.close(() => resolve()));
      for (const client of clients) client.end();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
