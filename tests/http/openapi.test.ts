/** The OpenAPI document lists every route of the reference API (plus ours) with its schemas; /docs serves Swagger UI. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** The reference routes (the template routes with and without `{name}`). */
const BODY_ROUTES: [string, string, string[]][] = [
  ['post', '/device/exec', ['driver', 'connection_args']],
  ['post', '/device/bulk', ['driver', 'devices']],
  ['post', '/device/test', ['driver', 'connection_args']],
  ['post', '/template/render', ['template']],
  ['post', '/template/render/{name}', ['template']],
  ['post', '/template/parse', []],
  ['post', '/template/parse/{name}', []],
];
const QUERY_ROUTES: [string, string, string[]][] = [
  ['get', '/job', ['id', 'batch', 'queue', 'status', 'node', 'host']],
  ['delete', '/job', ['id', 'queue', 'host']],
  ['get', '/worker', ['queue', 'node', 'host']],
  ['delete', '/worker', ['name', 'queue', 'node', 'host']],
  ['get', '/health', []],
  ['delete', '/known-host', ['host', 'port']],
  ['get', '/events', ['job', 'batch', 'host', 'queue', 'last_event_id']],
];
/** Routes with path parameters only. */
const PATH_ROUTES: [string, string][] = [['get', '/batch/{id}']];

/** Operations routes (metrics, probes, stats, webhook delivery log). */
const OPS_ROUTES: [string, string][] = [
  ['get', '/metrics'],
  ['get', '/livez'],
  ['get', '/readyz'],
  ['get', '/system/stats'],
  ['get', '/webhook/deliveries'],
  ['post', '/webhook/deliveries/{id}/retry'],
];

describe('/openapi.json', () => {
  let s: TestServer;
  let doc: any;
  before(async () => {
    s = await startTestServer();
    const r = await fetch(`${s.url}/openapi.json`);
    assert.equal(r.status, 200);
    assert.match(String(r.headers.get('content-type')), /application\/json/);
    doc = await r.json();
  });
  after(async () => {
    await s.stop();
  });

  it('is an OpenAPI 3 document with the API key security scheme', () => {
    assert.match(doc.openapi, /^3\.\d+\.\d+$/);
    assert.equal(doc.info.title, 'NetPulse API');
    assert.equal(typeof doc.info.version, 'string');
    assert.deepEqual(doc.components.securitySchemes.apiKey, { type: 'apiKey', in: 'header', name: 'X-API-KEY' });
    assert.deepEqual(doc.security, [{ apiKey: [] }]);
  });

  it('lists exactly the API routes (docs routes hidden)', () => {
    const listed = Object.entries<Record<string, unknown>>(doc.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))
      .sort();
    const expected = [...BODY_ROUTES, ...QUERY_ROUTES, ...PATH_ROUTES, ...OPS_ROUTES]
      .map(([m, p]) => `${m} ${p}`)
      .sort();
    assert.deepEqual(listed, expected);
  });

  for (const [method, path, required] of BODY_ROUTES) {
    it(`${method.toUpperCase()} ${path} declares its JSON request body`, () => {
      const op = doc.paths[path]?.[method];
      assert.ok(op, 'route listed');
      const schema = op.requestBody?.content?.['application/json']?.schema;
      assert.ok(schema, 'application/json body schema');
      assert.equal(schema.type, 'object');
      assert.equal(schema.additionalProperties, false);
      assert.ok(Object.keys(schema.properties).length > 0);
      assert.deepEqual([...(schema.required ?? [])].sort(), [...required].sort());
      if (path.includes('{name}'))
        assert.deepEqual(
          op.parameters.map((p: any) => `${p.in}:${p.name}:${p.required}`),
          ['path:name:true'],
        );
    });
  }

  it('the exec body documents the job fields', () => {
    const props = doc.paths['/device/exec'].post.requestBody.content['application/json'].schema.properties;
    for (const k of [
      'driver',
      'connection_args',
      'driver_args',
      'command',
      'config',
      'rendering',
      'parsing',
      'queue_strategy',
      'ttl',
      'execution_timeout',
      'result_ttl',
      'webhook',
    ]) {
      assert.ok(k in props, `exec body has ${k}`);
    }
    assert.equal(props.ttl.default, 300);
    assert.equal(
      doc.paths['/device/bulk'].post.requestBody.content['application/json'].schema.properties.ttl.default,
      600,
    );
  });

  for (const [method, path, params] of QUERY_ROUTES) {
    it(`${method.toUpperCase()} ${path} declares its query parameters`, () => {
      const op = doc.paths[path]?.[method];
      assert.ok(op, 'route listed');
      assert.equal(op.requestBody, undefined);
      const names = (op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name);
      for (const p of params) assert.ok(names.includes(p), `${path} has query ${p}`);
    });
  }

  it('GET /events documents its event-stream answer and GET /batch/{id} its counts', () => {
    const ev = doc.paths['/events'].get.responses['200'].content['text/event-stream'].schema;
    assert.deepEqual(ev.properties.type.enum, [
      'job.queued',
      'job.started',
      'job.finished',
      'job.failed',
      'job.canceled',
    ]);
    assert.ok(ev.properties.job.properties.batch_id);
    const b = doc.paths['/batch/{id}'].get.responses['200'].content['application/json'].schema;
    assert.deepEqual(Object.keys(b.properties.data.properties.counts.properties), [
      'queued',
      'started',
      'finished',
      'failed',
      'canceled',
    ]);
  });

  it('GET /job status lists the job states', () => {
    const status = doc.paths['/job'].get.parameters.find((p: any) => p.name === 'status');
    assert.deepEqual(status.schema.enum, ['queued', 'started', 'finished', 'failed', 'canceled']);
  });
});

describe('/docs', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.stop();
  });

  it('serves the Swagger UI page without a key', async () => {
    const r = await fetch(`${s.url}/docs`);
    assert.equal(r.status, 200);
    assert.match(String(r.headers.get('content-type')), /text\/html/);
    const html = await r.text();
    assert.match(html, /<html/i);
    assert.match(html, /swagger/i);
  });

  it('serves its static assets without a key', async () => {
    const r = await fetch(`${s.url}/docs/static/swagger-ui.css`);
    assert.equal(r.status, 200);
    await r.arrayBuffer();
  });
});
