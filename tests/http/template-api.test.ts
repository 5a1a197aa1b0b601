/**
 * /template/render and /template/parse against a real server (the reference routes, with template sources confined):
 * engine names from the path or the body, inline templates, `file://` confined to
 * `templates.dirs`, `http(s)://` only when `templates.remote_enabled` (timeout, size limit, 2xx),
 * no `ftp://`, the ntc index via `templates.ntc_dir`, TTP structures and JSONata.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { envelope } from '../helpers/errors.ts';

const OUTSIDE_SECRET = 'outside-secret-do-not-leak-4711';

let root: string;
let tplDir: string;
let outsideDir: string;
let ntcDir: string;
/** dirs configured, remote sources off. */
let local: TestServer;
/** no dirs, remote sources on (1 s timeout, 64-byte limit). */
let remote: TestServer;
let http: Server;
let httpBase: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'np-tpl-api-'));
  tplDir = join(root, 'templates');
  outsideDir = join(root, 'outside');
  ntcDir = join(root, 'ntc');
  mkdirSync(join(tplDir, 'sub'), { recursive: true });
  mkdirSync(outsideDir);
  mkdirSync(ntcDir);
  writeFileSync(join(tplDir, 'hello.j2'), 'hello {{ name }}');
  writeFileSync(join(tplDir, 'sub', 'iface.j2'), 'interface {{ ifname }}');
  writeFileSync(join(tplDir, 'ver.textfsm'), 'Value VERSION (\\S+)\n\nStart\n  ^Version ${VERSION} -> Record\n');
  writeFileSync(join(outsideDir, 'secret.j2'), OUTSIDE_SECRET);
  symlinkSync(join(outsideDir, 'secret.j2'), join(tplDir, 'link-out.j2'));
  symlinkSync('/etc/passwd', join(tplDir, 'passwd.j2'));
  // A minimal ntc-templates directory: the CliTable index and one template.
  writeFileSync(
    join(ntcDir, 'index'),
    'Template, Hostname, Platform, Command\n\ncisco_ios_show_clock.textfsm, .*, cisco_ios, sh[[ow]] clo[[ck]]\n',
  );
  writeFileSync(
    join(ntcDir, 'cisco_ios_show_clock.textfsm'),
    'Value TIME (\\d+:\\d+:\\d+)\nValue ZONE (\\S+)\n\nStart\n  ^\\*?${TIME}\\.\\d+\\s+${ZONE} -> Record\n',
  );

  http = createServer((req, res) => {
    if (req.url === '/t.j2') return void res.end('remote {{ x }}');
    if (req.url === '/big.j2') return void res.end('x'.repeat(1000));
    if (req.url === '/chunked-big.j2') {
      // No content-length: the limit must hold while streaming.
      res.write('y'.repeat(50));
      res.write('y'.repeat(50));
      return void res.end('y'.repeat(50));
    }
    if (req.url === '/missing.j2') {
      res.statusCode = 404;
      return void res.end('not here');
    }
    if (req.url === '/error.j2') {
      res.statusCode = 500;
      return void res.end('boom');
    }
    // /slow.j2: never answers.
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  httpBase = `http://127.0.0.1:${(http.address() as { port: number }).port}`;

  local = await startTestServer({ templates: { dirs: [tplDir], ntc_dir: ntcDir, remote_enabled: false } });
  remote = await startTestServer({
    templates: {
      dirs: [],
      remote_enabled: true,
      remote_timeout: 1,
      remote_max_bytes: 64,
      remote_allow_hosts: ['127.0.0.1'],
    },
  });
});

after(async () => {
  await local?.stop();
  await remote?.stop();
  http.closeAllConnections();
  await new Promise<void>((r) => http.close(() => r()));
  rmSync(root, { recursive: true, force: true });
});

function okData(r: { status: number; body: any }): any {
  assert.equal(r.status, 200, `expected 200, got ${r.status}: ${JSON.stringify(r.body)}`);
  assert.equal(r.body.code, 200);
  assert.equal(r.body.message, 'success');
  return r.body.data;
}

/** A rejected template source: 400, a message, never the file contents. */
function sourceRejected(r: { status: number; body: any }, message: RegExp): void {
  envelope(r, 400, message);
  const text = JSON.stringify(r.body);
  assert.ok(!text.includes(OUTSIDE_SECRET), 'outside file contents are not returned');
  assert.ok(!text.includes('root:x:0:0'), '/etc/passwd contents are not returned');
}

