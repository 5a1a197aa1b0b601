/**
 * Inline rendering and parsing in exec jobs (rendering context merged, rendered text split into lines, every result shape parsed) with the echo driver, whose
 * output for a command is `<session id>|<command>`: rendered text is split into lines, each run
 * as a command; `rendering.context` is merged under the payload (payload keys win); names are
 * checked when the job is accepted; each command's output is parsed; a parse error fails the job.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, waitJob, type TestServer } from '../helpers/server.ts';

let s: TestServer;
let hostN = 0;
/** A fresh host per test, so pinned sessions and queues do not interfere. */
const host = () => `10.9.0.${++hostN}`;
const req = (extra: Record<string, unknown>) => ({
  driver: 'echo',
  connection_args: { host: host(), username: 'u', password: 'p' },
  ...extra,
});

before(async () => {
  s = await startTestServer();
});
after(async () => {
  await s.stop();
});

async function submit(body: Record<string, unknown>): Promise<string> {
  const r = await s.call('POST', '/device/exec', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.code, 201);
  assert.equal(typeof r.body.data.id, 'string');
  return r.body.data.id;
}

async function finished(body: Record<string, unknown>): Promise<any> {
  const job = await waitJob(s, await submit(body));
  assert.equal(job.status, 'finished', JSON.stringify(job));
  assert.equal(job.result.error, null);
  return job.result.retval;
}

/** Every output is `<sid>|<command>`; returns the session ids seen. */
function assertEchoes(retval: Record<string, string>, commands: string[]): string[] {
  assert.deepEqual(Object.keys(retval), commands);
  const sids = new Set<string>();
  for (const c of commands) {
    const m = /^(\d+-\d+)\|(.*)$/.exec(retval[c]);
    assert.ok(m, `echo output ${retval[c]}`);
    assert.equal(m[2], c);
    sids.add(m[1]);
  }
  return [...sids];
}

describe('rendering', () => {
  it('command object + jinja2: each rendered line runs as a command', async () => {
    const retval = await finished(
      req({
        command: { ifaces: ['Gi1', 'Gi2'], vlan: 10 },
        rendering: {
          name: 'jinja2',
          template: '{% for i in ifaces %}show interface {{ i }}\n{% endfor %}show vlan {{ vlan }}\n',
        },
      }),
    );
    const sids = assertEchoes(retval, ['show interface Gi1', 'show interface Gi2', 'show vlan 10']);
    assert.equal(sids.length, 1, 'one session for the whole job');
  });

  it('blank rendered lines are dropped; CRLF is split too', async () => {
    const retval = await finished(
      req({ command: { a: 'x' }, rendering: { name: 'jinja2', template: 'show a {{ a }}\r\n\r\n   \nshow b\n' } }),
    );
    assertEchoes(retval, ['show a x', 'show b']);
  });

  it('config object + jinja2 renders the config lines', async () => {
    const retval = await finished(
      req({ config: { name: 'core' }, rendering: { name: 'jinja2', template: 'hostname {{ name }}\nlogging on' } }),
    );
    assert.ok(Array.isArray(retval) && retval.length === 1, JSON.stringify(retval));
    const lines = String(retval[0])
      .split('\n')
      .map((l) => l.replace(/^\d+-\d+\|/, ''));
    assert.deepEqual(lines, ['hostname core', 'logging on']);
  });

  it('rendering.context is merged under the payload (payload keys win)', async () => {
    const retval = await finished(
      req({
        command: { b: 'payload-b', c: 'payload-c' },
        rendering: {
          name: 'jinja2',
          template: 'show {{ a }}\nshow {{ b }}\nshow {{ c }}',
          context: { a: 'ctx-a', b: 'ctx-b' },
        },
      }),
    );
    assertEchoes(retval, ['show ctx-a', 'show payload-b', 'show payload-c']);
  });

  it('jinja2 args apply inside jobs', async () => {
    const retval = await finished(
      req({
        command: { xs: [1, 2] },
        rendering: {
          name: 'jinja2',
          template: '{% for x in xs %}\nping {{ x }}\n{% endfor %}',
          args: { trim_blocks: true },
        },
      }),
    );
    assertEchoes(retval, ['ping 1', 'ping 2']);
  });

  it('an unknown rendering name is rejected at accept time; nothing is queued', async () => {
    const before = (await s.call('GET', '/job')).body.data.length;
    const r = await s.call(
      'POST',
      '/device/exec',
      req({ command: { a: 1 }, rendering: { name: 'nosuch', template: 'show {{ a }}' } }),
    );
    assert.equal(r.status, 404, JSON.stringify(r.body));
    assert.deepEqual(r.body, { code: -1, message: 'Renderer nosuch not found', data: null });
    const r2 = await s.call(
      'POST',
      '/device/exec',
      req({ command: { a: 1 }, rendering: { name: '', template: 'show {{ a }}' } }),
    );
    assert.equal(r2.status, 400, JSON.stringify(r2.body));
    assert.deepEqual(r2.body.data, [{ loc: ['body', 'rendering', 'name'], msg: 'Renderer name is required' }]);
    const r3 = await s.call(
      'POST',
      '/device/exec',
      req({ command: 'show x', parsing: { name: 'nosuch', template: 'x' } }),
    );
    assert.equal(r3.status, 404, JSON.stringify(r3.body));
    assert.equal(r3.body.message, 'Parser nosuch not found');
    assert.equal((await s.call('GET', '/job')).body.data.length, before, 'no job was queued');
  });

  it('rendering without an object payload, or an object payload without rendering → 400', async () => {
    for (const body of [
      req({ command: 'show x', rendering: { name: 'jinja2', template: 'x' } }),
      req({ command: { a: 1 } }),
    ]) {
      const r = await s.call('POST', '/device/exec', body);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.ok(
        r.body.data.some((i: any) => i.msg === '`rendering` should be set when command/config is a dict'),
        JSON.stringify(r.body),
      );
    }
  });

  it('a template error while rendering fails the job with TemplateError', async () => {
    const job = await waitJob(
      s,
      await submit(req({ command: { a: 1 }, rendering: { name: 'jinja2', template: '{% if %}' } })),
    );
    assert.equal(job.status, 'failed', JSON.stringify(job));
    assert.equal(job.result.retval, null);
    assert.equal(job.result.error.type, 'TemplateError');
  });
});

