/**
 * Bad input against a real server: every rejection is the envelope `{code:-1, message, data}`,
 * never echoes a secret (in the response or in the logs), and leaves the server serving.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { envelope } from '../helpers/errors.ts';

const SECRET = 'hunter2-secret';
const conn = { host: '10.0.0.1', username: 'admin', password: SECRET };
const base = { driver: 'echo', connection_args: conn, command: 'show version' };

let s: TestServer;
const bodies: string[] = [];

before(async () => {
  s = await startTestServer({ server: { body_limit: 2048 } });
});
after(async () => {
  await s.stop();
});

async function call(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  const r = await s.call(method, path, body, headers);
  bodies.push(typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
  return r;
}

/** A 400 validation error whose items are `{loc, msg}`; returns the items. */
function validation(r: { status: number; body: any }): { loc: (string | number)[]; msg: string }[] {
  const data = envelope(r, 400, 'Validation Error');
  assert.ok(Array.isArray(data) && data.length > 0, 'data lists the problems');
  for (const item of data) {
    assert.deepEqual(Object.keys(item).sort(), ['loc', 'msg']);
    assert.ok(Array.isArray(item.loc) && item.loc.length > 0);
    assert.equal(typeof item.msg, 'string');
  }
  return data;
}

const locs = (items: { loc: (string | number)[] }[]) => items.map((i) => i.loc.join('.'));