describe('render: engine name', () => {
  it('name in the body', async () => {
    assert.equal(
      okData(
        await local.call('POST', '/template/render', {
          name: 'jinja2',
          template: 'hi {{ who }}',
          context: { who: 'you' },
        }),
      ),
      'hi you',
    );
  });
  it('name in the path', async () => {
    assert.equal(
      okData(await local.call('POST', '/template/render/jinja2', { template: '{{ a + b }}', context: { a: 1, b: 2 } })),
      '3',
    );
  });
  it('the path wins over the body', async () => {
    assert.equal(
      okData(
        await local.call('POST', '/template/render/jinja2', {
          name: 'nosuch',
          template: 'x={{ x }}',
          context: { x: 7 },
        }),
      ),
      'x=7',
    );
    envelope(
      await local.call('POST', '/template/render/nosuch', { name: 'jinja2', template: 'x' }),
      404,
      'Renderer nosuch not found',
    );
  });
  it('no context renders undefined variables as empty text', async () => {
    assert.equal(okData(await local.call('POST', '/template/render/jinja2', { template: '[{{ missing }}]' })), '[]');
  });
  it('empty or missing name → 400 Renderer name is required', async () => {
    for (const body of [{ name: '', template: 'x' }, { template: 'x' }]) {
      const data = envelope(await local.call('POST', '/template/render', body), 400, 'Validation Error');
      assert.deepEqual(data, [{ loc: ['body', 'name'], msg: 'Renderer name is required' }]);
    }
  });
  it('unknown name → 404 Renderer foo not found', async () => {
    envelope(
      await local.call('POST', '/template/render', { name: 'foo', template: 'x' }),
      404,
      'Renderer foo not found',
    );
    envelope(await local.call('POST', '/template/render/foo', { template: 'x' }), 404, 'Renderer foo not found');
  });
  it('a parser name is not a renderer', async () => {
    envelope(
      await local.call('POST', '/template/render/textfsm', { template: 'x' }),
      404,
      'Renderer textfsm not found',
    );
  });
  it('template is required', async () => {
    const data = envelope(
      await local.call('POST', '/template/render/jinja2', { context: {} }),
      400,
      'Validation Error',
    );
    assert.ok(data.some((i: any) => /template/.test(JSON.stringify(i))));
  });
  it('a template syntax error → 400, the server keeps serving', async () => {
    const r = await local.call('POST', '/template/render/jinja2', { template: '{% if %}' });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.code, -1);
    assert.equal(
      okData(await local.call('POST', '/template/render/jinja2', { template: 'still {{ "up" }}' })),
      'still up',
    );
  });
});

describe('render: jinja2 args', () => {
  const tpl = '{% for i in items %}\n{{ i }}\n{% endfor %}\n';
  it('without args the block newlines stay', async () => {
    assert.equal(
      okData(await local.call('POST', '/template/render/jinja2', { template: tpl, context: { items: [1, 2] } })),
      '\n1\n\n2\n',
    );
  });
  it('only trim_blocks is enough (other options keep their defaults)', async () => {
    assert.equal(
      okData(
        await local.call('POST', '/template/render/jinja2', {
          template: tpl,
          context: { items: [1, 2] },
          args: { trim_blocks: true },
        }),
      ),
      '1\n2\n',
    );
  });
  it('custom delimiters alone', async () => {
    const out = okData(
      await local.call('POST', '/template/render/jinja2', {
        template: 'v=[[ v ]] {{ raw }}',
        context: { v: 5 },
        args: { variable_start_string: '[[', variable_end_string: ']]' },
      }),
    );
    assert.equal(out, 'v=5 {{ raw }}');
  });
  it('args: {} and args: null behave as no args', async () => {
    for (const args of [{}, null])
      assert.equal(
        okData(await local.call('POST', '/template/render/jinja2', { template: 'a{{ x }}', context: { x: 1 }, args })),
        'a1',
      );
  });
});

