/**
 * Property-based fuzz of every route (fast-check, fixed seed): bodies and queries built from the
 * route shapes with hostile values mixed in (wrong types, huge/deep values, template and regex
 * bombs, odd names). For each request: no 5xx, no secret echoed (device password, API key,
 * secret_key), and the server keeps serving. A few thousand requests, bounded in time.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startTestServer, TEST_KEY, TEST_SECRET_KEY, type TestServer } from '../helpers/server.ts';

const PASSWORD = 'fuzz-device-pass-8c1e';
const SEED = 20261204;
const RUNS = 2500;

let s: TestServer;
before(async () => {
  s = await startTestServer({
    worker: { pinned_per_node: 100_000, fifo_concurrency: 256 },
    templates: { sandbox: { timeout_ms: 500, max_result_bytes: 1 << 20 } },
  });
});
after(async () => {
  await s?.stop();
});

const weird = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '../../etc/passwd',
    'file:///etc',
    'file://.',
    'http://169.254.169.254/',
    'ftp://x',
    '%s%n',
    '{{7*7}}',
    '${X}',
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant('x'.repeat(20_000)),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
);
const templates = fc.constantFrom(
  '{{ x }}',
  '{% for i in range(100000) %}{% for j in range(40) %}x{% endfor %}{% endfor %}',
  "{{ 'a' * 200000000 }}",
  'Value X ((a+)+b)\n\nStart\n  ^${X} -> Record\n',
  "$length($pad('', 300000000))",
  `$match('${'a'.repeat(30)}!', /(a+)+b/)`,
  '<group name="g">{{ x }}</group>',
  '{% include "/etc/passwd" %}',
  '{{ x | map(x) | list }}',
);
const connection = fc.record(
  {
    host: fc.oneof(fc.constantFrom('127.0.0.9', 'fuzz-host', ''), weird),
    port: fc.oneof(fc.constant(9), weird),
    username: fc.oneof(fc.constant('u'), weird),
    password: fc.constant(PASSWORD),
    device_type: fc.oneof(fc.constantFrom('cisco_ios', 'linux', 'nope'), weird),
    key_file: weird,
    timeout: fc.oneof(fc.constant(1), weird),
  },
  { requiredKeys: ['password'] },
);
const execBody = fc.record(
  {
    driver: fc.oneof(fc.constantFrom('echo', 'netmiko', 'paramiko', 'pyeapi', 'nope'), weird),
    connection_args: fc.oneof(connection, weird),
    command: fc.oneof(fc.constantFrom('show clock', 'sleep 5', 'fail x'), weird),
    config: fc.oneof(fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), weird),
    driver_args: fc.oneof(
      fc.record({
        expect_string: fc.oneof(fc.constantFrom('^(\\s*\\S+\\s*)*XYZ$', '(?=a)', '('), weird),
        read_timeout: fc.constant(1),
      }),
      weird,
    ),
    parsing: fc.oneof(
      fc.record({ name: fc.constantFrom('textfsm', 'jsonata', 'ttp', 'nope'), template: templates }),
      weird,
    ),
    rendering: fc.oneof(
      fc.record({
        name: fc.constantFrom('jinja2', 'nope'),
        template: templates,
        context: fc.dictionary(fc.string({ maxLength: 5 }), weird),
      }),
      weird,
    ),
    webhook: fc.oneof(
      fc.record({
        url: fc.constantFrom('http://127.0.0.1:9/', 'http://169.254.169.254/', 'gopher://x'),
        auth: fc.constant(['u', PASSWORD]),
      }),
      weird,
    ),
    queue_strategy: fc.oneof(fc.constantFrom('fifo', 'pinned'), weird),
    execution_timeout: fc.oneof(fc.constant(1), weird),
    ttl: weird,
  },
  { requiredKeys: [] },
);
const deep = fc.integer({ min: 1, max: 5000 }).map((n) => '{"a":' + '['.repeat(n) + ']'.repeat(n) + '}');
const query = fc.dictionary(
  fc.constantFrom('id', 'queue', 'status', 'node', 'host', 'limit', 'offset', 'name', 'x', 'X-API-KEY'),
  fc.string({ maxLength: 20 }),
  { maxKeys: 4 },
);
const toQuery = (q: Record<string, string>) => (Object.keys(q).length ? '?' + new URLSearchParams(q).toString() : '');

const request = fc.oneof(
  execBody.map((b) => ['POST', '/device/exec', b] as const),
  fc
    .record({
      devices: fc.oneof(fc.array(connection, { maxLength: 3 }), weird),
      driver: fc.constantFrom('echo', 'netmiko'),
      command: fc.constant('show clock'),
    })
    .map((b) => ['POST', '/device/bulk', b] as const),
  execBody.map((b) => ['POST', '/device/test', b] as const),
  fc
    .record({
      name: fc.oneof(fc.constantFrom('jinja2', 'nope'), weird),
      template: fc.oneof(templates, weird),
      context: fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), weird), weird),
      args: weird,
    })
    .map((b) => ['POST', '/template/render', b] as const),
  fc
    .record({ template: fc.oneof(templates, weird), context: fc.oneof(fc.string({ maxLength: 200 }), weird) })
    .chain((b) =>
      fc
        .constantFrom('textfsm', 'ttp', 'jsonata', 'nope', 'BAD!')
        .map((n) => ['POST', `/template/parse/${n}`, b] as const),
    ),
  fc
    .record({ template: fc.oneof(templates, weird), context: weird })
    .map((b) => ['POST', '/template/render/jinja2', b] as const),
  deep.map((b) => ['POST', fc.sample(fc.constantFrom('/device/exec', '/template/parse'), 1)[0]!, b] as const),
  weird.map((b) => ['POST', '/device/exec', b] as const),
  query.chain((q) =>
    fc
      .constantFrom('GET /job', 'DELETE /job', 'GET /worker', 'DELETE /worker', 'GET /health', 'GET /nope', 'PUT /job')
      .map((mp) => [mp.split(' ')[0]!, mp.split(' ')[1]! + toQuery(q), undefined] as const),
  ),
);

describe('fuzz every route', () => {
  it(`${RUNS} requests: no 5xx, no secret echoed, still serving`, { timeout: 170_000 }, async () => {
    const secrets = [PASSWORD, TEST_KEY, TEST_SECRET_KEY];
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async ([method, path, body]) => {
        const r = await s.call(method, path, body);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        assert.ok(r.status < 500, `${method} ${path} → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
        const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
        for (const secret of secrets) assert.ok(!text.includes(secret), `${method} ${path} echoed a secret`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    const health = await s.call('GET', '/health');
    assert.equal(health.status, 200);
    const jobs = await s.call('GET', '/job?limit=200');
    assert.ok(!JSON.stringify(jobs.body).includes(PASSWORD), 'job listing holds no password');
    assert.ok(!s.logs.join('').includes(PASSWORD), 'logs hold no password');
    assert.ok(statuses.size > 3, `statuses seen: ${JSON.stringify([...statuses])}`);
  });
});
