/**
 * The README quick start, followed literally: the commands are read from README.md itself (the
 * server's environment, the lab command, every curl body and URL), run as a user would (the
 * `netpulse serve` and lab processes as children, curl's requests with fetch), and every job must
 * finish. The only changes are the ports (free ones instead of 9000 and 2222, so parallel runs do
 * not collide) and `<job id>`, which the user copies from the previous answer.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../helpers/server.ts';
import { freePort, waitFor } from '../helpers/cluster.ts';

const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

const readme = readFileSync(resolve(PROJECT_ROOT, 'README.md'), 'utf8');
const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Scaling out'));

interface Curl {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** The curl commands of the quick start, in order (continuation lines joined). */
function curls(text: string): Curl[] {
  const joined = text.replace(/\\\n\s*/g, ' ');
  return [...joined.matchAll(/^\s*curl -s (.+)$/gm)].map(([, args]) => {
    const method = /-X (\w+)/.exec(args)?.[1] ?? 'GET';
    const m = /'(http:\/\/[^']+)'|(http:\/\/\S+)/.exec(args)!;
    const url = m[1] ?? m[2];
    const headers = Object.fromEntries([...args.matchAll(/-H '([^:]+): ([^']+)'/g)].map(([, k, v]) => [k, v]));
    const body = /-d '([^']+)'/.exec(args)?.[1];
    return { method, url, headers, body };
  });
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^netpulse_/i.test(k) && k !== 'NODE_TEST_CONTEXT') env[k] = v;
  return { ...env, NETPULSE_DOTENV: '/nonexistent/netpulse-test.env', ...extra };
}

function firstLine(c: ChildProcess): Promise<string> {
  return new Promise((res, rej) => {
    let buf = '';
    c.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) res(buf.split('\n')[0]);
    });
    c.once('exit', (code) => rej(new Error(`exited ${code} before printing`)));
  });
}

describe('README quick start, literally', () => {
  it('starts the server and the simulated device, runs show version, then a config change with save', async () => {
    const serverEnv = /^\s*(NETPULSE_\w+)=(\S+) npm start$/m.exec(quickStart);
    assert.ok(serverEnv, 'step 1 starts the server with an API key in the environment');
    const lab = /^\s*npm run lab -- (.+)$/m.exec(quickStart);
    assert.ok(lab, 'step 2 starts the lab');
    const steps = curls(quickStart);
    assert.ok(steps.length >= 4, `found ${steps.length} curl commands`);

    const apiPort = await freePort();
    const devPort = await freePort();
    const server = spawn(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', 'serve'], {
      cwd: PROJECT_ROOT,
      env: childEnv({
        [serverEnv[1]]: serverEnv[2],
        NETPULSE_SERVER__PORT: String(apiPort),
        NETPULSE_SERVER__STATE_DIR: mkdtempSync(join(tmpdir(), 'np-qs-')),
      }),
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    children.push(server);
    const labProc = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/lab/main.ts', ...lab[1].split(/\s+/), '--port', String(devPort)],
      { cwd: PROJECT_ROOT, env: childEnv({}), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(labProc);
    const inventory = JSON.parse(await firstLine(labProc)) as { host: string; port: number }[];
    assert.equal(inventory[0].host, '127.0.0.2', 'the device is where the README says');
    const base = `http://127.0.0.1:${apiPort}`;
    await waitFor(
      'the server to listen',
      async () =>
        fetch(`${base}/health`).then(
          () => true,
          () => false,
        ),
      30_000,
      200,
    );

    let jobId = '';
    const finished: unknown[] = [];
    for (const step of steps) {
      const url = step.url.replace('http://127.0.0.1:9000', base).replace('<job id>', jobId);
      const body = step.body?.replace('"port":2222', `"port":${devPort}`);
      if (step.method === 'POST') {
        const r = await fetch(url, { method: 'POST', headers: step.headers, body });
        const answer = (await r.json()) as { code: number; data: { id: string } };
        assert.equal(r.status, 201, JSON.stringify(answer));
        jobId = answer.data.id;
      } else {
        // The user re-runs this until the job ended.
        let job: { status: string; result: unknown } | undefined;
        await waitFor(
          `job ${jobId}`,
          async () => {
            const r = await fetch(url, { headers: step.headers });
            job = ((await r.json()) as { data: { status: string; result: unknown }[] }).data[0];
            return job?.status === 'finished' || job?.status === 'failed';
          },
          60_000,
          200,
        ).catch((e: Error) => assert.fail(`${e.message}: ${JSON.stringify(job)}`));
        assert.equal(job!.status, 'finished', JSON.stringify(job));
        finished.push(job!.result);
      }
    }
    assert.equal(finished.length, 2);
    const [show, config] = finished as { retval: unknown }[];
    assert.match((show.retval as Record<string, string>)['show version'], /Cisco IOS Software/);
    assert.ok(Array.isArray(config.retval) && config.retval.length === 2, 'config output and save output');
    assert.match(JSON.stringify(config.retval), /description uplink/);
    assert.match(String((config.retval as string[])[1]), /OK/);
  });
});