describe('file:// sources inside templates.dirs', () => {
  it('absolute path inside the dir', async () => {
    assert.equal(
      okData(
        await local.call('POST', '/template/render/jinja2', {
          template: `file://${join(tplDir, 'hello.j2')}`,
          context: { name: 'abs' },
        }),
      ),
      'hello abs',
    );
  });
  it('relative path is looked up in the dirs (also a sub-directory)', async () => {
    assert.equal(
      okData(
        await local.call('POST', '/template/render/jinja2', { template: 'file://hello.j2', context: { name: 'rel' } }),
      ),
      'hello rel',
    );
    assert.equal(
      okData(
        await local.call('POST', '/template/render/jinja2', {
          template: 'file://sub/iface.j2',
          context: { ifname: 'eth0' },
        }),
      ),
      'interface eth0',
    );
  });
  it('the prefix is case-insensitive', async () => {
    assert.equal(
      okData(
        await local.call('POST', '/template/render/jinja2', { template: 'FILE://hello.j2', context: { name: 'up' } }),
      ),
      'hello up',
    );
  });
  it('a parser template from a file', async () => {
    assert.deepEqual(
      okData(
        await local.call('POST', '/template/parse/textfsm', {
          template: 'file://ver.textfsm',
          context: 'Version 15.2\nVersion 16.1\n',
        }),
      ),
      [{ VERSION: '15.2' }, { VERSION: '16.1' }],
    );
  });
  it('file://../../etc/passwd is rejected', async () => {
    sourceRejected(
      await local.call('POST', '/template/render/jinja2', { template: 'file://../../etc/passwd' }),
      /not found in the configured template directories/,
    );
    sourceRejected(
      await local.call('POST', '/template/render/jinja2', { template: 'file://sub/../../outside/secret.j2' }),
      /not found in the configured template directories/,
    );
  });
  it('absolute paths outside the dirs are rejected', async () => {
    sourceRejected(
      await local.call('POST', '/template/render/jinja2', { template: 'file:///etc/passwd' }),
      /not found in the configured template directories/,
    );
    sourceRejected(
      await local.call('POST', '/template/render/jinja2', { template: `file://${join(outsideDir, 'secret.j2')}` }),
      /not found in the configured template directories/,
    );
    sourceRejected(
      await local.call('POST', '/template/parse/textfsm', { template: 'file:///etc/passwd', context: 'x' }),
      /not found in the configured template directories/,
    );
  });
  it('a symlink inside the dir pointing outside is rejected', async () => {
    sourceRejected(
      await local.call('POST', '/template/render/jinja2', { template: 'file://link-out.j2' }),
      /not found in the configured template directories/,
    );
    sourceRejected(
      await local.call('POST', '/template/render/jinja2', { template: `file://${join(tplDir, 'passwd.j2')}` }),
      /not found in the configured template directories/,
    );
  });
  it('a directory prefix is not a parent (templates-evil next to templates)', async () => {
    const evil = `${tplDir}-evil`;
    mkdirSync(evil);
    writeFileSync(join(evil, 'x.j2'), OUTSIDE_SECRET);
    sourceRejected(
      await local.call('POST', '/template/render/jinja2', { template: `file://${join(evil, 'x.j2')}` }),
      /not found in the configured template directories/,
    );
  });
  it('a missing file → 400 not found', async () => {
    sourceRejected(await local.call('POST', '/template/render/jinja2', { template: 'file://nope.j2' }), /not found/);
  });
  it('no templates.dirs configured → 400 naming templates.dirs', async () => {
    sourceRejected(
      await remote.call('POST', '/template/render/jinja2', { template: 'file:///etc/passwd' }),
      /templates\.dirs/,
    );
    sourceRejected(
      await remote.call('POST', '/template/render/jinja2', { template: 'file://hello.j2' }),
      /templates\.dirs/,
    );
  });
});

