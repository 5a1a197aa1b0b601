/** Secret redaction: key names at any depth, and key=value shapes inside free text. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MASK, isSecretKey, redact, scrubText } from '../../../core/log/redact.ts';

const SECRET_KEYS = [
  'password',
  'secret',
  'passphrase',
  'pkey',
  'api_key',
  'token',
  'sudo_password',
  'proxy_password',
  'community',
  'Authorization',
  'X-API-KEY',
  'apiKey',
  'private_key',
  'cookie',
  'client_secret',
  'refresh_token',
];
const PLAIN_KEYS = ['host', 'username', 'port', 'device_type', 'command', 'keepalive', 'name'];

describe('isSecretKey', () => {
  it('matches secret names in any case', () => {
    for (const k of SECRET_KEYS) {
      assert.ok(isSecretKey(k), k);
      assert.ok(isSecretKey(k.toUpperCase()), k.toUpperCase());
    }
  });
  it('leaves ordinary names alone', () => {
    for (const k of PLAIN_KEYS) assert.ok(!isSecretKey(k), k);
  });
});

describe('redact', () => {
  it('masks every secret key at top level', () => {
    const input = Object.fromEntries(SECRET_KEYS.map((k, i) => [k, `value-${i}-zzz`]));
    const out = redact(input) as Record<string, unknown>;
    for (const k of SECRET_KEYS) assert.equal(out[k], MASK, k);
  });

  it('masks at any depth, in arrays, and keeps other fields', () => {
    const input = {
      request: { connection_args: { host: '10.0.0.1', username: 'admin', password: 'pw-zzz', secret: 'en-zzz' } },
      devices: [
        { host: 'a', password: 'pw1-zzz' },
        { host: 'b', proxy: { proxy_password: 'pp-zzz', pkey: 'pk-zzz', passphrase: 'ph-zzz' } },
      ],
      snmp: { v2: [{ community: 'public-zzz' }] },
      headers: { Authorization: 'Bearer tok-zzz', 'content-type': 'application/json' },
      sudo: { sudo_password: 'sudo-zzz' },
      webhook: { url: 'http://hooks.local/x', auth: ['hookuser-zzz', 'hookpass-zzz'], token: 42 },
    };
    const out = redact(input);
    const text = JSON.stringify(out);
    assert.ok(!text.includes('zzz'), text);
    assert.equal(out.request.connection_args.host, '10.0.0.1');
    assert.equal(out.request.connection_args.username, 'admin');
    assert.equal(out.devices[1].host, 'b');
    assert.equal(out.headers['content-type'], 'application/json');
    assert.deepEqual(out.webhook.auth, [MASK, MASK]);
    assert.equal(out.webhook.token as unknown, MASK);
    // The input is not modified.
    assert.equal(input.request.connection_args.password, 'pw-zzz');
  });

  it('null, empty and absent secrets stay as they are (nothing to hide)', () => {
    assert.deepEqual(redact({ password: null, secret: '', token: undefined }), {
      password: null,
      secret: '',
      token: undefined,
    });
  });

  it('scrubs strings inside values and Errors, and survives cycles and buffers', () => {
    const err = new Error('login failed: password=err-zzz');
    const cyc: Record<string, unknown> = { note: 'api_key: cyc-zzz' };
    cyc.self = cyc;
    const out = redact({ err, cyc, buf: Buffer.from('password=buf-zzz') }) as any;
    assert.equal(out.err.type, 'Error');
    assert.ok(!JSON.stringify(out).includes('zzz'), JSON.stringify(out));
    assert.equal(out.cyc.self, '[Circular]');
    assert.equal(out.buf, '[Buffer 16]');
  });
});

describe('scrubText', () => {
  const cases: [string, string][] = [
    ['password=hunter2-zzz', 'password=******'],
    ['connect user=admin password=hunter2-zzz port=22', 'connect user=admin password=****** port=22'],
    ['{"password": "hunter2-zzz", "host": "h"}', '{"password": "******", "host": "h"}'],
    ["{'secret': 'en-zzz'}", "{'secret': '******'}"],
    ['api_key: key-zzz', 'api_key: ******'],
    ['api-key=key-zzz&x=1', 'api-key=******&x=1'],
    ['/health?X-API-KEY=key-zzz', '/health?X-API-KEY=******'],
    ['token=tok-zzz', 'token=******'],
    [
      'sudo_password=s-zzz proxy_password=p-zzz passphrase=ph-zzz',
      'sudo_password=****** proxy_password=****** passphrase=******',
    ],
    ['pkey=pk-zzz community=public-zzz', 'pkey=****** community=******'],
    ['Authorization: Bearer tok-zzz', 'Authorization: Bearer ******'],
    ['"authorization": "Basic YWRtaW4-zzz"', '"authorization": "Basic ******"'],
    ["ConnectionArgs(host='h', password='pw-zzz')", "ConnectionArgs(host='h', password='******')"],
  ];
  for (const [input, want] of cases) {
    it(`masks ${input}`, () => {
      assert.equal(scrubText(input), want);
    });
  }

  it('leaves text without secrets unchanged', () => {
    const text = 'show running-config | include hostname; host=10.0.0.1 port=22 user=admin';
    assert.equal(scrubText(text), text);
  });
});
