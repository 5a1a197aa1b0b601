import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { NetPulseError } from '../../../../../core/errors.ts';
import {
  Channel,
  TerminalCleaner,
  applyBackspaces,
  endOfBufferMatcher,
  type ShellStream,
} from '../../../../../plugins/drivers/netmiko/channel.ts';
import { COMMON_PAGING_PROMPTS } from '../../../../../plugins/drivers/netmiko/platforms/types.ts';

/** An in-process shell: the test plays the device with `emit`, and sees what the client wrote. */
class FakeShell extends EventEmitter implements ShellStream {
  written: string[] = [];
  onWrite: ((data: string) => void) | null = null;
  write(data: string | Buffer): boolean {
    const s = data.toString();
    this.written.push(s);
    this.onWrite?.(s);
    return true;
  }
  device(text: string | Buffer): void {
    this.emit('data', typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  }
  hangUp(): void {
    this.emit('close');
  }
}

const promptIs = (re: RegExp) => endOfBufferMatcher((last) => re.test(last));

describe('TerminalCleaner', () => {
  it('removes colours, cursor moves, bracketed paste and OSC titles', () => {
    const c = new TerminalCleaner();
    const out = c.push(
      '\x1b[?2004hlinux@vm:~$ \x1b[01;32mgreen\x1b[0m \x1b[2K\x1b[1;1H\x1b]0;title\x07done\x1b[?2004l\r\n',
    );
    assert.equal(out, 'linux@vm:~$ green done\n');
  });

  it('holds an escape split across chunks until it is complete', () => {
    const c = new TerminalCleaner();
    assert.equal(c.push('abc\x1b['), 'abc');
    assert.equal(c.push('?20'), '');
    assert.equal(c.push('04hR1#'), 'R1#');
  });

  it('normalises \\r\\n, \\r\\r\\n, \\n\\r and lone \\r, also across chunks', () => {
    const c = new TerminalCleaner();
    assert.equal(c.push('a\r\nb\r\r\nc\n\rd\re'), 'a\nb\nc\nd\ne');
    assert.equal(c.push('f\r'), 'f');
    assert.equal(c.push('\ng'), '\ng');
    // NX-OS: \r\r\n\r
    assert.equal(new TerminalCleaner().push('x\r\r\n\ry'), 'x\ny');
  });

  it("drops Huawei's space + ESC[1D repaint pairs and stray control characters", () => {
    assert.equal(new TerminalCleaner().push('dis \x1b[1Dplay\x07\x00 ver'), 'display ver');
  });

  it('turns ESC E into a newline', () => {
    assert.equal(new TerminalCleaner().push('one\x1bEtwo'), 'one\ntwo');
  });
});

describe('applyBackspaces', () => {
  it('erases characters of the current line only', () => {
    assert.equal(applyBackspaces('abc\b\bX'), 'aX');
    assert.equal(applyBackspaces('line\n\b\bnext'), 'line\nnext');
  });
});

describe('Channel', () => {
  it('reads through a regex and keeps the rest buffered for the next read', async () => {
    const sh = new FakeShell();
    const ch = new Channel(sh);
    const p = ch.readUntil(/show version/, { timeoutMs: 1000, what: 'the echo' });
    sh.device('show ver');
    sh.device('sion\r\nFRRouting 8.4\r\nlab-r1# ');
    const echo = await p;
    assert.equal(echo.match, 'show version');
    const rest = await ch.readUntil(promptIs(/^lab-r1#\s?$/), { timeoutMs: 1000, what: 'the prompt' });
    assert.equal(rest.text, '\nFRRouting 8.4\nlab-r1# ');
    assert.equal(ch.peek(), '');
  });

  it('matches a prompt only at the end of the buffer, not in the middle of output', async () => {
    const sh = new FakeShell();
    const ch = new Channel(sh);
    let resolved = false;
    const p = ch.readUntil(promptIs(/^R1#\s?$/), { timeoutMs: 1000, what: 'the prompt' }).then((r) => {
      resolved = true;
      return r;
    });
    sh.device('R1#\nhostname R1\n');
    await new Promise((r) => setImmediate(r));
    assert.equal(resolved, false);
    sh.device('R1#');
    assert.equal((await p).text, 'R1#\nhostname R1\nR1#');
  });

  it('answers paging prompts, drops them and the erase sequence, and returns the full output', async () => {
    const sh = new FakeShell();
    const ch = new Channel(sh, { pagingPrompts: COMMON_PAGING_PROMPTS });
    let page = 0;
    sh.onWrite = (data) => {
      if (data !== ' ') return;
      page++;
      // Cisco erases `--More--` with backspaces; Junos with \r + spaces + \r; Huawei with ESC[42D.
      if (page === 1)
        setImmediate(() => sh.device('\b\b\b\b\b\b\b\b\b         \b\b\b\b\b\b\b\b\b  line 3\r\n --More-- '));
      if (page === 2)
        setImmediate(() => sh.device('\r                                        \rline 4\r\n  ---- More ----'));
      if (page === 3)
        setImmediate(() => sh.device('\x1b[42D                                          \x1b[42Dline 5\r\nR1#'));
    };
    const p = ch.readUntil(promptIs(/^R1#\s?$/), { timeoutMs: 2000, what: 'the prompt' });
    sh.device('line 1\r\nline 2\r\n --More-- ');
    const r = await p;
    assert.equal(r.text, 'line 1\nline 2\n  line 3\nline 4\nline 5\nR1#');
    assert.equal(ch.pagingAnswers, 3);
    assert.deepEqual(sh.written, [' ', ' ', ' ']);
  });

  it('times out with DEVICE_TIMEOUT naming what it waited for and the last output, secrets redacted', async () => {
    const sh = new FakeShell();
    const ch = new Channel(sh, { secrets: ['s3cr3t'] });
    sh.device('x'.repeat(500) + 'Password: s3cr3t\r\nstill working');
    const started = Date.now();
    await assert.rejects(ch.readUntil(promptIs(/^R1#$/), { timeoutMs: 80, what: 'the prompt (R1)' }), (e: unknown) => {
      assert.ok(e instanceof NetPulseError);
      assert.equal(e.code, 'NP_ERR_DEVICE_TIMEOUT');
      assert.match(e.message, /Timed out after 80 ms waiting for the prompt \(R1\)/);
      assert.match(e.message, /still working/);
      assert.doesNotMatch(e.message, /s3cr3t/);
      assert.match(e.message, /\*\*\*/);
      assert.ok(e.message.length < 400, 'quotes only the tail');
      return true;
    });
    assert.ok(Date.now() - started < 1000);
    // The data is still there for a later read (nothing was consumed by the failed read).
    assert.match(ch.peek(), /still working$/);
  });

  it('rejects a pending read with DEVICE_CLOSED when the stream ends, and refuses writes after', async () => {
    const sh = new FakeShell();
    const ch = new Channel(sh);
    const p = ch.readUntil(promptIs(/^R1#$/), { timeoutMs: 5000, what: 'the prompt' });
    sh.device('partial output');
    sh.hangUp();
    await assert.rejects(
      p,
      (e: unknown) =>
        e instanceof NetPulseError && e.code === 'NP_ERR_DEVICE_CLOSED' && /partial output/.test(e.message),
    );
    assert.equal(ch.closed, true);
    assert.throws(
      () => ch.write('show version\n'),
      (e: unknown) => e instanceof NetPulseError && e.code === 'NP_ERR_DEVICE_CLOSED',
    );
    await assert.rejects(
      ch.readUntil(/x/, { timeoutMs: 10, what: 'x' }),
      (e: unknown) => (e as NetPulseError).code === 'NP_ERR_DEVICE_CLOSED',
    );
  });

  it('still returns a prompt that arrived together with the close', async () => {
    const sh = new FakeShell();
    const ch = new Channel(sh);
    const p = ch.readUntil(promptIs(/^R1#$/), { timeoutMs: 5000, what: 'the prompt' });
    sh.device('bye\r\nR1#');
    sh.hangUp();
    assert.equal((await p).text, 'bye\nR1#');
  });

  it('rejects with the abort reason (or DEVICE_TIMEOUT) when the signal fires', async () => {
    const sh = new FakeShell();
    const ch = new Channel(sh);
    const ac = new AbortController();
    const p = ch.readUntil(/never/, { timeoutMs: 0, signal: ac.signal, what: 'never' });
    ac.abort(new NetPulseError('NP_ERR_JOB_TIMEOUT', 'Job exceeded execution_timeout of 1 s'));
    await assert.rejects(p, (e: unknown) => (e as NetPulseError).code === 'NP_ERR_JOB_TIMEOUT');
    const ac2 = new AbortController();
    const p2 = ch.readUntil(/never/, { timeoutMs: 0, signal: ac2.signal, what: 'never' });
    ac2.abort();
    await assert.rejects(
      p2,
      (e: unknown) =>
        (e as NetPulseError).code === 'NP_ERR_DEVICE_TIMEOUT' &&
        /Aborted while waiting for never/.test((e as Error).message),
    );
  });

  it('decodes UTF-8 split across chunks', async () => {
    const sh = new FakeShell();
    const ch = new Channel(sh);
    const bytes = Buffer.from('descr café\r\nR1#', 'utf8');
    const cut = bytes.indexOf(0xc3) + 1;
    const p = ch.readUntil(promptIs(/^R1#$/), { timeoutMs: 1000, what: 'the prompt' });
    sh.device(bytes.subarray(0, cut));
    sh.device(bytes.subarray(cut));
    assert.equal((await p).text, 'descr café\nR1#');
  });

  it('searches large outputs incrementally and still finds a late match', async () => {
    const sh = new FakeShell();
    const ch = new Channel(sh);
    const p = ch.readUntil(/END-OF-DATA/, { timeoutMs: 2000, what: 'marker' });
    for (let i = 0; i < 200; i++) sh.device(`line ${i} ${'x'.repeat(100)}\r\n`);
    sh.device('END-OF-');
    sh.device('DATA\r\n');
    const r = await p;
    assert.ok(r.text.endsWith('END-OF-DATA'));
    assert.equal(ch.peek(), '\n');
  });
});
