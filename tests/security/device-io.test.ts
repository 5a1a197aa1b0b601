/**
 * Rows "user regex in a job freezes the node", "device output with backspaces" and "netmiko
 * output has no cap": user regexes run on the linear-time engine (or are refused), backspace
 * processing is linear, and output is capped per command and per job.
 */
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Channel, endOfBufferMatcher, regexMatcher, type ShellStream } from '../../plugins/drivers/netmiko/channel.ts';
import { linearRegExp } from '../../core/security/linear-regex.ts';
import { NetPulseError } from '../../core/errors.ts';
import { startTestServer, waitJob } from '../helpers/server.ts';
import { startDevice } from '../fakes/ssh-device/index.ts';
import { NetmikoDriver } from '../../plugins/drivers/netmiko/driver.ts';
import { captureLogger } from '../conformance/webhook.ts';

function fakeStream(): ShellStream & EventEmitter {
  const s = new EventEmitter() as ShellStream & EventEmitter;
  (s as unknown as { write: () => void }).write = () => undefined;
  return s;
}
const prompt = endOfBufferMatcher((last) => /^R1#\s*$/.test(last));

describe('user regexes', () => {
  it('expect_string ^(\\s*\\S+\\s*)*XYZ$ cannot hold the event loop', async () => {
    const s = fakeStream();
    const ch = new Channel(s);
    // A 250 ms budget instead of the default 2 s: the outcome must not depend on how fast this machine matches.
    const read = ch.readUntil(regexMatcher(linearRegExp('^(\\s*\\S+\\s*)*XYZ$', ''), 250), {
      timeoutMs: 60_000,
      what: 'expect_string',
    });
    let worstStep = 0;
    const t0 = performance.now();
    let failed: unknown = null;
    read.catch((e: unknown) => (failed = e));
    // Bounded in count and time; the budget is spent long before either bound on any machine.
    for (let i = 0; i < 20_000 && failed === null && performance.now() - t0 < 12_000; i++) {
      const t = performance.now();
      s.emit('data', Buffer.from('a b '.repeat(250) + '!'));
      worstStep = Math.max(worstStep, performance.now() - t);
      // A device sending steadily (1 KB per ms): matching is gated to a share of the time, so a
      // flood faster than that would hit the output cap first.
      await new Promise((r) => setTimeout(r, 1));
    }
    // The read ends with NP_ERR_REGEX_LIMIT once matching has cost its budget, long before the
    // 60 s read timeout, and no single packet blocks the loop for long.
    assert.ok(failed instanceof NetPulseError && failed.code === 'NP_ERR_REGEX_LIMIT', String(failed));
    assert.ok(performance.now() - t0 < 15_000, `took ${performance.now() - t0} ms`);
    assert.ok(worstStep < 1000, `one packet blocked the loop for ${worstStep} ms`);
  });

  it('patterns that need backtracking are refused with NP_ERR_REGEX_LIMIT (400) before queueing', async () => {
    const srv = await startTestServer();
    try {
      const r = await srv.call('POST', '/device/exec', {
        driver: 'netmiko',
        connection_args: { device_type: 'cisco_ios', host: '127.0.0.9', username: 'u', password: 'p' },
        command: 'show version',
        driver_args: { expect_string: '(a|aa)+(?=b)' },
      });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(r.body.message, /linear time/);
      const ok = await srv.call('POST', '/device/exec', {
        driver: 'netmiko',
        connection_args: { device_type: 'cisco_ios', host: '127.0.0.9', username: 'u', password: 'p' },
        command: 'show version',
        driver_args: { expect_string: '^(\\s*\\S+\\s*)*XYZ$' },
        execution_timeout: 1,
      });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
    } finally {
      await srv.stop();
    }
  });

  it("the driver's prepare compiles user regexes once and refuses non-linear ones itself", () => {
    const driver = new NetmikoDriver(captureLogger().log);
    const base = {
      connection_args: { device_type: 'cisco_ios', host: '127.0.0.9', username: 'u', password: 'p' },
      options: {},
    };
    const cmd = driver.prepare({ ...base, operation: 'command', driver_args: { expect_string: 'R1#$' } });
    assert.ok(cmd.operation === 'command' && cmd.options.expect instanceof RegExp && cmd.options.expect.test('x\nR1#'));
    const refused = (driver_args: Record<string, unknown>, operation: 'command' | 'config') => () =>
      driver.prepare({ ...base, operation, driver_args });
    const isLimit = (e: unknown) => e instanceof NetPulseError && e.code === 'NP_ERR_REGEX_LIMIT';
    assert.throws(refused({ expect_string: '(a)\\1' }, 'command'), isLimit);
    assert.throws(refused({ error_pattern: '(?<=x)y' }, 'config'), isLimit);
    assert.throws(refused({ bypass_commands: 'a'.repeat(2000) }, 'config'), isLimit);
  });
});

describe('device output', () => {
  it('8 MB with one backspace per 16 KB chunk is read in linear time', async () => {
    const s = fakeStream();
    const ch = new Channel(s);
    const read = ch.readUntil(prompt, { timeoutMs: 60_000, what: 'the prompt' });
    const chunk = ('x'.repeat(79) + '\n').repeat(204) + '\b';
    const t0 = performance.now();
    for (let i = 0; i < 512; i++) s.emit('data', Buffer.from(chunk));
    s.emit('data', Buffer.from('\nR1#'));
    const r = await read;
    const elapsed = performance.now() - t0;
    assert.ok(r.text.length > 8_000_000);
    assert.ok(!r.text.includes('\b'));
    // About 100 ms when linear; the quadratic version took 4–8 s.
    assert.ok(elapsed < 2000, `took ${elapsed} ms`);
  });

  it('backspaces still erase across chunks and stop at a line start', async () => {
    const s = fakeStream();
    const ch = new Channel(s);
    const read = ch.readUntil(prompt, { timeoutMs: 1000, what: 'the prompt' });
    for (const part of ['abc', '\b\bX', '\nline', '\b\b\b\b\b\bL\nR1#']) s.emit('data', Buffer.from(part));
    assert.equal((await read).text, 'aX\nL\nR1#');
  });

  it('endless output fails the read at max_command_bytes and keeps what fit', async () => {
    const s = fakeStream();
    const ch = new Channel(s, { caps: { command: 1 << 20, job: 4 << 20 } });
    ch.beginJob();
    ch.beginCommand();
    const read = ch.readUntil(prompt, { timeoutMs: 10_000, what: 'the prompt' });
    const chunk = Buffer.from('y'.repeat(32 * 1024));
    for (let i = 0; i < 64; i++) s.emit('data', chunk);
    await assert.rejects(
      read,
      (e: unknown) =>
        e instanceof NetPulseError && e.code === 'NP_ERR_OUTPUT_LIMIT' && /max_command_bytes/.test(e.message),
    );
    assert.equal(ch.peek().length, 1 << 20);
  });

  it('the job budget spans commands (max_job_bytes)', async () => {
    const s = fakeStream();
    const ch = new Channel(s, { caps: { command: 1 << 20, job: 1536 * 1024 } });
    ch.beginJob();
    for (const expectLimit of [false, true]) {
      ch.beginCommand();
      const read = ch.readUntil(prompt, { timeoutMs: 10_000, what: 'the prompt' });
      s.emit('data', Buffer.from('z'.repeat(900 * 1024) + '\nR1#'));
      if (expectLimit)
        await assert.rejects(read, (e: unknown) => e instanceof NetPulseError && /max_job_bytes/.test(e.message));
      else assert.ok((await read).text.length > 900 * 1024);
    }
  });

  it('output nobody reads between jobs stays bounded', () => {
    const s = fakeStream();
    const ch = new Channel(s, { caps: { command: 1 << 20, job: 4 << 20 } });
    for (let i = 0; i < 200; i++) s.emit('data', Buffer.from('n'.repeat(64 * 1024)));
    assert.ok(ch.peek().length <= 1 << 20, `buffer holds ${ch.peek().length}`);
  });
});

describe('output caps in a job', () => {
  it('a job failed by max_command_bytes keeps what fit in result.error.partial_output', async () => {
    const device = await startDevice({ profile: 'cisco_ios', host: '127.0.4.40', port: 0 });
    const srv = await startTestServer({ drivers: { output: { max_command_bytes: 1024 } } });
    try {
      const r = await srv.call('POST', '/device/exec', {
        driver: 'netmiko',
        connection_args: {
          device_type: 'cisco_ios',
          host: device.host,
          port: device.port,
          username: device.username,
          password: device.password,
          secret: device.secret,
        },
        command: ['show clock', 'show version'],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const job = await waitJob(srv, r.body.data.id, 30_000);
      assert.equal(job.status, 'failed', JSON.stringify(job.result).slice(0, 3000));
      assert.equal(job.result.error.type, 'OutputLimitError');
      assert.match(job.result.error.message, /max_command_bytes/);
      const partial = job.result.error.partial_output as Record<string, string>;
      // The command that completed is whole; the one that hit the cap keeps what fit in the cap
      // (which also counted its echoed command line).
      assert.match(partial['show clock'], /\d\d:\d\d:\d\d/);
      const kept = partial['show version'].length;
      assert.ok(kept > 1024 - 40 && kept <= 1024, `kept ${kept} characters`);
      assert.match(partial['show version'], /Cisco IOS Software/);
      assert.equal(job.result.retval, null);
    } finally {
      await srv.stop();
      await device.close();
    }
  });
});
