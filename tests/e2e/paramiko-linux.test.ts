/**
 * paramiko driver against the lab's OpenSSH (linux/linux on 127.0.0.1:2222): exec channels with
 * exit status and stderr, per-command timeout, sudo (password, wrong password, NOPASSWD), key
 * auth (plain and encrypted), classified connect/auth errors, host key policy, SFTP inside a
 * transfer directory (round trip, resume, traversal and symlink refusal, failing transfers), a
 * jump host (in-process ssh2 server: the lab sshd has AllowTcpForwarding no), test() banner, and
 * one run through the HTTP API.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ssh2 from 'ssh2';
import type { Connection } from 'ssh2';
import type { Logger } from '../../core/contracts/common.ts';
import type { DriverContext, DriverRequest } from '../../core/contracts/driver.ts';
import { NetPulseError } from '../../core/errors.ts';
import builtinPlugins from '../../plugins/index.ts';
import { ParamikoDriver, type ParamikoSession } from '../../plugins/drivers/paramiko/driver.ts';
import { isCode } from '../helpers/errors.ts';
import { LAB, labAvailable, labSkipMessage } from '../helpers/lab.ts';
import { ECHO_DRIVER, PROJECT_ROOT, startTestServer, waitJob } from '../helpers/server.ts';
import { forwardToLoopback } from '../helpers/ssh-forward.ts';
import { ed25519KeyPair } from '../helpers/ssh-keys.ts';
import { setStateDir } from '../../core/state/dir.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'np-paramiko-'));
// Host keys go to this test's own state directory (stores must lie inside it).
setStateDir(tmp);
const transferDir = path.join(tmp, 'transfer');
mkdirSync(transferDir);
const knownHosts = path.join(tmp, 'known_hosts');
const remoteDir = `/tmp/np-paramiko-${process.pid}-${randomBytes(4).toString('hex')}`;

const ARGS = {
  host: LAB.host,
  port: LAB.ssh.port,
  username: LAB.linux.username,
  password: LAB.linux.password,
  look_for_keys: false,
  known_hosts_file: knownHosts,
  timeout: 10,
};
const driver = new ParamikoDriver({}, silent, { transferDir });
const ctx = (ms = 30_000): DriverContext => ({ log: silent, signal: AbortSignal.timeout(ms) });
const cmdReq = (driver_args: Record<string, unknown> = {}): DriverRequest => ({
  connection_args: ARGS,
  driver_args,
  operation: 'command',
  options: {},
});
const cfgReq = (driver_args: Record<string, unknown> = {}): DriverRequest => ({
  connection_args: ARGS,
  driver_args,
  operation: 'config',
  options: {},
});
type Exec = { output: string; error: string; exit_status: number };

async function withSession<T>(args: Record<string, unknown>, fn: (s: ParamikoSession) => Promise<T>): Promise<T> {
  const s = await driver.connect(args, ctx());
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** In-process jump host: publickey (generated key) or password auth, forwards direct-tcpip to 127.0.0.0/8 only. */
function startJumpHost(): Promise<{ port: number; clientKey: string; close(): Promise<void> }> {
  const hostKey = ed25519KeyPair().private;
  const client = ed25519KeyPair();
  const allowed = ssh2.utils.parseKey(client.public);
  if (allowed instanceof Error) throw allowed;
  const sockets = new Set<net.Socket>();
  const conns = new Set<Connection>();
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (c) => {
    conns.add(c);
    c.on('close', () => conns.delete(c));
    c.on('error', () => undefined);
    c.on('authentication', (a) => {
      if (a.username !== 'jump') return a.reject(['publickey', 'password']);
      if (a.method === 'password' && a.password === 'hop') return a.accept();
      if (a.method === 'publickey' && a.key.algo === allowed.type && a.key.data.equals(allowed.getPublicSSH())) {
        if (!a.signature) return a.accept();
        if (a.blob && allowed.verify(a.blob, a.signature, a.hashAlgo) === true) return a.accept();
      }
      a.reject(['publickey', 'password']);
    });
    c.on('ready', () => {
      forwardToLoopback(c, sockets);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        clientKey: client.private,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            for (const c of conns) c.end();
            server.close(() => r());
          }),
      });
    });
  });
}

