import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../../core/log/logger.ts';

test('log.pretty writes one readable line per record, secrets still masked', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(c, _e, cb) {
      lines.push(String(c));
      cb();
    },
  });
  const log = createLogger({ level: 'info', pretty: true, destination: sink, secrets: ['the-api-key-123'] });
  log.info({ host: 'r1', password: 'hunter2', note: 'sent the-api-key-123' }, 'job started');
  log.debug('not at this level');
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^\d\d:\d\d:\d\d\.\d{3} INFO {2}job started host=r1 password=\*{6} note=sent \*{6}\n$/);
  assert.ok(!lines[0].startsWith('{'));
});
