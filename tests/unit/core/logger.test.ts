/** Real log lines from createLogger (pino) through a capture stream: secrets never reach them. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../../core/log/logger.ts';

function capture(secrets?: string[], level = 'debug') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const log = createLogger({ level, destination, secrets });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, any>) };
}

const SECRETS = {
  password: 'pw-value-zzz',
  secret: 'enable-value-zzz',
  passphrase: 'phrase-value-zzz',
  pkey: 'pkey-value-zzz',
  api_key: 'apikey-value-zzz',
  token: 'token-value-zzz',
  sudo_password: 'sudo-value-zzz',
  proxy_password: 'proxy-value-zzz',
  community: 'community-value-zzz',
  Authorization: 'Bearer auth-value-zzz',
};

describe('createLogger', () => {
  it('writes JSON lines with level label, time, pid and message', () => {
    const { log, parsed } = capture();
    log.info({ host: '10.0.0.1' }, 'connected');
    const [line] = parsed();
    assert.equal(line.level, 'info');
    assert.equal(line.msg, 'connected');
    assert.equal(line.host, '10.0.0.1');
    assert.equal(line.pid, process.pid);
    assert.match(line.time, /^\d{4}-\d\d-\d\dT/);
  });

  it('masks secret keys at the top level and at any depth', () => {
    const { log, lines, parsed } = capture();
    log.info({ ...SECRETS }, 'top level');
    log.warn(
      { job: { request: { connection_args: { host: 'h', ...SECRETS }, devices: [{ host: 'd', ...SECRETS }] } } },
      'nested',
    );
    log
      .child({ component: 'node', conn: { password: SECRETS.password } })
      .error({ headers: { Authorization: SECRETS.Authorization } }, 'child');
    assert.equal(lines.length, 3);
    for (const l of lines) assert.ok(!l.includes('zzz'), l);
    const [top, nested] = parsed();
    for (const k of Object.keys(SECRETS)) assert.equal(top[k], '******', k);
    assert.equal(nested.job.request.connection_args.host, 'h');
    assert.equal(nested.job.request.devices[0].community, '******');
  });

  it('scrubs secrets inside message strings and format arguments', () => {
    const { log, lines } = capture();
    log.info(`login with password=${SECRETS.password} and token: ${SECRETS.token}`);
    log.info({ detail: `{"secret": "${SECRETS.secret}"}` }, `sudo_password=${SECRETS.sudo_password}`);
    log.info('header %s', `Authorization: ${SECRETS.Authorization}`);
    log.debug(
      `proxy_password=${SECRETS.proxy_password} pkey=${SECRETS.pkey} passphrase=${SECRETS.passphrase} community=${SECRETS.community} api_key=${SECRETS.api_key}`,
    );
    assert.equal(lines.length, 4);
    for (const l of lines) assert.ok(!l.includes('zzz'), l);
    assert.match(lines[0], /password=\*{6}/);
  });

  it('masks secrets in logged errors', () => {
    const { log, lines, parsed } = capture();
    log.error({ err: new Error(`auth failed password=${SECRETS.password}`) }, 'job failed');
    log.error(new Error(`token=${SECRETS.token}`));
    for (const l of lines) assert.ok(!l.includes('zzz'), l);
    assert.match(parsed()[0].err.message, /auth failed password=\*{6}/);
  });

  it('masks the configured secret values wherever they appear', () => {
    const { log, lines } = capture(['opaque-api-key-value', 'p@ss/w"rd']);
    log.info({ req: { url: '/health?X-Custom=opaque-api-key-value' } }, 'request');
    log.info({ note: 'p@ss/w"rd', encoded: encodeURIComponent('p@ss/w"rd') }, 'opaque-api-key-value in a message');
    for (const l of lines) {
      assert.ok(!l.includes('opaque-api-key-value'), l);
      assert.ok(!l.includes('w\\"rd') && !l.includes(encodeURIComponent('p@ss/w"rd')), l);
    }
  });

  it('honours the level (reference names accepted)', () => {
    const warn = capture(undefined, 'WARNING');
    warn.log.info('hidden');
    warn.log.warn('shown');
    assert.deepEqual(
      warn.parsed().map((l) => l.msg),
      ['shown'],
    );
    const silent = capture(undefined, 'silent');
    silent.log.error('nothing');
    assert.equal(silent.lines.length, 0);
  });
});
