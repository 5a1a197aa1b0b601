/**
 * The client commands of the `netpulse` binary as users run them: `node bin/netpulse.mjs …` child
 * processes against a real server started here (memory broker, echo driver) and SSH device
 * simulators on loopback addresses. Covers every command, output formats, profiles, exit codes and
 * a 50-device CSV bulk with export.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PROJECT_ROOT, startTestServer, type TestServer } from '../helpers/server.ts';
import { createServer } from 'node:net';
import { startDevice, type SimDevice } from '../fakes/ssh-device/index.ts';
import { parseCsv } from '../../core/cli/client/csv.ts';
import { JOB_EVENTS } from '../../core/di/tokens.ts';
import type { JobEvents } from '../../core/events/job-events.ts';

const BIN = resolve(PROJECT_ROOT, 'bin/netpulse.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'np-cli-client-'));
// Inside the test server's state directory, where a request's store must lie.
const knownHosts = 'known_hosts_cli';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the binary with only the given NETPULSE_* variables and a private config home. */
function cli(args: string[], env: Record<string, string> = {}, timeout = 120_000): Promise<Run> {
  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^netpulse_/i.test(k) && k !== 'NODE_TEST_CONTEXT') base[k] = v;
  return new Promise((res) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: PROJECT_ROOT,
        timeout,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...base, XDG_CONFIG_HOME: join(tmp, 'xdg'), NO_COLOR: '', ...env },
      },
      (err, stdout, stderr) => res({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

function freePort(host: string): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, host, () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

describe('netpulse client commands', () => {
  let s: TestServer;
  let env: Record<string, string>;
  const devices: SimDevice[] = [];

  before(async () => {
    s = await startTestServer();
    env = { NETPULSE_URL: s.url, NETPULSE_API_KEY: s.key };
    for (let i = 0; i < 50; i++) {
      devices.push(
        await startDevice({
          profile: i % 2 ? 'arista_eos' : 'cisco_ios',
          host: `127.0.1.${i + 1}`,
          hostname: `sim${i + 1}`,
        }),
      );
    }
  });
  after(async () => {
    await Promise.all(devices.map((d) => d.close()));
    await s.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('bulk: a 50-device CSV over simulators ends with per-device lines, a correct summary, export and exit 1', async () => {
    // Two rows carry a wrong password (a per-device override): exactly those fail.
    const rows = devices.map((d, i) =>
      [d.host, d.port, 'admin', i === 7 || i === 33 ? 'wrong' : d.password, d.profile].join(','),
    );
    const csv = join(tmp, 'devices.csv');
    writeFileSync(csv, `host,port,username,password,device_type\n${rows.join('\n')}\n`);
    const out = join(tmp, 'export');
    const r = await cli(
      [
        'bulk',
        '--devices',
        csv,
        '--driver',
        'netmiko',
        '--command',
        'show version',
        '--queue-strategy',
        'fifo',
        '--connection-args',
        JSON.stringify({ known_hosts_file: knownHosts, timeout: 20 }),
        '--export',
        out,
        '--output',
        'json',
      ],
      env,
      300_000,
    );
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /50 devices: 48 ok, 2 failed in [\d.]+ s/);
    const lines = r.stderr.split('\n').filter((l) => /^[✓✗] 127\.0\.1\.\d+ /.test(l));
    assert.equal(lines.length, 50, r.stderr);
    assert.deepEqual(
      lines
        .filter((l) => l.startsWith('✗'))
        .map((l) => l.split(' ')[1])
        .sort(),
      ['127.0.1.34', '127.0.1.8'],
    );
    const jobs = JSON.parse(r.stdout) as any[];
    assert.equal(jobs.length, 50);
    const batches = new Set(jobs.map((j) => j.batch_id));
    assert.equal(batches.size, 1);
    assert.equal(jobs.filter((j) => j.status === 'finished' && j.result.type === 1).length, 48);
    const files = readdirSync(out).sort();
    assert.equal(files.length, 50);
    assert.match(readFileSync(join(out, '127.0.1.1.txt'), 'utf8'), /Cisco IOS/);
    assert.match(readFileSync(join(out, '127.0.1.2.txt'), 'utf8'), /Arista/);
    assert.match(readFileSync(join(out, '127.0.1.8.txt'), 'utf8'), /^failed: \w+/);
    // The batch is followable after the fact too.
    const b = await cli(['job', 'watch', '--batch', jobs[0].batch_id, '-o', 'json'], env);
    assert.equal(b.code, 1);
    assert.deepEqual(JSON.parse(b.stdout).counts, { queued: 0, started: 0, finished: 48, failed: 2, canceled: 0 });
  });

  it("bulk reads the reference client's sheet (Selected/Vendor/IP/Port/…) and YAML; all ok → exit 0", async () => {
    const [a, b, c] = devices;
    const sheet = join(tmp, 'sheet.csv');
    writeFileSync(
      sheet,
      [
        'Selected,Name,Site,Location,Rack,Vendor,Model,IP,Port,Username,Password,Keepalive',
        `True,r1,s,l,1,CISCO,c,${a.host},${a.port},admin,admin,30`,
        `True,r2,s,l,1,ARISTA,a,${b.host},${b.port},admin,admin,`,
        `False,r3,s,l,1,CISCO,c,${c.host},${c.port},admin,admin,`,
      ].join('\r\n'),
    );
    const r = await cli(
      [
        'bulk',
        '-d',
        sheet,
        '-c',
        'show version',
        '--connection-args',
        JSON.stringify({ known_hosts_file: knownHosts }),
        '-o',
        'csv',
      ],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /2 devices: 2 ok, 0 failed/);
    const csvRows = parseCsv(r.stdout);
    assert.deepEqual(csvRows[0], ['host', 'status', 'duration', 'job_id', 'error', 'output']);
    assert.equal(csvRows.length, 3);
    assert.match(csvRows[1][5], /Cisco IOS|Arista/);

    const yamlFile = join(tmp, 'devices.yaml');
    writeFileSync(yamlFile, `devices:\n  - {host: "${a.host}", port: ${a.port}, device_type: cisco_ios}\n`);
    const y = await cli(
      [
        'bulk',
        '-d',
        yamlFile,
        '-c',
        'show version',
        '--username',
        'admin',
        '--password',
        'admin',
        '--connection-args',
        JSON.stringify({ known_hosts_file: knownHosts }),
        '-o',
        'yaml',
      ],
      env,
    );
    assert.equal(y.code, 0, y.stderr);
    assert.equal((parseYaml(y.stdout) as any[])[0].status, 'finished');
  });

  it('exec queues or waits; a failed job exits 1', async () => {
    const q = await cli(
      ['exec', '--driver', 'echo', '--host', 'c1', '--password', 'pw', '-c', 'hello', '-o', 'json'],
      env,
    );
    assert.equal(q.code, 0, q.stderr);
    const queued = JSON.parse(q.stdout)[0];
    assert.equal(queued.status, 'queued');
    assert.ok(!q.stdout.includes('"pw"'));
    const w = await cli(['exec', '--driver', 'echo', '--host', 'c1', '--password', 'pw', '-c', 'hello', '--wait'], env);
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stdout, /\|hello/);
    assert.match(w.stderr, /c1: finished/);
    const f = await cli(
      ['exec', '--driver', 'echo', '--host', 'c1', '--password', 'pw', '-c', 'fail boom', '--wait'],
      env,
    );
    assert.equal(f.code, 1);
    assert.match(f.stdout, /boom/);
  });

  it('test, render and parse', async () => {
    const d = devices[0];
    const t = await cli(
      [
        'test',
        '--host',
        d.host,
        '--port',
        String(d.port),
        '--device-type',
        'cisco_ios',
        '--username',
        'admin',
        '--password',
        'admin',
        '--connection-args',
        JSON.stringify({ known_hosts_file: knownHosts }),
        '-o',
        'json',
      ],
      env,
    );
    assert.equal(t.code, 0, t.stderr + t.stdout);
    assert.equal(JSON.parse(t.stdout).success, true);
    const bad = await cli(
      [
        'test',
        '--host',
        d.host,
        '--port',
        String(d.port),
        '--device-type',
        'cisco_ios',
        '--username',
        'admin',
        '--password',
        'nope',
        '--connection-args',
        JSON.stringify({ known_hosts_file: knownHosts }),
      ],
      env,
    );
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /failed/);

    const tpl = join(tmp, 'intf.j2');
    writeFileSync(tpl, 'interface {{ name }}\n description {{ desc }}');
    const r = await cli(['render', '-t', tpl, '--context', JSON.stringify({ name: 'Lo9', desc: 'x' })], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'interface Lo9\n description x\n');

    const input = join(tmp, 'ver.txt');
    writeFileSync(input, 'Version 15.2\nVersion 16.9\n');
    const p = await cli(
      [
        'parse',
        '--engine',
        'textfsm',
        '-t',
        'Value VERSION (\\S+)\n\nStart\n  ^Version ${VERSION} -> Record\n',
        '-i',
        input,
        '-o',
        'jsonl',
      ],
      env,
    );
    assert.equal(p.code, 0, p.stderr);
    assert.deepEqual(
      p.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
      [{ VERSION: '15.2' }, { VERSION: '16.9' }],
    );
  });

  it('job watch follows a job to its end through the event stream', async () => {
    // The watched job waits behind another on its pinned host, so it starts only after the CLI listens.
    const exec = (command: string) =>
      s.call('POST', '/device/exec', {
        driver: 'echo',
        connection_args: { host: 'w1', password: 'pw' },
        command,
        queue_strategy: 'pinned',
      });
    await exec('sleep 12000');
    const r = await exec('sleep 300');
    const events = s.np.container.resolve<JobEvents>(JOB_EVENTS);
    const before = events.subscribers;
    const watching = cli(['job', 'watch', r.body.data.id], env);
    const deadline = Date.now() + 60_000;
    while (events.subscribers <= before && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    assert.equal(
      (await s.call('GET', `/job?id=${r.body.data.id}`)).body.data[0].status,
      'queued',
      'still queued once watched',
    );
    const w = await watching;
    assert.equal(w.code, 0, w.stderr);
    // These lines come from events (polling prints none); the end prints the output.
    assert.match(w.stderr, / started w1 [0-9a-f-]+ on /);
    assert.match(w.stderr, / finished w1 /);
    assert.match(w.stdout, /\|sleep 300/);
  });

  it('job list|get|cancel in every output format', async () => {
    const a = await s.call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host: 'jl', password: 'pw' },
      command: 'sleep 15000',
      queue_strategy: 'pinned',
    });
    const b = await s.call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host: 'jl', password: 'pw' },
      command: 'x',
      queue_strategy: 'pinned',
    });
    const c = await cli(['job', 'cancel', b.body.data.id, '-o', 'json'], env);
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(JSON.parse(c.stdout), [b.body.data.id]);
    const table = await cli(['job', 'list', '--host', 'jl'], env);
    assert.equal(table.code, 0);
    assert.match(table.stdout.split('\n')[0], /^ID\s+HOST\s+STATUS/);
    assert.match(table.stdout, /canceled/);
    const csv = await cli(['job', 'list', '--host', 'jl', '-o', 'csv'], env);
    assert.equal(csv.stdout.trim().split('\n').length, 3);
    const yaml = parseYaml((await cli(['job', 'list', '--host', 'jl', '-o', 'yaml'], env)).stdout) as any[];
    assert.deepEqual(yaml.map((j) => j.id).sort(), [a.body.data.id, b.body.data.id].sort());
    assert.equal(yaml.find((j) => j.id === b.body.data.id).status, 'canceled');
    const got = await cli(['job', 'get', a.body.data.id, b.body.data.id, '-o', 'jsonl'], env);
    assert.equal(got.stdout.trim().split('\n').length, 2);
    const missing = await cli(['job', 'get', '00000000-0000-4000-8000-000000000000'], env);
    assert.equal(missing.code, 1);
  });

  it('worker list and stop', async () => {
    await s.call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host: 'wk', password: 'pw' },
      command: 'x',
      queue_strategy: 'pinned',
    });
    const l = await cli(['worker', 'list', '-o', 'json'], env);
    assert.equal(l.code, 0, l.stderr);
    const pinned = (JSON.parse(l.stdout) as any[]).find((w) => w.queues.includes('HostQ_wk'));
    assert.ok(pinned, l.stdout);
    const st = await cli(['worker', 'stop', pinned.name, '-o', 'json'], env);
    assert.equal(st.code, 0, st.stderr);
    assert.deepEqual(JSON.parse(st.stdout), [pinned.name]);
    const none = await cli(['worker', 'stop', 'no-such-worker'], env);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /not found/);
  });

  it('exit codes: wrong key 4, unreachable 3, usage 2 — each with a one-line reason', async () => {
    const wrong = await cli(['job', 'list'], { ...env, NETPULSE_API_KEY: 'wrong' });
    assert.equal(wrong.code, 4);
    assert.equal(wrong.stderr.trim().split('\n').length, 1);
    assert.match(wrong.stderr, /^netpulse job list: the server refused the API key \(403 NP_ERR_UNAUTHORIZED\)/);
    // A port just freed on an address of its own, so another process on this machine is unlikely to take it.
    const port = await freePort('127.0.3.77');
    const gone = await cli(['job', 'list', '--url', `http://127.0.3.77:${port}`], env);
    assert.equal(gone.code, 3, gone.stderr);
    assert.equal(gone.stderr.trim().split('\n').length, 1);
    assert.match(
      gone.stderr,
      /^netpulse job list: cannot reach NetPulse at http:\/\/127\.0\.3\.77:\d+: ECONNREFUSED$/m,
    );
    const usage = await cli(['exec', '--host', 'x'], env);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /exactly one of --command or --config/);
    assert.equal((await cli(['job', 'list', '--bogus'], env)).code, 2);
    const noKey = await cli(['job', 'list'], { NETPULSE_URL: s.url });
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /no API key/);
    const invalid = await cli(['exec', '--driver', 'nope', '--host', 'x', '-c', 'y'], env);
    assert.equal(invalid.code, 2);
  });

  it('profiles in $XDG_CONFIG_HOME/netpulse/config.yaml; flags win over them', async () => {
    const dir = join(tmp, 'xdg', 'netpulse');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'config.yaml'),
      `default_profile: lab\nprofiles:\n  lab:\n    url: ${s.url}\n    api_key: ${s.key}\n  broken:\n    url: ${s.url}\n    api_key: wrong\n`,
    );
    try {
      assert.equal((await cli(['job', 'list', '-q'])).code, 0);
      assert.equal((await cli(['job', 'list', '--profile', 'broken'])).code, 4);
      assert.equal((await cli(['job', 'list', '--profile', 'broken', '--api-key', s.key])).code, 0);
      const unknown = await cli(['job', 'list', '--profile', 'nope']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /profile "nope" not found/);
    } finally {
      rmSync(join(dir, 'config.yaml'));
    }
  });

  it('completion scripts for bash and zsh name every command', async () => {
    const bash = await cli(['completion', 'bash']);
    assert.equal(bash.code, 0);
    assert.match(bash.stdout, /complete -o default -F _netpulse netpulse/);
    for (const w of ['exec', 'bulk', 'job watch', '--devices', '--export']) assert.ok(bash.stdout.includes(w), w);
    const syntax = await new Promise<number | null>((res) => {
      const p = execFile('bash', ['-n'], (err) => res(err ? ((err as { code?: number }).code ?? 1) : 0));
      p.stdin!.end(bash.stdout);
    });
    assert.equal(syntax, 0, 'bash accepts the script');
    // The script completes: source it and ask for `netpulse job w<TAB>`.
    const script = join(tmp, 'netpulse.bash');
    writeFileSync(script, bash.stdout);
    const words = await new Promise<string>((res) => {
      execFile(
        'bash',
        ['-c', `source ${script}; COMP_WORDS=(netpulse job w); COMP_CWORD=2; _netpulse; echo "\${COMPREPLY[@]}"`],
        (_e, out) => res(out.trim()),
      );
    });
    assert.equal(words, 'watch');
    const zsh = await cli(['completion', 'zsh']);
    assert.match(zsh.stdout, /^#compdef netpulse/);
    assert.equal((await cli(['completion', 'fish'])).code, 2);
  });
});