describe('parsing', () => {
  const fsm =
    'Value SID (\\d+-\\d+)\nValue VERB (\\S+)\nValue ARG (.*)\n\nStart\n  ^${SID}\\|${VERB}\\s+${ARG} -> Record\n';

  it('textfsm parses each command output', async () => {
    const retval = await finished(
      req({ command: ['show version', 'show clock'], parsing: { name: 'textfsm', template: fsm } }),
    );
    assert.deepEqual(Object.keys(retval), ['show version', 'show clock']);
    for (const [cmd, rows] of Object.entries(retval as Record<string, any[]>)) {
      assert.equal(rows.length, 1, JSON.stringify(rows));
      assert.match(rows[0].SID, /^\d+-\d+$/);
      assert.equal(`${rows[0].VERB} ${rows[0].ARG}`, cmd);
    }
  });

  it('rendering and parsing together', async () => {
    const retval = await finished(
      req({
        command: { n: 3 },
        rendering: { name: 'jinja2', template: 'ping {{ n }}' },
        parsing: { name: 'textfsm', template: fsm },
      }),
    );
    assert.deepEqual(Object.keys(retval), ['ping 3']);
    assert.equal(retval['ping 3'][0].ARG, '3');
  });

  it('ttp parses each command output', async () => {
    const retval = await finished(
      req({
        command: ['show version', 'show clock'],
        parsing: { name: 'ttp', template: '{{ sid }}|{{ verb }} {{ arg }}' },
      }),
    );
    assert.deepEqual(Object.keys(retval), ['show version', 'show clock']);
    for (const [cmd, out] of Object.entries(retval as Record<string, any>)) {
      const row = out._root_template_[0];
      assert.match(String(row.sid), /^\d+-\d+$/, JSON.stringify(out));
      assert.equal(`${row.verb} ${row.arg}`, cmd);
    }
  });

  it('ttp structure: list inside a job', async () => {
    const retval = await finished(
      req({
        command: 'show version',
        parsing: { name: 'ttp', template: '{{ sid }}|{{ verb }} {{ arg }}', structure: 'list' },
      }),
    );
    const out = retval['show version'];
    assert.ok(Array.isArray(out), JSON.stringify(out));
    assert.equal(out[0][0].arg, 'version');
  });

  it('a parse error keeps the raw output with a per-command parse_error; raise_parsing_error fails the job', async () => {
    const bad = { name: 'textfsm', template: 'Value X (\\S+\n\nStart\n  ^${X}\n' };
    const kept = await waitJob(s, await submit(req({ command: 'show version', parsing: bad })));
    assert.equal(kept.status, 'finished', JSON.stringify(kept));
    const entry = kept.result.retval['show version'];
    assert.match(entry.output, /show version/);
    assert.equal(typeof entry.parse_error, 'string');
    const job = await waitJob(
      s,
      await submit(req({ command: 'show version', parsing: { ...bad, raise_parsing_error: true } })),
    );
    assert.equal(job.status, 'failed', JSON.stringify(job));
    assert.equal(job.result.retval, null);
    assert.equal(job.result.error.type, 'TemplateError');
    assert.equal(typeof job.result.error.message, 'string');
  });

  it('a jsonata parse of non-JSON output keeps the output; raise_parsing_error fails with TemplateError', async () => {
    const kept = await waitJob(
      s,
      await submit(req({ command: 'show version', parsing: { name: 'jsonata', template: 'a.b' } })),
    );
    assert.equal(kept.status, 'finished', JSON.stringify(kept));
    assert.match(kept.result.retval['show version'].parse_error, /not JSON/);
    const job = await waitJob(
      s,
      await submit(
        req({ command: 'show version', parsing: { name: 'jsonata', template: 'a.b', raise_parsing_error: true } }),
      ),
    );
    assert.equal(job.status, 'failed', JSON.stringify(job));
    assert.equal(job.result.error.type, 'TemplateError');
  });

  it('the server keeps working after failed jobs', async () => {
    assertEchoes(await finished(req({ command: 'show ok' })), ['show ok']);
  });
});
