import { api, ApiError, ENDED, type Batch, type Job } from '../api.ts';
import { h, replace, throttle } from '../dom.ts';
import { follow } from '../events.ts';
import { jobRow, jobsTable, newest, updateRow } from '../jobrow.ts';
import { launched, setRunDraft } from '../state.ts';
import { progress } from './progress.ts';

/**
 * One bulk run, live: progress and ETA from GET /batch/{id}, its jobs from GET /job?batch=, kept
 * current by the event stream; failed devices with their reasons; retry-failed in one click.
 */
export function batchPage(main: HTMLElement, id: string): () => void {
  const bar = h('div', { 'aria-live': 'polite' });
  const failedBox = h('section', { 'aria-labelledby': 'failed-h' });
  const body = h('tbody');
  const msg = h('p', { role: 'status' });
  replace(
    main,
    h('p', null, h('a', { href: '#/batches' }, '← Batches')),
    h('h1', null, 'Batch ', h('span', { class: 'mono' }, id)),
    bar,
    msg,
    failedBox,
    h('h2', null, 'Jobs'),
    jobsTable('Jobs of this batch', body),
  );
  const jobs = new Map<string, Job>();

  const drawFailed = (): void => {
    const rejected = launched.get(id)?.rejected ?? {};
    const failed = [...jobs.values()].filter((j) => j.status === 'failed' || j.status === 'canceled');
    const items = [
      ...failed.map((j) =>
        h(
          'li',
          null,
          h('a', { href: `#/job/${j.id}` }, j.host ?? j.id),
          ': ',
          j.result?.error ? `${j.result.error.type}: ${j.result.error.message}` : j.status,
        ),
      ),
      ...Object.entries(rejected).map(([host, why]) => h('li', null, h('strong', null, host), `: not queued — ${why}`)),
    ];
    const hosts = [...failed.map((j) => j.host).filter((x): x is string => !!x), ...Object.keys(rejected)];
    replace(
      failedBox,
      h('h2', { id: 'failed-h' }, `Failed devices (${items.length})`),
      items.length ? h('ul', { class: 'failed' }, items) : h('p', { class: 'muted' }, 'None.'),
      hosts.length
        ? h('button', { type: 'button', onclick: () => void retry(hosts) }, `Retry ${hosts.length} failed`)
        : null,
    );
  };

  const retry = async (hosts: string[]): Promise<void> => {
    const orig = launched.get(id)?.body;
    if (!orig) {
      // The server never keeps credentials: a batch launched elsewhere is retried from the Run
      // form, pre-filled with the failed hosts; the operator supplies the credentials again.
      setRunDraft({ mode: 'bulk', devices: hosts });
      location.hash = '#/run';
      return;
    }
    const devices = (orig.devices as Record<string, unknown>[]).filter((d) => hosts.includes(String(d.host)));
    const next = { ...orig, devices };
    try {
      const r = await api<{ batch_id: string; failed: string[]; reasons: Record<string, string> }>(
        'POST',
        '/device/bulk',
        next,
      );
      launched.set(r.batch_id, { body: next, rejected: r.reasons ?? {} });
      location.hash = `#/batch/${r.batch_id}`;
    } catch (e) {
      msg.textContent = e instanceof ApiError ? e.message : String(e);
    }
  };

  let last: Batch | null = null;
  /** Counts from the jobs the page holds, when it holds all of them: the bar moves with each event. */
  const drawLocal = (): void => {
    if (!last || jobs.size < last.total) return;
    const counts = { queued: 0, started: 0, finished: 0, failed: 0, canceled: 0 };
    for (const j of jobs.values()) if (j.status in counts) counts[j.status as keyof typeof counts]++;
    const done = counts.queued + counts.started === 0;
    replace(bar, progress({ ...last, counts, done, eta_seconds: done ? null : last.eta_seconds }));
  };
  const loadBatch = async (): Promise<void> => {
    try {
      const b = await api<Batch>('GET', `/batch/${encodeURIComponent(id)}`);
      last = b;
      replace(bar, progress(b));
      if (b.done) clearInterval(timer);
    } catch (e) {
      replace(bar, h('p', { class: 'error', role: 'alert' }, e instanceof ApiError ? e.message : String(e)));
    }
  };
  // The ETA moves with time even when no event arrives; a finished batch needs no polling.
  const timer = setInterval(() => void loadBatch(), 5000);
  const refreshBatch = throttle(() => void loadBatch(), 300);

  const load = async (): Promise<void> => {
    await loadBatch();
    try {
      const list = await api<Job[]>('GET', `/job?batch=${encodeURIComponent(id)}&limit=10000`);
      const current = list.map((j) => newest(jobs.get(j.id), j));
      for (const j of current) jobs.set(j.id, j);
      replace(body, current.map(jobRow));
      drawFailed();
    } catch (e) {
      msg.textContent = e instanceof ApiError ? e.message : String(e);
    }
  };
  void load();
  const stop = follow(
    { batch: id },
    ({ job }) => {
      if (job.batch_id && job.batch_id !== id) return;
      const current = newest(jobs.get(job.id), job);
      jobs.set(job.id, current);
      if (!updateRow(body, current)) body.prepend(jobRow(current));
      if (ENDED.has(job.status)) drawFailed();
      drawLocal();
      refreshBatch();
    },
    (live) => {
      // Jobs may have changed between the first read and the stream's start: read them again.
      if (live) void load();
    },
  );
  return () => {
    stop();
    clearInterval(timer);
  };
}
