/**
 * NAPALM getter conformance through the HTTP API: every case of the NAPALM corpus (NAPALM's own
 * mocked device outputs and expected results) is served by a replay device — the SSH simulator
 * for IOS, the eAPI simulator over HTTP for EOS — and each getter call of the case is a
 * `POST /device/exec` with `driver: "napalm"`, written as a reference client writes it. The job
 * result must equal expected_result.json by NAPALM's own comparison rules (only the EOS get_facts
 * uptime is a wildcard, in the expected file itself). Prints the pass rate per platform and getter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEapiDevice } from '../fakes/eapi-device/index.ts';
import { startDevice } from '../fakes/ssh-device/index.ts';
import {
  expectedOf,
  loadCorpus,
  NAPALM_CORPUS,
  napalmDiff,
  planFor,
  RateTable,
  type CorpusCase,
} from '../helpers/napalm-corpus.ts';
import { skipCorpusAbsent } from '../helpers/corpora.ts';
import { startTestServer, waitJob, type TestServer } from '../helpers/server.ts';

/** Parallel lanes; each lane is one loopback address (one pinned host) running its cases in turn. */
const LANES = 4;
/**
 * Replay devices reuse addresses and ephemeral ports with fresh host keys: a state directory of
 * this run only keeps keys of earlier runs out; the request names its store inside it (NAPALM
 * passes netmiko's arguments through optional_args).
 */
const STATE = mkdtempSync(join(tmpdir(), 'np-napalm-corpus-'));
const KNOWN_HOSTS = 'known_hosts_corpus';

interface Replay {
  connection_args: Record<string, unknown>;
  close(): Promise<void>;
}

async function startReplay(c: CorpusCase, host: string): Promise<Replay> {
  const dir = join(NAPALM_CORPUS, c.case);
  if (c.platform === 'ios') {
    // A prompt name no recorded output contains, so no output line can pass for the prompt.
    const dev = await startDevice({ profile: 'cisco_ios', host, hostname: 'np-replay-ios', replay: [dir] });
    return {
      connection_args: {
        device_type: 'cisco_ios',
        hostname: dev.host,
        username: dev.username,
        password: dev.password,
        timeout: 30,
        optional_args: { port: dev.port, secret: dev.secret, known_hosts_file: KNOWN_HOSTS },
      },
      close: () => dev.close(),
    };
  }
  // EOS open() reads `show version` before anything else: the corpus keeps one at the eos root.
  const dev = await startEapiDevice({ host, replay: [dir, join(NAPALM_CORPUS, 'cases', 'eos')] });
  return {
    connection_args: {
      device_type: 'arista_eos',
      host: dev.host,
      port: dev.port,
      username: dev.username,
      password: dev.password,
      timeout: 30,
      optional_args: { transport: 'http' },
    },
    close: () => dev.close(),
  };
}

async function runCase(s: TestServer, c: CorpusCase, host: string): Promise<string | null> {
  const dev = await startReplay(c, host);
  try {
    const plan = planFor(c.test);
    const results: unknown[] = [];
    for (const call of plan.calls) {
      const body = {
        driver: 'napalm',
        connection_args: dev.connection_args,
        command: [call.getter],
        ...(Object.keys(call.args).length ? { driver_args: { [call.getter]: call.args } } : {}),
      };
      const r = await s.call('POST', '/device/exec', body);
      if (r.status !== 201) return `HTTP ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`;
      if (r.body.data.queue !== `HostQ_${host}`)
        return `queued on ${r.body.data.queue}, expected the pinned HostQ_${host}`;
      const job = await waitJob(s, r.body.data.id, 60_000);
      if (job.status !== 'finished')
        return `job ${job.status}: ${JSON.stringify(job.result?.error ?? job.result).slice(0, 300)}`;
      const value = job.result.retval[call.getter];
      const problem = call.check?.(value as Record<string, string>);
      if (problem) return problem;
      results.push(value);
    }
    return napalmDiff(plan.combine(results), expectedOf(c));
  } finally {
    await dev.close();
  }
}

test('NAPALM corpus through POST /device/exec with driver napalm', { timeout: 600_000 }, async (t) => {
  const cases = loadCorpus();
  if (!cases) return skipCorpusAbsent(t, 'napalm', NAPALM_CORPUS);
  const s = await startTestServer({ server: { state_dir: STATE }, worker: { idle_timeout: 30 } });
  const rates = new RateTable();
  const failures: string[] = [];
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        const host = `127.0.23.${lane + 1}`;
        while (next < cases.length) {
          const c = cases[next++];
          let problem: string | null;
          try {
            problem = await runCase(s, c, host);
          } catch (e) {
            problem = `threw ${(e as Error).message}`;
          }
          rates.add(c.platform, c.test, problem === null);
          if (problem) failures.push(`${c.case}: ${problem}`);
        }
      }),
    );
  } finally {
    await s.stop();
    rmSync(STATE, { recursive: true, force: true });
  }
  console.log(rates.render('napalm corpus via HTTP'));
  assert.deepEqual(failures, []);
});