describe('request bodies', () => {
  it('malformed JSON → 400 JSON decode error', async () => {
    const items = validation(
      await call('POST', '/device/exec', `{"driver":"echo","connection_args":{"password":"${SECRET}"`),
    );
    assert.deepEqual(items, [{ loc: ['body'], msg: 'JSON decode error' }]);
  });

  it('empty body with a JSON content type → 400', async () => {
    const items = validation(await call('POST', '/device/exec', '', { 'content-type': 'application/json' }));
    assert.deepEqual(locs(items), ['body']);
  });

  it('wrong content type → 415', async () => {
    envelope(
      await call('POST', '/device/exec', `password=${SECRET}`, { 'content-type': 'text/plain' }),
      415,
      /Unsupported Media Type/,
    );
    envelope(
      await call('POST', '/device/exec', `password=${SECRET}`, { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      /Unsupported Media Type/,
    );
  });

  it('port as a string is not coerced', async () => {
    const items = validation(await call('POST', '/device/exec', { ...base, connection_args: { ...conn, port: '22' } }));
    assert.deepEqual(locs(items), ['body.connection_args.port']);
    assert.match(items[0].msg, /integer/);
  });

  it('ttl of the wrong type', async () => {
    const items = validation(await call('POST', '/device/exec', { ...base, ttl: 'x' }));
    assert.deepEqual(locs(items), ['body.ttl']);
  });

  it('ttl out of range', async () => {
    const items = validation(await call('POST', '/device/exec', { ...base, ttl: 0 }));
    assert.deepEqual(locs(items), ['body.ttl']);
  });

  it('missing required fields are named', async () => {
    const items = validation(await call('POST', '/device/exec', { command: 'x' }));
    assert.deepEqual(locs(items).sort(), ['body.connection_args', 'body.driver']);
    assert.ok(items.every((i) => i.msg === 'Field required'));
  });

  it('missing connection_args.host', async () => {
    const items = validation(
      await call('POST', '/device/exec', { ...base, connection_args: { username: 'a', password: SECRET } }),
    );
    assert.deepEqual(items, [
      { loc: ['body', 'connection_args', 'host'], msg: "'host' in connection_args is required" },
    ]);
  });

  // The reference accepts these keys, so they are ignored with a warning (server.strict_requests
  // makes them 400s: tests/http/compat-netmiko.test.ts); a host of their own keeps them apart.
  it('unknown top-level field → ignored, listed in warnings', async () => {
    const r = await call('POST', '/device/exec', { ...base, connection_args: { ...conn, host: '10.0.9.1' }, bogus: 1 });
    assert.equal(r.status, 201);
    assert.deepEqual(r.body.warnings, [{ loc: ['body', 'bogus'], msg: 'Ignored: not a known request field' }]);
  });

  it('unknown connection_args field for the echo driver → ignored, listed in warnings, value never echoed', async () => {
    const r = await call('POST', '/device/exec', {
      ...base,
      connection_args: { ...conn, host: '10.0.9.2', secret_sauce: SECRET },
    });
    assert.equal(r.status, 201);
    assert.deepEqual(r.body.warnings, [
      { loc: ['body', 'connection_args', 'secret_sauce'], msg: 'Ignored: not a known echo connection argument' },
    ]);
    assert.ok(!JSON.stringify(r.body).includes(SECRET));
  });

  it('bulk device keys named like Object.prototype members are ignored like any unknown key', async () => {
    const r = await call('POST', '/device/bulk', {
      ...base,
      connection_args: conn,
      devices: [
        { host: '10.0.9.3', constructor: 'rack-1' },
        { host: '10.0.9.4', toString: 'x' },
      ],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.data.succeeded.length, 2);
    assert.deepEqual(
      r.body.warnings.map((w: { loc: unknown[] }) => w.loc),
      [
        ['body', 'devices', 0, 'constructor'],
        ['body', 'devices', 1, 'toString'],
      ],
    );
  });

  it('unknown driver_args field for the operation', async () => {
    const items = validation(await call('POST', '/device/exec', { ...base, driver_args: { exit_config_mode: true } }));
    assert.deepEqual(locs(items), ['body.driver_args.exit_config_mode']);
  });

  it('request field the driver does not declare', async () => {
    const items = validation(await call('POST', '/device/exec', { ...base, dry_run: true }));
    assert.deepEqual(items, [{ loc: ['body', 'dry_run'], msg: 'Not supported by driver echo' }]);
  });

  it('oversized body → 413', async () => {
    const data = envelope(
      await call('POST', '/device/exec', { ...base, command: 'x'.repeat(4096) }),
      413,
      'Request body too large',
    );
    assert.deepEqual(data, { limit: 2048 });
  });

  it('command and config both set', async () => {
    const items = validation(await call('POST', '/device/exec', { ...base, config: 'hostname x' }));
    assert.deepEqual(items, [{ loc: ['body'], msg: 'Either `config` or `command` must be set, but not both' }]);
  });

  it('neither command nor config', async () => {
    const items = validation(await call('POST', '/device/exec', { driver: 'echo', connection_args: conn }));
    assert.deepEqual(items, [{ loc: ['body'], msg: 'Either `config` or `command` must be set, but not both' }]);
  });

  it('empty command list', async () => {
    const items = validation(await call('POST', '/device/exec', { ...base, command: [] }));
    assert.deepEqual(locs(items), ['body.command']);
  });

  it('object payload without rendering, and rendering with a string payload', async () => {
    const a = validation(await call('POST', '/device/exec', { ...base, command: { vlan: 10 } }));
    assert.deepEqual(a, [
      { loc: ['body', 'rendering'], msg: '`rendering` should be set when command/config is a dict' },
    ]);
    const b = validation(await call('POST', '/device/exec', { ...base, rendering: { name: 'jinja2', template: 'x' } }));
    assert.deepEqual(b, [
      { loc: ['body', 'rendering'], msg: '`rendering` should be set when command/config is a dict' },
    ]);
  });

  it('unknown driver → 400 Unsupported driver', async () => {
    envelope(await call('POST', '/device/exec', { ...base, driver: 'nosuch' }), 400, 'Unsupported driver: nosuch');
    envelope(
      await call('POST', '/device/test', { driver: 'nosuch', connection_args: conn }),
      400,
      'Unsupported driver: nosuch',
    );
    const r = await call('POST', '/device/bulk', {
      driver: 'nosuch',
      connection_args: conn,
      devices: [{ host: '10.0.0.2' }],
      command: 'x',
    });
    envelope(r, 400, 'Unsupported driver: nosuch');
  });

  it('unknown renderer or parser inside a job → 404, before anything is queued', async () => {
    envelope(
      await call('POST', '/device/exec', { ...base, command: { a: 1 }, rendering: { name: 'nosuch', template: 'x' } }),
      404,
      'Renderer nosuch not found',
    );
    envelope(
      await call('POST', '/device/exec', { ...base, parsing: { name: 'nosuch', template: 'x' } }),
      404,
      'Parser nosuch not found',
    );
    const jobs = await call('GET', '/job?host=10.0.0.1');
    assert.equal(jobs.status, 200);
    assert.deepEqual(jobs.body.data, []);
  });

  it('bulk: devices missing and device of the wrong type', async () => {
    const a = validation(await call('POST', '/device/bulk', { driver: 'echo', command: 'x' }));
    assert.deepEqual(locs(a), ['body.devices']);
    const b = validation(await call('POST', '/device/bulk', { driver: 'echo', command: 'x', devices: ['10.0.0.1'] }));
    assert.deepEqual(locs(b), ['body.devices.0']);
  });
});

describe('template routes', () => {
  it('unknown template plugin → 404 (path name and body name)', async () => {
    envelope(await call('POST', '/template/render/nosuch', { template: 'x' }), 404, 'Renderer nosuch not found');
    envelope(
      await call('POST', '/template/parse/nosuch', { template: 'x', context: 'y' }),
      404,
      'Parser nosuch not found',
    );
    envelope(
      await call('POST', '/template/render', { name: 'nosuch', template: 'x' }),
      404,
      'Renderer nosuch not found',
    );
    envelope(await call('POST', '/template/parse', { name: 'nosuch', template: 'x' }), 404, 'Parser nosuch not found');
  });

  it('empty template plugin name → 400 naming the field', async () => {
    assert.deepEqual(validation(await call('POST', '/template/render', { template: 'x' })), [
      { loc: ['body', 'name'], msg: 'Renderer name is required' },
    ]);
    assert.deepEqual(validation(await call('POST', '/template/parse', { template: 'x' })), [
      { loc: ['body', 'name'], msg: 'Parser name is required' },
    ]);
  });

  it('render without template → 400', async () => {
    const items = validation(await call('POST', '/template/render/jinja2', { context: {} }));
    assert.deepEqual(locs(items), ['body.template']);
  });

  it('an invalid plugin name in the path → 400 on params', async () => {
    const items = validation(await call('POST', '/template/render/Bad-Name', { template: 'x' }));
    assert.deepEqual(locs(items), ['params.name']);
  });
});

describe('query strings', () => {
  it('GET /job?status=bogus → 400 listing the allowed values', async () => {
    const items = validation(await call('GET', '/job?status=bogus'));
    assert.deepEqual(locs(items), ['querystring.status']);
    assert.match(items[0].msg, /queued/);
  });

  it('GET /job?limit=-1 and limit=abc → 400', async () => {
    assert.deepEqual(locs(validation(await call('GET', '/job?limit=-1'))), ['querystring.limit']);
    assert.deepEqual(locs(validation(await call('GET', '/job?limit=abc'))), ['querystring.limit']);
  });

  it('unknown query parameter → 400', async () => {
    const items = validation(await call('GET', '/job?colour=red'));
    assert.deepEqual(items, [{ loc: ['querystring', 'colour'], msg: 'Extra inputs are not permitted' }]);
  });

  it('an empty query value counts as absent', async () => {
    const r = await call('GET', '/job?status=');
    assert.equal(r.status, 200);
    assert.ok(Array.isArray(r.body.data));
  });
});

describe('routes and methods', () => {
  it('unknown route → 404 envelope', async () => {
    const data = envelope(await call('GET', '/nosuch'), 404, 'Not Found');
    assert.equal(data, null);
  });

  it('wrong method → 405 with Allow', async () => {
    const a = await call('GET', '/device/exec');
    envelope(a, 405, 'Method Not Allowed');
    assert.equal(a.headers.get('allow'), 'POST');
    const b = await call('PUT', '/job');
    envelope(b, 405, 'Method Not Allowed');
    assert.deepEqual(b.headers.get('allow')?.split(', ').sort(), ['DELETE', 'GET']);
  });
});

describe('afterwards', () => {
  it('no secret in any error response or log line', () => {
    assert.ok(bodies.length > 30, 'the cases above ran');
    for (const b of bodies) assert.ok(!b.includes(SECRET), `response leaks the secret: ${b}`);
    assert.ok(s.logs.length > 0, 'logs were captured');
    for (const line of s.logs) assert.ok(!line.includes(SECRET), `log line leaks the secret: ${line}`);
  });

  it('the server keeps serving', async () => {
    const h = await s.call('GET', '/health');
    assert.equal(h.status, 200);
    assert.equal(h.body.code, 200);
    const r = await s.call('POST', '/device/exec', base);
    assert.equal(r.status, 201);
  });
});