describe('http(s):// sources', () => {
  it('rejected when templates.remote_enabled is false (nothing fetched)', async () => {
    let hits = 0;
    const counter = createServer((_req, res) => {
      hits++;
      res.end('counted');
    });
    await new Promise<void>((r) => counter.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(counter.address() as { port: number }).port}/t.j2`;
      sourceRejected(await local.call('POST', '/template/render/jinja2', { template: url }), /remote_enabled/);
      sourceRejected(
        await local.call('POST', '/template/render/jinja2', { template: `${httpBase}/t.j2` }),
        /remote_enabled/,
      );
      assert.equal(hits, 0, 'the URL was never requested');
    } finally {
      counter.closeAllConnections();
      await new Promise<void>((r) => counter.close(() => r()));
    }
  });
  it('fetched when enabled', async () => {
    assert.equal(
      okData(
        await remote.call('POST', '/template/render/jinja2', { template: `${httpBase}/t.j2`, context: { x: 'ok' } }),
      ),
      'remote ok',
    );
    assert.equal(
      okData(
        await remote.call('POST', '/template/render/jinja2', {
          template: `HTTP://127.0.0.1:${new URL(httpBase).port}/t.j2`,
          context: { x: 'up' },
        }),
      ),
      'remote up',
    );
  });
  it('a server that never answers fails within remote_timeout', async () => {
    const t0 = Date.now();
    sourceRejected(
      await remote.call('POST', '/template/render/jinja2', { template: `${httpBase}/slow.j2` }),
      /timed out after 1 s/,
    );
    const took = Date.now() - t0;
    assert.ok(took >= 900 && took < 4000, `took ${took} ms`);
  });
  it('a body over remote_max_bytes fails (declared and streamed)', async () => {
    sourceRejected(
      await remote.call('POST', '/template/render/jinja2', { template: `${httpBase}/big.j2` }),
      /remote_max_bytes/,
    );
    sourceRejected(
      await remote.call('POST', '/template/render/jinja2', { template: `${httpBase}/chunked-big.j2` }),
      /remote_max_bytes/,
    );
  });
  it('non-2xx fails', async () => {
    sourceRejected(
      await remote.call('POST', '/template/render/jinja2', { template: `${httpBase}/missing.j2` }),
      /HTTP 404/,
    );
    sourceRejected(
      await remote.call('POST', '/template/render/jinja2', { template: `${httpBase}/error.j2` }),
      /HTTP 500/,
    );
  });
  it('ftp:// is rejected', async () => {
    sourceRejected(await remote.call('POST', '/template/render/jinja2', { template: 'ftp://127.0.0.1/t.j2' }), /ftp/);
    sourceRejected(
      await local.call('POST', '/template/parse/textfsm', { template: 'FTP://127.0.0.1/t', context: 'x' }),
      /ftp/,
    );
  });
});

describe('parse: engine name', () => {
  const fsm = 'Value NAME (\\S+)\n\nStart\n  ^name ${NAME} -> Record\n';
  it('name in the body and in the path', async () => {
    assert.deepEqual(
      okData(
        await local.call('POST', '/template/parse', { name: 'textfsm', template: fsm, context: 'name a\nname b\n' }),
      ),
      [{ NAME: 'a' }, { NAME: 'b' }],
    );
    assert.deepEqual(
      okData(await local.call('POST', '/template/parse/textfsm', { template: fsm, context: 'name c\n' })),
      [{ NAME: 'c' }],
    );
  });
  it('the path wins over the body', async () => {
    assert.deepEqual(
      okData(await local.call('POST', '/template/parse/textfsm', { name: 'ttp', template: fsm, context: 'name d\n' })),
      [{ NAME: 'd' }],
    );
    envelope(
      await local.call('POST', '/template/parse/nosuch', { name: 'textfsm', template: fsm, context: 'x' }),
      404,
      'Parser nosuch not found',
    );
  });
  it('empty name → 400 Parser name is required', async () => {
    for (const body of [
      { name: '', template: fsm, context: 'x' },
      { template: fsm, context: 'x' },
    ]) {
      const data = envelope(await local.call('POST', '/template/parse', body), 400, 'Validation Error');
      assert.deepEqual(data, [{ loc: ['body', 'name'], msg: 'Parser name is required' }]);
    }
  });
  it('unknown name → 404 Parser foo not found', async () => {
    envelope(
      await local.call('POST', '/template/parse', { name: 'foo', template: 'x', context: 'x' }),
      404,
      'Parser foo not found',
    );
    envelope(
      await local.call('POST', '/template/parse/foo', { template: 'x', context: 'x' }),
      404,
      'Parser foo not found',
    );
    envelope(
      await local.call('POST', '/template/parse/jinja2', { template: 'x', context: 'x' }),
      404,
      'Parser jinja2 not found',
    );
  });
  it('a broken TextFSM template → 400', async () => {
    const r = await local.call('POST', '/template/parse/textfsm', {
      template: 'Value X (\\S+\n\nStart\n  ^${X}\n',
      context: 'x',
    });
    envelope(r, 400);
  });
});

