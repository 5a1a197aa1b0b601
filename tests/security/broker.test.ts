/**
 * Row "Redis down": with the broker unreachable every endpoint answers 503 with the coded broker
 * error within broker.fail_fast_timeout (+ slack), never a 500 or a hang, and service resumes by
 * itself when Redis returns. A private redis-server on a loopback port is stopped and restarted.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, waitFor } from '../helpers/cluster.ts';
import { commandRuns, ServerSet } from '../helpers/redis-servers.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const haveRedis = await commandRuns('redis-server', ['--version']);

describe('broker unreachable', { skip: haveRedis ? false : 'redis-server is not installed' }, () => {
  const servers = new ServerSet();
  let port: number;
  let redis: { proc: import('node:child_process').ChildProcess; dir: string };
  let s: TestServer;

  before(async () => {
    port = await freePort();
    redis = await servers.startRedis(port);
    s = await startTestServer({
      broker: { name: 'redis', fail_fast_timeout: 1 },
      redis: { host: '127.0.0.1', port, timeout: 2, key: { prefix: `np-sec-${port}` } },
    });
  });
  after(async () => {
    await s?.stop();
    await servers.cleanup();
  });

  it('answers 503 within the bound on every endpoint, then recovers', async () => {
    const exec = { driver: 'echo', connection_args: { host: 'b-1' }, command: 'show clock' };
    assert.equal((await s.call('POST', '/device/exec', exec)).status, 201);
    redis.proc.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const calls: [string, string, unknown?][] = [
      ['POST', '/device/exec', exec],
      ['POST', '/device/bulk', { driver: 'echo', devices: [{ host: 'b-2' }, { host: 'b-3' }], command: 'x' }],
      ['GET', '/job'],
      ['GET', '/job?id=00000000-0000-0000-0000-000000000000'],
      ['DELETE', '/job?host=b-1'],
      ['GET', '/worker'],
      ['DELETE', '/worker?name=nobody'],
      ['GET', '/health'],
    ];
    for (const [method, path, body] of calls) {
      const t0 = performance.now();
      const r = await s.call(method, path, body);
      const ms = performance.now() - t0;
      assert.equal(r.status, 503, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, -1);
      assert.match(r.body.message, /Broker unavailable/);
      assert.ok(ms < 3000, `${method} ${path} took ${ms} ms`);
    }
    redis = await servers.startRedis(port, { dir: redis.dir });
    await waitFor('the API to serve again', async () => (await s.call('GET', '/health')).status === 200, 20_000, 200);
    assert.equal((await s.call('POST', '/device/exec', exec)).status, 201);
  });
});
