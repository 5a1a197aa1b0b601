/**
 * Facts of the real-peer lab started by scripts/lab/start.sh, and probes that
 * let a test skip (visibly) when a peer is not running.
 *
 *   if (!(await labAvailable('sshd'))) return t.skip(labSkipMessage('sshd'));
 */
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';

const labDir = process.env.NETPULSE_LAB_DIR ?? '/tmp/netpulse-lab';

export const LAB = {
  dir: labDir,
  host: '127.0.0.1',
  redis: { port: Number(process.env.NETPULSE_LAB_REDIS_PORT ?? 6379) },
  ssh: { port: Number(process.env.NETPULSE_LAB_SSH_PORT ?? 2222) },
  linux: {
    username: 'linux',
    password: 'linux',
    shell: '/bin/bash',
    /** unencrypted OpenSSH ed25519 private key, authorized for `linux` */
    privateKeyPath: path.join(labDir, 'keys', 'linux_ed25519'),
    /** the same key, encrypted with `passphrase` */
    encryptedKeyPath: path.join(labDir, 'keys', 'linux_ed25519_enc'),
    passphrase: 'lab-passphrase',
    sudoPassword: 'linux',
    /** runs under sudo without a password; everything else asks for one */
    sudoNoPasswd: ['/usr/bin/id'],
  },
  router: {
    username: 'netops',
    password: 'netops',
    shell: '/usr/bin/vtysh',
    hostname: 'lab-r1',
    prompt: 'lab-r1#',
    configPrompt: 'lab-r1(config)#',
    /** FRR daemons' vty sockets; FRR has no TCP vty (-P 0) */
    zebraSocket: '/var/run/frr/zebra.vty',
  },
} as const;

export type LabPeer = 'redis' | 'sshd' | 'frr';

const PROBE_TIMEOUT_MS = 1500;

/** Connects, optionally writes, and resolves with whatever arrives first (or '' on timeout). */
function probe(target: { host: string; port: number } | { path: string }, send?: string): Promise<string | null> {
  return new Promise((resolve) => {
    const sock = 'path' in target ? net.connect(target.path) : net.connect(target.port, target.host);
    let done = false;
    const finish = (v: string | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => finish(''), PROBE_TIMEOUT_MS);
    sock.once('connect', () => {
      if (send !== undefined) sock.write(send);
      else if ('path' in target) finish('');
    });
    sock.once('data', (d: Buffer) => finish(d.toString('latin1')));
    sock.once('error', (err: NodeJS.ErrnoException) => finish(err.code === 'EACCES' ? 'EACCES' : null));
  });
}

/**
 * true when the peer answers: redis replies +PONG, sshd sends an `SSH-2.0-`
 * banner on the lab port, FRR has a zebra vty socket that accepts a connection
 * (EACCES for a non-root user without group frrvty still proves it listens)
 * and the SSH port is up, since the router is reached as `netops` over SSH.
 */
export async function labAvailable(kind: LabPeer): Promise<boolean> {
  switch (kind) {
    case 'redis': {
      const r = await probe({ host: LAB.host, port: LAB.redis.port }, 'PING\r\n');
      return r?.startsWith('+PONG') === true;
    }
    case 'sshd': {
      const r = await probe({ host: LAB.host, port: LAB.ssh.port });
      return r?.startsWith('SSH-2.0-') === true;
    }
    case 'frr': {
      if (!fs.existsSync(LAB.router.zebraSocket)) return false;
      const r = await probe({ path: LAB.router.zebraSocket });
      return r !== null && (await labAvailable('sshd'));
    }
  }
}

/** The text a test passes to t.skip(), naming the command that fixes it. */
export function labSkipMessage(kind: LabPeer): string {
  return `lab peer '${kind}' not available on 127.0.0.1: run 'sudo bash scripts/lab/install.sh && sudo bash scripts/lab/start.sh'`;
}
