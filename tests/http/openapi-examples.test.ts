/**
 * The OpenAPI document teaches: every operation has tags, a description and response schemas for
 * its statuses (201 for exec and bulk), every request body has realistic examples (one per driver
 * for exec), and every documented example is accepted by the server — each is sent as documented,
 * with only device addresses moved onto unused loopback addresses so no test leaves 127.0.0.0/8.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Replaces every `host` value by a loopback address where nothing listens (device I/O fails fast). */
function onLoopback(value: unknown, next: () => string): unknown {
  if (Array.isArray(value)) return value.map((v) => onLoopback(v, next));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === 'host' && typeof v === 'string' ? next() : onLoopback(v, next)]),
  );
}

describe('OpenAPI responses and examples', () => {
  let s: TestServer;
  let doc: any;
  before(async () => {
    s = await startTestServer();
    doc = await (await fetch(`${s.url}/openapi.json`)).json();
  });
  after(async () => s.stop());

  it('every operation has tags, a description and response schemas; exec and bulk document 201', () => {
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        assert.ok(op.tags?.length, `${where}: tags`);
        assert.ok(op.description, `${where}: description`);
        const statuses = Object.keys(op.responses ?? {});
        assert.ok(
          statuses.some((c) => /^2/.test(c)),
          `${where}: a success response`,
        );
        for (const c of ['400', '403', '500']) assert.ok(statuses.includes(c), `${where}: ${c} documented`);
        for (const [code, r] of Object.entries<any>(op.responses)) {
          // JSON everywhere, except the event stream's success answer (Server-Sent Events).
          const type = where === 'GET /events' && code === '200' ? 'text/event-stream' : 'application/json';
          assert.ok(r.content?.[type]?.schema, `${where} ${code}: schema`);
        }
        assert.ok(!statuses.includes('default'), `${where}: no "Default Response"`);
      }
    }
    for (const p of ['/device/exec', '/device/bulk']) {
      assert.ok(doc.paths[p].post.responses['201'], `${p} answers 201`);
      assert.ok(!doc.paths[p].post.responses['200'], `${p} does not claim 200`);
    }
    assert.ok(doc.tags.length >= 4);
  });

  it('exec documents one example per driver', () => {
    const examples = doc.paths['/device/exec'].post.requestBody.content['application/json'].examples;
    const drivers = new Set(Object.values<any>(examples).map((e) => e.value.driver));
    for (const d of ['netmiko', 'pyeapi', 'paramiko']) assert.ok(drivers.has(d), `example for ${d}`);
  });

  it('every documented request example is accepted by the server', async () => {
    let n = 0;
    const next = () => `127.0.6.${++n}`;
    let sent = 0;
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        if (!op.requestBody) continue;
        const media = op.requestBody.content['application/json'];
        const examples = media.examples
          ? Object.entries<any>(media.examples).map(([k, e]) => [k, e.value])
          : media.example
            ? [['example', media.example]]
            : [];
        assert.ok(examples.length, `${method.toUpperCase()} ${path} has an example`);
        const url = path.replace('{name}', path.includes('render') ? 'jinja2' : 'ttp');
        for (const [name, value] of examples) {
          const r = await s.call(method.toUpperCase(), url, onLoopback(value, next));
          const where = `${method.toUpperCase()} ${path} example ${name}: ${JSON.stringify(r.body).slice(0, 300)}`;
          assert.ok(r.status === 200 || r.status === 201, where);
          assert.notEqual(r.body.code, -1, where);
          assert.equal(r.body.warnings, undefined, `${where}: the example uses no ignored keys`);
          if (path === '/device/test') assert.equal(typeof r.body.data.success, 'boolean');
          sent++;
        }
      }
    }
    assert.ok(sent >= 10, `only ${sent} examples`);
  });
});
