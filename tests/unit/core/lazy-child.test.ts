import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../../core/log/logger.ts';
import { lazyChild } from '../../../core/log/lazy-child.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(c, _e, cb) {
      for (const l of String(c).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, sink };
}

test('a lazy child writes like a pino child: bindings, redaction, nested children', () => {
  const { lines, sink } = capture();
  const log = lazyChild(createLogger({ level: 'debug', destination: sink }), { job_id: 'j1', password: 'hunter2' });
  log.info({ step: 1 }, 'job started');
  log.child({ host: 'r1' }).debug('connected');
  log.warn('plain text');
  assert.equal(lines.length, 3);
  assert.deepEqual(
    lines.map((l) => [l.msg, l.job_id, l.password, l.host, l.step]),
    [
      ['job started', 'j1', '******', undefined, 1],
      ['connected', 'j1', '******', 'r1', undefined],
      ['plain text', 'j1', '******', undefined, undefined],
    ],
  );
  assert.ok(!JSON.stringify(lines).includes('hunter2'));
});

test('a lazy child below the level makes no pino child at all', () => {
  const { lines, sink } = capture();
  const root = createLogger({ level: 'error', destination: sink });
  let made = 0;
  const counting = Object.assign(Object.create(root), {
    child: (b: Record<string, unknown>) => {
      made++;
      return root.child(b);
    },
  });
  const log = lazyChild(counting, { job_id: 'j2' });
  log.info('job started');
  log.child({ host: 'r2' }).debug('connected');
  assert.equal(made, 0);
  log.error({ code: 'X' }, 'failed');
  assert.equal(made, 1);
  assert.equal(lines.length, 1);
  assert.equal(lines[0].job_id, 'j2');
});