describe('paramiko e2e: Linux over OpenSSH', async () => {
  const up = await labAvailable('sshd');
  const skip = labSkipMessage('sshd');
  after(async () => {
    if (up) await withSession(ARGS, (s) => s.send([`rm -rf ${remoteDir}`], cmdReq(), ctx())).catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('runs commands on one connection: uname -a, and a non-zero exit with stderr does not fail', async (t) => {
    if (!up) return t.skip(skip);
    await withSession(ARGS, async (s) => {
      const out = (await s.send(
        ['uname -a', 'ls /nonexistent-np', 'echo -n a; echo b >&2; exit 3'],
        cmdReq(),
        ctx(),
      )) as Record<string, Exec>;
      assert.match(out['uname -a']!.output, /^Linux \S+ /);
      assert.equal(out['uname -a']!.exit_status, 0);
      assert.equal(out['uname -a']!.error, '');
      assert.notEqual(out['ls /nonexistent-np']!.exit_status, 0);
      assert.match(out['ls /nonexistent-np']!.error, /No such file or directory/);
      assert.deepEqual(out['echo -n a; echo b >&2; exit 3'], { output: 'a', error: 'b\n', exit_status: 3 });
      assert.equal(s.alive, true);
      assert.equal(await s.probe(ctx()), true);
    });
  });

  it('environment is requested for the channel (the lab sshd accepts LANG)', async (t) => {
    if (!up) return t.skip(skip);
    await withSession(ARGS, async (s) => {
      const out = (await s.send(['echo "$LANG"'], cmdReq({ environment: { LANG: 'C.UTF-8' } }), ctx())) as Record<
        string,
        Exec
      >;
      assert.equal(out['echo "$LANG"']!.output, 'C.UTF-8\n');
    });
  });

  it('get_pty runs the command on a terminal', async (t) => {
    if (!up) return t.skip(skip);
    await withSession(ARGS, async (s) => {
      const out = (await s.send(['tty'], cmdReq({ get_pty: true }), ctx())) as Record<string, Exec>;
      assert.match(out.tty!.output, /^\/dev\/pts\//);
    });
  });

  it('per-command timeout: sleep 5 with timeout 1 → DEVICE_TIMEOUT within ~1 s', async (t) => {
    if (!up) return t.skip(skip);
    await withSession(ARGS, async (s) => {
      const started = Date.now();
      await assert.rejects(
        s.send(['sleep 5'], cmdReq({ timeout: 1 }), ctx()),
        isCode('NP_ERR_DEVICE_TIMEOUT', /Timed out after 1 s waiting for `sleep 5`/),
      );
      assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
      const out = (await s.send(['echo still-here'], cmdReq(), ctx())) as Record<string, Exec>;
      assert.equal(out['echo still-here']!.output, 'still-here\n', 'the connection survives a command timeout');
    });
  });

  it('the job signal aborts a running command', async (t) => {
    if (!up) return t.skip(skip);
    await withSession(ARGS, async (s) => {
      const ac = new AbortController();
      setTimeout(
        () => ac.abort(new NetPulseError('NP_ERR_JOB_TIMEOUT', 'Job exceeded execution_timeout of 0.3 s')),
        300,
      );
      const started = Date.now();
      await assert.rejects(
        s.send(['sleep 5'], cmdReq(), { log: silent, signal: ac.signal }),
        isCode('NP_ERR_JOB_TIMEOUT'),
      );
      assert.ok(Date.now() - started < 2000);
    });
  });

  it('sudo with the right password runs as root; the password never appears in results', async (t) => {
    if (!up) return t.skip(skip);
    await withSession(ARGS, async (s) => {
      const out = (await s.config(
        ['whoami', 'cat'],
        cfgReq({ sudo: true, sudo_password: LAB.linux.sudoPassword }),
        ctx(),
      )) as Record<string, Exec>;
      assert.deepEqual(out.whoami, { output: 'root\n', error: '', exit_status: 0 });
      // `cat` reads the stdin sudo left over: empty, since sudo consumed the password line.
      assert.equal(out.cat!.exit_status, 0);
      assert.doesNotMatch(JSON.stringify(out), new RegExp(LAB.linux.sudoPassword + '\\n'));
    });
  });

  it("sudo with a wrong password ends with exit 1 and sudo's message, never the password", async (t) => {
    if (!up) return t.skip(skip);
    const wrong = 'np-wrong-sudo-pw';
    await withSession(ARGS, async (s) => {
      const started = Date.now();
      const out = (await s.config(
        ['whoami'],
        cfgReq({ sudo: true, sudo_password: wrong, timeout: 20 }),
        ctx(),
      )) as Record<string, Exec>;
      assert.equal(out.whoami!.exit_status, 1);
      assert.match(out.whoami!.error, /sudo|incorrect|Sorry/i);
      assert.doesNotMatch(JSON.stringify(out), new RegExp(wrong));
      assert.ok(Date.now() - started < 15_000);
    });
  });

  it('sudo without a password works for the NOPASSWD command (/usr/bin/id)', async (t) => {
    if (!up) return t.skip(skip);
    await withSession(ARGS, async (s) => {
      const out = (await s.config(['/usr/bin/id -u', 'whoami'], cfgReq({ sudo: true }), ctx())) as Record<string, Exec>;
      assert.deepEqual(out['/usr/bin/id -u'], { output: '0\n', error: '', exit_status: 0 });
      assert.equal(out.whoami!.exit_status, 1, 'other commands still need the password');
    });
  });

  it('config without sudo runs each line as the user', async (t) => {
    if (!up) return t.skip(skip);
    await withSession(ARGS, async (s) => {
      const out = (await s.config(['whoami', 'false'], cfgReq(), ctx())) as Record<string, Exec>;
      assert.deepEqual(out, {
        whoami: { output: 'linux\n', error: '', exit_status: 0 },
        false: { output: '', error: '', exit_status: 1 },
      });
    });
  });

  it('key auth: key_filename (plain), pkey text of the encrypted key with passphrase, key_filename + passphrase', async (t) => {
    if (!up) return t.skip(skip);
    const base = { ...ARGS, password: null };
    const encrypted = readFileSync(LAB.linux.encryptedKeyPath, 'utf8');
    for (const args of [
      { ...base, key_filename: LAB.linux.privateKeyPath },
      { ...base, pkey: encrypted, passphrase: LAB.linux.passphrase },
      { ...base, key_filename: [LAB.linux.encryptedKeyPath], passphrase: LAB.linux.passphrase },
    ]) {
      await withSession(args, async (s) => {
        const out = (await s.send(['whoami'], cmdReq(), ctx())) as Record<string, Exec>;
        assert.equal(out.whoami!.output, 'linux\n');
      });
    }
    await assert.rejects(
      driver.connect({ ...base, pkey: encrypted, passphrase: 'wrong' }, ctx()),
      isCode('NP_ERR_DEVICE_AUTH', /Cannot use the private key/),
    );
    await assert.rejects(
      driver.connect({ ...base, key_filename: path.join(tmp, 'no-such-key') }, ctx()),
      isCode('NP_ERR_DEVICE_AUTH', /missing, unreadable/),
    );
  });

  it('a wrong password → DEVICE_AUTH; a closed port → DEVICE_CONNECT', async (t) => {
    if (!up) return t.skip(skip);
    await assert.rejects(
      driver.connect({ ...ARGS, password: 'not-the-password' }, ctx()),
      isCode('NP_ERR_DEVICE_AUTH', /Authentication failed for linux@127\.0\.0\.1:2222/),
    );
    const port = await closedPort();
    await assert.rejects(driver.connect({ ...ARGS, port }, ctx()), isCode('NP_ERR_DEVICE_CONNECT', /ECONNREFUSED/));
  });

  it('host_key_policy reject refuses an unknown host and accepts one added before', async (t) => {
    if (!up) return t.skip(skip);
    const fresh = path.join(tmp, 'kh-reject');
    await assert.rejects(
      driver.connect({ ...ARGS, known_hosts_file: fresh, host_key_policy: 'reject' }, ctx()),
      isCode('NP_ERR_DEVICE_CONNECT', /not in .*host_key_policy is reject/),
    );
    await withSession({ ...ARGS, known_hosts_file: fresh }, async () => undefined);
    await withSession({ ...ARGS, known_hosts_file: fresh, host_key_policy: 'reject' }, async (s) =>
      assert.equal(s.alive, true),
    );
    const lines = readFileSync(fresh, 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^\[127\.0\.0\.1\]:2222 \S+ \S+$/);
  });

  it('test() returns the SSH banner as remote_version', async (t) => {
    if (!up) return t.skip(skip);
    const info = await driver.test(ARGS, ctx());
    assert.equal(info.driver, 'paramiko');
    assert.equal(info.host, '127.0.0.1');
    assert.match(String(info.remote_version), /^SSH-2\.0-OpenSSH/);
  });

  describe('SFTP file transfer', () => {
    const payload = randomBytes(100_000 + 123);
    const ft = (
      op: 'upload' | 'download',
      local_path: string,
      remote_path: string,
      extra: Record<string, unknown> = {},
    ) =>
      cmdReq({ file_transfer: { operation: op, local_path, remote_path, resume: false, chunk_size: 8192, ...extra } });

    before(async () => {
      writeFileSync(path.join(transferDir, 'payload.bin'), payload);
      if (up) await withSession(ARGS, (s) => s.send([`mkdir -p ${remoteDir}`], cmdReq(), ctx()));
    });

    it('upload then download round trip, byte for byte', async (t) => {
      if (!up) return t.skip(skip);
      await withSession(ARGS, async (s) => {
        const up1 = (await s.send(
          ['ignored'],
          ft('upload', 'payload.bin', `${remoteDir}/payload.bin`),
          ctx(),
        )) as Record<string, any>;
        assert.deepEqual(up1, {
          file_transfer_upload: {
            output: `File transfer completed: ${payload.length}/${payload.length} bytes`,
            error: '',
            exit_status: 0,
            transfer_result: {
              success: true,
              local_path: 'payload.bin',
              remote_path: `${remoteDir}/payload.bin`,
              bytes_transferred: payload.length,
              total_bytes: payload.length,
              resumed: false,
            },
          },
        });
        const sum = (await s.send([`sha256sum ${remoteDir}/payload.bin`], cmdReq(), ctx())) as Record<string, Exec>;
        assert.match(
          sum[`sha256sum ${remoteDir}/payload.bin`]!.output,
          new RegExp('^' + createHash('sha256').update(payload).digest('hex')),
        );
        const down = (await s.send(
          [],
          ft('download', path.join(transferDir, 'back.bin'), `${remoteDir}/payload.bin`),
          ctx(),
        )) as Record<string, any>;
        assert.equal(down.file_transfer_download.transfer_result.bytes_transferred, payload.length);
        assert.ok(readFileSync(path.join(transferDir, 'back.bin')).equals(payload));
      });
    });

    it('resume continues a partial download and a partial upload', async (t) => {
      if (!up) return t.skip(skip);
      await withSession(ARGS, async (s) => {
        const partial = path.join(transferDir, 'partial.bin');
        writeFileSync(partial, payload.subarray(0, 40_000));
        const down = (await s.send(
          [],
          ft('download', 'partial.bin', `${remoteDir}/payload.bin`, { resume: true }),
          ctx(),
        )) as Record<string, any>;
        assert.deepEqual(down.file_transfer_download.transfer_result, {
          success: true,
          local_path: 'partial.bin',
          remote_path: `${remoteDir}/payload.bin`,
          bytes_transferred: payload.length - 40_000,
          total_bytes: payload.length,
          resumed: true,
        });
        assert.ok(readFileSync(partial).equals(payload));

        await s.send([`head -c 12345 ${remoteDir}/payload.bin > ${remoteDir}/up.bin`], cmdReq(), ctx());
        const upr = (await s.send(
          [],
          ft('upload', 'payload.bin', `${remoteDir}/up.bin`, { resume: true }),
          ctx(),
        )) as Record<string, any>;
        assert.equal(upr.file_transfer_upload.transfer_result.resumed, true);
        assert.equal(upr.file_transfer_upload.transfer_result.bytes_transferred, payload.length - 12345);
        const cmp = (await s.send([`cmp ${remoteDir}/payload.bin ${remoteDir}/up.bin`], cmdReq(), ctx())) as Record<
          string,
          Exec
        >;
        assert.equal(cmp[`cmp ${remoteDir}/payload.bin ${remoteDir}/up.bin`]!.exit_status, 0);
      });
    });

    it('local paths outside the transfer directory are refused: .. escapes, absolute paths, symlinks out', async (t) => {
      // Accept-time check (400), no device needed.
      for (const bad of ['../escape.bin', '/etc/passwd', path.join(transferDir, '..', 'x')]) {
        assert.throws(() => driver.prepare(ft('upload', bad, '/tmp/x')), isCode('NP_ERR_VALIDATION'));
      }
      assert.throws(
        () => new ParamikoDriver({}, silent).prepare(ft('upload', 'payload.bin', '/tmp/x')),
        (e: unknown) => {
          assert.ok(e instanceof NetPulseError && e.code === 'NP_ERR_VALIDATION');
          assert.match(JSON.stringify(e.data), /drivers\.paramiko\.transfer_dir/);
          return true;
        },
      );
      if (!up) return t.skip(skip);
      symlinkSync('/etc/passwd', path.join(transferDir, 'link-out'));
      mkdirSync(path.join(tmp, 'outside'));
      symlinkSync(path.join(tmp, 'outside'), path.join(transferDir, 'dir-out'));
      await withSession(ARGS, async (s) => {
        await assert.rejects(
          s.send([], ft('upload', '../escape.bin', `${remoteDir}/x`), ctx()),
          isCode('NP_ERR_DEVICE_COMMAND', /outside the transfer directory/),
        );
        await assert.rejects(
          s.send([], ft('upload', 'link-out', `${remoteDir}/x`), ctx()),
          isCode('NP_ERR_DEVICE_COMMAND', /symbolic link/),
        );
        await assert.rejects(
          s.send([], ft('download', 'dir-out/stolen.bin', `${remoteDir}/payload.bin`), ctx()),
          isCode('NP_ERR_DEVICE_COMMAND', /outside the transfer directory/),
        );
        await assert.rejects(
          s.send([], ft('download', 'link-out', `${remoteDir}/payload.bin`), ctx()),
          isCode('NP_ERR_DEVICE_COMMAND', /symbolic link/),
        );
        assert.notEqual(readFileSync('/etc/passwd', 'utf8').length, payload.length);
        // Without a transfer directory, transfers are refused at run time too.
        const bare = await new ParamikoDriver({}, silent).connect(ARGS, ctx());
        try {
          await assert.rejects(
            bare.send([], ft('upload', 'payload.bin', `${remoteDir}/x`), ctx()),
            isCode('NP_ERR_DEVICE_COMMAND', /transfer_dir/),
          );
        } finally {
          await bare.close();
        }
      });
    });

    it('a transfer into a missing remote directory fails the job (DEVICE_COMMAND)', async (t) => {
      if (!up) return t.skip(skip);
      await withSession(ARGS, async (s) => {
        await assert.rejects(
          s.send([], ft('upload', 'payload.bin', `${remoteDir}/missing/dir/x.bin`), ctx()),
          isCode('NP_ERR_DEVICE_COMMAND', /SFTP open .* failed: No such file/),
        );
        await assert.rejects(
          s.send([], ft('download', 'never.bin', `${remoteDir}/missing.bin`), ctx()),
          isCode('NP_ERR_DEVICE_COMMAND', /SFTP stat .* failed/),
        );
      });
    });

    it('file_transfer.timeout bounds the transfer (DEVICE_TIMEOUT)', async (t) => {
      if (!up) return t.skip(skip);
      await withSession(ARGS, async (s) => {
        await assert.rejects(
          s.send([], ft('upload', 'payload.bin', `${remoteDir}/slow.bin`, { chunk_size: 1, timeout: 0.2 }), ctx()),
          isCode('NP_ERR_DEVICE_TIMEOUT', /timeout of 0\.2 s/),
        );
      });
    });
  });

  describe('jump host', () => {
    let jump: Awaited<ReturnType<typeof startJumpHost>>;
    before(async () => {
      jump = await startJumpHost();
    });
    after(() => jump.close());

    it('reaches the lab sshd through a jump host authenticated by proxy_pkey', async (t) => {
      if (!up) return t.skip(skip);
      const args = {
        ...ARGS,
        proxy_host: '127.0.0.1',
        proxy_port: jump.port,
        proxy_username: 'jump',
        proxy_pkey: jump.clientKey,
      };
      await withSession(args, async (s) => {
        const out = (await s.send(['whoami'], cmdReq(), ctx())) as Record<string, Exec>;
        assert.equal(out.whoami!.output, 'linux\n');
      });
      const keyFile = path.join(tmp, 'jump_key');
      writeFileSync(keyFile, jump.clientKey, { mode: 0o600 });
      const info = await driver.test(
        {
          ...ARGS,
          proxy_host: '127.0.0.1',
          proxy_port: jump.port,
          proxy_username: 'jump',
          proxy_key_filename: keyFile,
        },
        ctx(),
      );
      assert.match(String(info.remote_version), /^SSH-2\.0-OpenSSH/, "the banner is the target's, not the jump host's");
    });

    it('jump host errors name the jump host; its host key is checked with the same policy', async (t) => {
      if (!up) return t.skip(skip);
      await assert.rejects(
        driver.connect(
          { ...ARGS, proxy_host: '127.0.0.1', proxy_port: jump.port, proxy_username: 'jump', proxy_password: 'nope' },
          ctx(),
        ),
        isCode('NP_ERR_DEVICE_AUTH', /^Jump host 127\.0\.0\.1:\d+: Authentication failed for jump@/),
      );
      await assert.rejects(
        driver.connect(
          {
            ...ARGS,
            known_hosts_file: path.join(tmp, 'kh-jump'),
            host_key_policy: 'reject',
            proxy_host: '127.0.0.1',
            proxy_port: jump.port,
            proxy_username: 'jump',
            proxy_password: 'hop',
          },
          ctx(),
        ),
        isCode('NP_ERR_DEVICE_CONNECT', /^Jump host 127\.0\.0\.1:\d+: Host key verification failed/),
      );
    });
  });
});

describe('paramiko through the HTTP API', async () => {
  const up = await labAvailable('sshd');
  const module = path.join(PROJECT_ROOT, 'plugins/drivers/paramiko/index.ts');
  const builtin = (builtinPlugins as string[]).includes('./drivers/paramiko/index.ts');

  it('exec command and config jobs (fifo), /device/test, and a refused file transfer', async (t) => {
    if (!up) return t.skip(labSkipMessage('sshd'));
    const s = await startTestServer({ plugin: { modules: builtin ? [ECHO_DRIVER] : [ECHO_DRIVER, module] } });
    try {
      // Relative: inside the server's state directory (a store outside it is refused).
      const conn = { ...ARGS, known_hosts_file: 'kh-api' };
      const r = await s.call('POST', '/device/exec', {
        driver: 'paramiko',
        connection_args: conn,
        command: ['uname -s', 'exit 2'],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const job = await waitJob(s, r.body.data.id, 30_000);
      assert.equal(job.status, 'finished', JSON.stringify(job.result));
      assert.deepEqual(job.result.retval, {
        'uname -s': { output: 'Linux\n', error: '', exit_status: 0 },
        'exit 2': { output: '', error: '', exit_status: 2 },
      });

      const c = await s.call('POST', '/device/exec', {
        driver: 'paramiko',
        connection_args: conn,
        config: ['whoami'],
        driver_args: { sudo: true, sudo_password: LAB.linux.sudoPassword },
      });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      const cjob = await waitJob(s, c.body.data.id, 30_000);
      assert.equal(cjob.status, 'finished', JSON.stringify(cjob.result));
      assert.deepEqual(cjob.result.retval, { whoami: { output: 'root\n', error: '', exit_status: 0 } });

      const test = await s.call('POST', '/device/test', { driver: 'paramiko', connection_args: conn });
      assert.equal(test.status, 200, JSON.stringify(test.body));
      assert.equal(test.body.data.success, true, JSON.stringify(test.body));
      assert.match(test.body.data.result.remote_version, /^SSH-2\.0-/);

      const bad = await s.call('POST', '/device/exec', {
        driver: 'paramiko',
        connection_args: { ...conn, password: 'not-the-password' },
        command: ['true'],
      });
      const badJob = await waitJob(s, bad.body.data.id, 30_000);
      assert.equal(badJob.status, 'failed');
      assert.equal(badJob.result.error.type, 'AuthenticationError');

      const ft = await s.call('POST', '/device/exec', {
        driver: 'paramiko',
        connection_args: conn,
        command: ['x'],
        driver_args: { file_transfer: { operation: 'upload', local_path: 'a', remote_path: '/tmp/a' } },
      });
      assert.equal(ft.status, 400, JSON.stringify(ft.body));
      assert.match(JSON.stringify(ft.body.data), /transfer_dir/);

      // An unknown connection key is ignored as the reference does, and reported with a hint.
      const typo = await s.call('POST', '/device/exec', {
        driver: 'paramiko',
        connection_args: { ...conn, pasword: 'x' },
        command: ['true'],
      });
      assert.equal(typo.status, 201);
      assert.match(typo.body.warnings[0].msg, /did you mean 'password'/);
    } finally {
      await s.stop();
    }
  });
});

describe('paramiko validation (no device)', () => {
  const v = (connection_args: Record<string, unknown>) => () =>
    driver.prepare({
      connection_args: { host: '127.0.0.1', username: 'u', ...connection_args },
      driver_args: {},
      operation: 'command',
      options: {},
    });

  it('needs a credential (400, not 500), checks pkey text without echoing it, and the jump host needs its own', () => {
    assert.throws(v({ look_for_keys: false }), isCode('NP_ERR_VALIDATION'));
    assert.doesNotThrow(v({}), 'look_for_keys defaults to true');
    assert.doesNotThrow(v({ look_for_keys: false, password: 'p' }));
    assert.throws(v({ password: 'p', pkey: 'SECRET-NOT-A-KEY' }), (e: unknown) => {
      assert.ok(e instanceof NetPulseError && e.code === 'NP_ERR_VALIDATION');
      assert.doesNotMatch(JSON.stringify(e.data), /SECRET-NOT-A-KEY/);
      assert.match(JSON.stringify(e.data), /pkey/);
      return true;
    });
    assert.throws(v({ password: 'p', look_for_keys: false, proxy_host: '127.0.0.1' }), isCode('NP_ERR_VALIDATION'));
    assert.doesNotThrow(v({ password: 'p', look_for_keys: false, proxy_host: '127.0.0.1', proxy_password: 'x' }));
  });

  it('session keys change with any argument and never contain secrets', () => {
    const a = driver.sessionKey({ host: 'h', username: 'u', password: 'secret-one' });
    assert.equal(a, driver.sessionKey({ username: 'u', password: 'secret-one', host: 'h' }));
    assert.notEqual(a, driver.sessionKey({ host: 'h', username: 'u', password: 'secret-two' }));
    assert.doesNotMatch(a, /secret/);
    assert.equal(driver.defaultQueueStrategy, 'fifo');
  });
});
