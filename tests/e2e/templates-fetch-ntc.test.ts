/**
 * `netpulse templates fetch ntc` as users run it (the CLI in a child process) against a release
 * tarball served by a local HTTP server on 127.0.0.1, then the installed templates used by a real
 * job on the cisco_ios simulator; and a job whose parse fails keeps its raw output.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { create } from 'tar';
import { startDevice, type SimDevice } from '../fakes/ssh-device/index.ts';
import { PROJECT_ROOT, startTestServer, waitJob } from '../helpers/server.ts';

const BIN = resolve(PROJECT_ROOT, 'bin/netpulse.mjs');
const TEMPLATE = `Value INTF (\\S+)
Value IPADDR (\\S+)
Value STATUS (up|down|administratively down)
Value PROTO (up|down)

Start
  ^\${INTF}\\s+\${IPADDR}\\s+\\w+\\s+\\w+\\s+\${STATUS}\\s+\${PROTO}\\s*$$ -> Record
`;
const INDEX = `Template, Hostname, Platform, Command

cisco_ios_show_ip_interface_brief.textfsm, .*, cisco_ios, sh[[ow]] ip int[[erface]] br[[ief]]
`;

const tmp = mkdtempSync(join(tmpdir(), 'np-fetch-ntc-'));

/** Builds `<name>.tar.gz` shaped like a GitHub release archive of ntc-templates. */
async function tarball(name: string, withIndex: boolean): Promise<Buffer> {
  const src = join(tmp, `src-${name}`);
  const root = join(src, 'ntc-templates-9.2.0');
  mkdirSync(join(root, 'ntc_templates', 'templates', 'nested'), { recursive: true });
  mkdirSync(join(root, 'tests'), { recursive: true });
  writeFileSync(join(root, 'README.md'), 'not installed');
  writeFileSync(join(root, 'tests', 'case.raw'), 'not installed');
  writeFileSync(join(root, 'ntc_templates', 'templates', 'nested', 'deep.textfsm'), 'not installed');
  writeFileSync(join(root, 'ntc_templates', 'templates', 'cisco_ios_show_ip_interface_brief.textfsm'), TEMPLATE);
  if (withIndex) writeFileSync(join(root, 'ntc_templates', 'templates', 'index'), INDEX);
  const file = join(tmp, `${name}.tar.gz`);
  await create({ gzip: true, file, cwd: src }, ['ntc-templates-9.2.0']);
  return readFileSync(file);
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^netpulse_/i.test(k) && k !== 'NODE_TEST_CONTEXT') env[k] = v;
  env.NETPULSE_DOTENV = '/nonexistent/netpulse-test.env';
  return new Promise((res) => {
    execFile(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, env, timeout: 60_000 }, (err, stdout, stderr) =>
      res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('netpulse templates fetch ntc', () => {
  let http: Server;
  let base = '';
  const served: Record<string, Buffer> = {};
  let device: SimDevice;

  before(async () => {
    served['/v9.2.0.tar.gz'] = await tarball('good', true);
    served['/broken.tar.gz'] = await tarball('broken', false);
    http = createServer((req, res) => {
      const body = served[req.url ?? ''];
      if (!body) return void res.writeHead(404).end('no such release');
      res.writeHead(200, { 'content-type': 'application/gzip' }).end(body);
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
    device = await startDevice({ profile: 'cisco_ios', host: '127.0.3.10', port: 0 });
  });
  after(async () => {
    await new Promise<void>((r) => http.close(() => r()));
    await device.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('installs only ntc_templates/templates/* of the release into --dir', async () => {
    const dir = join(tmp, 'ntc');
    const r = await cli([
      'templates',
      'fetch',
      'ntc',
      '--ref',
      'v9.2.0',
      '--dir',
      dir,
      '--url',
      `${base}/{ref}.tar.gz`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Installed 1 TextFSM templates and their index/);
    assert.equal(readFileSync(join(dir, 'index'), 'utf8'), INDEX);
    assert.ok(existsSync(join(dir, 'cisco_ios_show_ip_interface_brief.textfsm')));
    for (const stray of ['README.md', 'tests', 'nested', 'ntc_templates'])
      assert.ok(!existsSync(join(dir, stray)), `${stray} not installed`);
  });

  it('refuses an archive without an index and a missing release, leaving the installed templates alone', async () => {
    const dir = join(tmp, 'ntc');
    const broken = await cli([
      'templates',
      'fetch',
      'ntc',
      '--ref',
      'broken',
      '--dir',
      dir,
      '--url',
      `${base}/{ref}.tar.gz`,
    ]);
    assert.notEqual(broken.code, 0);
    assert.match(broken.stderr, /not an ntc-templates release: no ntc_templates\/templates\/index/);
    const missing = await cli([
      'templates',
      'fetch',
      'ntc',
      '--ref',
      'v0.0.1',
      '--dir',
      dir,
      '--url',
      `${base}/{ref}.tar.gz`,
    ]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /HTTP 404/);
    assert.equal(readFileSync(join(dir, 'index'), 'utf8'), INDEX, 'previous install intact');
  });

  it('a job with use_ntc_template keeps its output without templates, and parses with the fetched ones', async () => {
    const conn = {
      device_type: 'cisco_ios',
      host: device.host,
      port: device.port,
      username: device.username,
      password: device.password,
    };
    const body = {
      driver: 'netmiko',
      connection_args: conn,
      command: 'show ip interface brief',
      parsing: { name: 'textfsm', template: '', use_ntc_template: true },
    };
    const without = await startTestServer();
    try {
      const r = await without.call('POST', '/device/exec', body);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const job = await waitJob(without, r.body.data.id, 30_000);
      assert.equal(job.status, 'finished', JSON.stringify(job.result));
      const entry = job.result.retval['show ip interface brief'];
      assert.match(entry.output, /GigabitEthernet0\/0\s+192\.0\.2\.1/, 'raw output kept');
      assert.match(entry.parse_error, /ntc/i);
      const strict = await without.call('POST', '/device/exec', {
        ...body,
        parsing: { ...body.parsing, raise_parsing_error: true },
      });
      const failed = await waitJob(without, strict.body.data.id, 30_000);
      assert.equal(failed.status, 'failed');
      assert.equal(failed.result.error.type, 'TemplateError');
    } finally {
      await without.stop();
    }
    const withTemplates = await startTestServer({ templates: { ntc_dir: join(tmp, 'ntc') } });
    try {
      const r = await withTemplates.call('POST', '/device/exec', body);
      const job = await waitJob(withTemplates, r.body.data.id, 30_000);
      assert.equal(job.status, 'finished', JSON.stringify(job.result));
      const records = job.result.retval['show ip interface brief'];
      assert.ok(Array.isArray(records) && records.length > 0, JSON.stringify(records));
      assert.deepEqual(Object.keys(records[0]).sort(), ['intf', 'ipaddr', 'proto', 'status']);
    } finally {
      await withTemplates.stop();
    }
  });
});
