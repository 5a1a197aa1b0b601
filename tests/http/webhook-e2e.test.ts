/** Job events reach the webhook target as JSON (success and failure), never with credentials. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { startTestServer, waitJob } from '../helpers/server.ts';

test('exec jobs deliver JSON job events to their webhook', async () => {
  const received: { headers: IncomingMessage['headers']; body: any }[] = [];
  const hook = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(data) });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(hook.address() as { port: number }).port}/events`;
  // The receiver is on loopback: allow-listed explicitly (webhooks refuse loopback by default).
  const s = await startTestServer({ webhook: { allow_hosts: ['127.0.0.1'] } });
  try {
    const webhook = { url, headers: { 'X-Hook-Token': 'hook-token-value' }, auth: ['hookuser', 'hookpass'] };
    const ok = await s.call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host: 'wh-1', password: 'device-pass-123' },
      command: 'show clock',
      webhook,
    });
    const bad = await s.call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host: 'wh-2', password: 'device-pass-123' },
      command: 'fail boom',
      webhook,
    });
    await waitJob(s, ok.body.data.id);
    await waitJob(s, bad.body.data.id);
    for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(received.length, 2);
    const byId = new Map(received.map((r) => [r.body.id, r]));
    const success = byId.get(ok.body.data.id)!;
    assert.equal(success.body.event, 'job.finished');
    assert.equal(success.body.status, 'finished');
    assert.match(success.body.result['show clock'], /\|show clock$/);
    assert.equal(success.headers['x-hook-token'], 'hook-token-value');
    assert.equal(success.headers.authorization, `Basic ${Buffer.from('hookuser:hookpass').toString('base64')}`);
    const failure = byId.get(bad.body.data.id)!;
    assert.equal(failure.body.event, 'job.failed');
    assert.deepEqual(failure.body.error, { type: 'CommandError', message: 'boom' });
    for (const r of received) assert.ok(!JSON.stringify(r.body).includes('device-pass-123'));
    assert.ok(!s.logs.join('').includes('hookpass') && !s.logs.join('').includes('device-pass-123'));
  } finally {
    await s.stop();
    await new Promise<void>((r) => hook.close(() => r()));
  }
});