describe('parse: textfsm with the ntc index (templates.ntc_dir)', () => {
  const text = '*10:25:43.123 UTC Mon Mar 1 2025\n';
  it('looks the template up by platform and abbreviated command; keys are lowercase', async () => {
    for (const command of ['show clock', 'sh clo', 'sho cloc']) {
      const data = okData(
        await local.call('POST', '/template/parse/textfsm', {
          template: '',
          use_ntc_template: true,
          ntc_template_args: { platform: 'cisco_ios', command },
          context: text,
        }),
      );
      assert.deepEqual(data, [{ time: '10:25:43', zone: 'UTC' }], command);
    }
  });
  it('no matching index row → 400 (also a command shorter than the index allows)', async () => {
    envelope(
      await local.call('POST', '/template/parse/textfsm', {
        template: '',
        use_ntc_template: true,
        ntc_template_args: { platform: 'cisco_ios', command: 'sh cl' },
        context: text,
      }),
      400,
      /sh cl/,
    );
    envelope(
      await local.call('POST', '/template/parse/textfsm', {
        template: '',
        use_ntc_template: true,
        ntc_template_args: { platform: 'juniper_junos', command: 'show clock' },
        context: text,
      }),
      400,
      /juniper_junos/,
    );
  });
  it('missing platform/command → 400', async () => {
    envelope(
      await local.call('POST', '/template/parse/textfsm', { template: '', use_ntc_template: true, context: text }),
      400,
      /ntc_template_args/,
    );
  });
  it('no ntc_dir configured → 400 naming templates.ntc_dir', async () => {
    envelope(
      await remote.call('POST', '/template/parse/textfsm', {
        template: '',
        use_ntc_template: true,
        ntc_template_args: { platform: 'cisco_ios', command: 'show clock' },
        context: text,
      }),
      400,
      /templates\.ntc_dir/,
    );
  });
});

describe('parse: ttp inline', () => {
  const template = 'interface {{ interface }}\n description {{ description | ORPHRASE }}';
  const text = 'interface Gi1\n description uplink one\ninterface Gi2\n description to core\n';
  const rows = [
    { interface: 'Gi1', description: 'uplink one' },
    { interface: 'Gi2', description: 'to core' },
  ];
  it('default structure is dictionary', async () => {
    assert.deepEqual(okData(await local.call('POST', '/template/parse/ttp', { template, context: text })), {
      _root_template_: [rows],
    });
  });
  it('structure: dictionary', async () => {
    assert.deepEqual(
      okData(await local.call('POST', '/template/parse/ttp', { template, context: text, structure: 'dictionary' })),
      { _root_template_: [rows] },
    );
  });
  it('structure: list', async () => {
    assert.deepEqual(
      okData(await local.call('POST', '/template/parse/ttp', { template, context: text, structure: 'list' })),
      [[rows]],
    );
  });
  it('an invalid structure → 400', async () => {
    envelope(
      await local.call('POST', '/template/parse/ttp', { template, context: text, structure: 'tree' }),
      400,
      'Validation Error',
    );
  });
  it('an empty template → 400', async () => {
    envelope(
      await local.call('POST', '/template/parse/ttp', { template: '', context: text }),
      400,
      /must not be empty/,
    );
  });
});

describe('parse: jsonata', () => {
  const json = JSON.stringify({
    interfaces: [
      { name: 'Et1', up: true },
      { name: 'Et2', up: false },
    ],
  });
  it('queries JSON text', async () => {
    assert.deepEqual(
      okData(await local.call('POST', '/template/parse/jsonata', { template: 'interfaces[up].name', context: json })),
      'Et1',
    );
    assert.deepEqual(
      okData(
        await local.call('POST', '/template/parse', { name: 'jsonata', template: '[interfaces.name]', context: json }),
      ),
      ['Et1', 'Et2'],
    );
  });
  it('non-JSON text → 400', async () => {
    const r = await local.call('POST', '/template/parse/jsonata', {
      template: 'interfaces.name',
      context: 'Interface Et1 is up',
    });
    envelope(r, 400);
  });
  it('a bad expression → 400', async () => {
    envelope(
      await local.call('POST', '/template/parse/jsonata', { template: 'interfaces[', context: json }),
      400,
      /jsonata/,
    );
  });
});
