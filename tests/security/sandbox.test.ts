/**
 * Rows "jsonata kills the process", "TextFSM catastrophic regex", "jsonata $match catastrophic
 * regex", "jinja2 has no time or size limit" and the in-job variant: every template evaluation runs
 * in the sandbox (core/sandbox), so each fails alone with NP_ERR_TEMPLATE_LIMIT while /health keeps
 * answering within a second and the server keeps serving.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, waitJob, type TestServer } from '../helpers/server.ts';
import { underAttack } from './helpers.ts';

let s: TestServer;

before(async () => {
  s = await startTestServer({
    templates: { sandbox: { timeout_ms: 1500, memory_mb: 128, max_result_bytes: 1 << 20, processes: 2 } },
  });
  // Start the sandbox processes before measuring (their start-up is not what is under test).
  await Promise.all(
    [1, 2].map((i) => s.call('POST', '/template/render', { name: 'jinja2', template: '{{ i }}', context: { i } })),
  );
});

// Without the sandbox each of these runs for minutes to hours (or aborts the process); with it
// the answer comes at the time limit plus, at worst, the start of a replacement sandbox process.
const BOUND_MS = 15_000;
after(async () => {
  await s?.stop();
});

/** Runs an echo-driver job whose output a catastrophic TextFSM regex parses; returns the ended job. */
async function runawayParseJob(srv: TestServer, host: string, executionTimeout: number): Promise<any> {
  // The echo driver answers `<session>|<command>`: the rule skips the prefix.
  const template = 'Value X ((a+)+b)\n\nStart\n  ^\\S+\\|${X} -> Record\n';
  const r = await srv.call('POST', '/device/exec', {
    driver: 'echo',
    connection_args: { host },
    command: 'a'.repeat(40) + '!',
    parsing: { name: 'textfsm', template },
    execution_timeout: executionTimeout,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return waitJob(srv, r.body.data.id, 25_000);
}

function limited(r: { status: number; body: any }, pattern: RegExp): void {
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.code, -1);
  assert.match(r.body.message, pattern);
}

describe('template sandbox limits', () => {
  it('jsonata $pad of 300 million characters fails alone (no V8 fatal error)', async () => {
    const a = await underAttack(s, () =>
      s.call('POST', '/template/parse', { name: 'jsonata', template: "$length($pad('', 300000000))", context: '{}' }),
    );
    limited(a.result, /memory limit|time limit|exceeds/);
    assert.ok(a.worstHealthMs < 1000, `health took ${a.worstHealthMs} ms`);
    const ok = await s.call('POST', '/template/parse', {
      name: 'jsonata',
      template: '$sum(a)',
      context: '{"a":[1,2,3]}',
    });
    assert.equal(ok.body.data, 6);
  });

  it('TextFSM catastrophic regex is stopped at the time limit', async () => {
    const template = 'Value X ((a+)+b)\n\nStart\n  ^${X} -> Record\n';
    const a = await underAttack(s, () =>
      s.call('POST', '/template/parse', { name: 'textfsm', template, context: 'a'.repeat(40) + '!' }),
    );
    limited(a.result, /time limit of 1500 ms/);
    assert.ok(a.ms < BOUND_MS, `took ${a.ms} ms`);
    assert.ok(a.worstHealthMs < 1000, `health took ${a.worstHealthMs} ms`);
  });

  it('jsonata $match with a catastrophic regex ends quickly', async () => {
    const a = await underAttack(s, () =>
      s.call('POST', '/template/parse', {
        name: 'jsonata',
        template: `$match('${'a'.repeat(30)}!', /(a+)+b/)`,
        context: '{}',
      }),
    );
    // Either the linear-time fallback answers or the sandbox stops it: never a 60 s stall.
    assert.ok(a.result.status === 200 || a.result.status === 400, JSON.stringify(a.result.body));
    assert.ok(a.ms < BOUND_MS, `took ${a.ms} ms`);
    assert.ok(a.worstHealthMs < 1000, `health took ${a.worstHealthMs} ms`);
  });

  it('jinja2 nested loops and giant strings hit the time, memory or size limit', async () => {
    const loops = await underAttack(s, () =>
      s.call('POST', '/template/render', {
        name: 'jinja2',
        template: '{% for i in range(100000) %}{% for j in range(40) %}x{% endfor %}{% endfor %}',
        context: {},
      }),
    );
    limited(loops.result, /limit|exceeds/);
    assert.ok(loops.worstHealthMs < 1000, `health took ${loops.worstHealthMs} ms`);
    const big = await s.call('POST', '/template/render', {
      name: 'jinja2',
      template: "{{ 'a' * 200000000 }}",
      context: {},
    });
    limited(big, /limit|exceeds/);
    const fine = await s.call('POST', '/template/render/jinja2', {
      template: 'hello {{ who }}',
      context: { who: 'world' },
    });
    assert.equal(fine.body.data, 'hello world');
  });

  it('a runaway parse inside a job fails that job and nothing else', async () => {
    const job = await runawayParseJob(s, 'sandbox-job', 20);
    assert.equal(job.status, 'failed');
    assert.equal(job.result.error.type, 'TemplateLimitError');
    const again = await s.call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host: 'sandbox-job' },
      command: 'show clock',
    });
    assert.equal((await waitJob(s, again.body.data.id)).status, 'finished');
  });

  it('execution_timeout is a hard deadline while a parse is CPU-bound', async () => {
    const slow = await startTestServer({ templates: { sandbox: { timeout_ms: 60_000, processes: 1 } } });
    try {
      const t0 = Date.now();
      const job = await runawayParseJob(slow, 'deadline-job', 2);
      assert.equal(job.status, 'failed');
      assert.equal(job.result.error.type, 'JobTimeoutError');
      assert.ok(Date.now() - t0 < 8000, `took ${Date.now() - t0} ms`);
    } finally {
      await slow.stop();
    }
  });
});
