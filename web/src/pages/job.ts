import { api, ApiError, ENDED, type Job, type RequestSummary } from '../api.ts';
import { confirmDialog } from '../confirm.ts';
import { copyButton, h, recordsTable, replace, seconds, statusBadge, time } from '../dom.ts';
import { follow } from '../events.ts';

/**
 * One job: the request summary the server keeps (never credentials or the payload's secrets),
 * timings, each command's output with a copy button, parsed records as a table, and the error
 * with its type. Follows the event stream until the job ends.
 */
export function jobPage(main: HTMLElement, id: string): () => void {
  const view = h('div');
  replace(main, h('p', null, h('a', { href: '#/jobs' }, '← Jobs')), view);
  let summary: RequestSummary | null = null;
  const notice = h('p', { role: 'status' });

  // Only a queued job can be cancelled (DELETE /job?id=); one that already started runs to its end.
  const cancel = async (): Promise<void> => {
    if (!(await confirmDialog('Cancel this job?', 'The job leaves its queue and never runs.', 'Cancel job', 'Keep it')))
      return;
    try {
      const ids = await api<string[]>('DELETE', `/job?id=${encodeURIComponent(id)}`);
      notice.textContent = ids.includes(id) ? 'Job cancelled.' : 'The job had already started; it was not cancelled.';
      await fetchJob();
    } catch (e) {
      notice.textContent = e instanceof ApiError ? e.message : String(e);
    }
  };
  let stop: (() => void) | null = null;

  const draw = (job: Job): void => {
    replace(
      view,
      h(
        'h1',
        null,
        'Job ',
        h('span', { class: 'mono' }, job.id),
        ' ',
        statusBadge(job.status),
        job.status === 'queued'
          ? h('button', { type: 'button', class: 'danger small', onclick: () => void cancel() }, 'Cancel job')
          : null,
      ),
      notice,
      h(
        'div',
        { class: 'grid2' },
        h('section', { 'aria-labelledby': 'req-h' }, h('h2', { id: 'req-h' }, 'Request'), requestList(job, summary)),
        h('section', { 'aria-labelledby': 'time-h' }, h('h2', { id: 'time-h' }, 'Timings'), timings(job)),
      ),
      h('section', { 'aria-labelledby': 'res-h' }, h('h2', { id: 'res-h' }, 'Result'), result(job)),
    );
  };

  const fetchJob = async (): Promise<Job | null> => {
    const jobs = await api<Job[]>('GET', `/job?id=${encodeURIComponent(id)}`);
    if (jobs[0]) draw(jobs[0]);
    return jobs[0] ?? null;
  };
  const load = async (): Promise<void> => {
    try {
      summary = await api<RequestSummary>('GET', `/ui/api/job/${encodeURIComponent(id)}/request`).catch(() => null);
      const job = await fetchJob();
      if (!job) {
        replace(
          view,
          h('h1', null, 'Job not found'),
          h('p', null, `No job ${id}: it may have expired (results are kept for result_ttl).`),
        );
        return;
      }
      if (ENDED.has(job.status)) return;
      stop = follow(
        { job: id },
        (e) => {
          if (e.job.id !== id) return;
          draw(e.job);
          if (ENDED.has(e.job.status)) stop?.();
        },
        (live) => {
          // The job may have ended between the first read and the stream's start: read it again.
          if (live)
            void fetchJob().then(
              (j) => j && ENDED.has(j.status) && stop?.(),
              () => undefined,
            );
        },
      );
    } catch (e) {
      replace(view, h('p', { class: 'error', role: 'alert' }, e instanceof ApiError ? e.message : String(e)));
    }
  };
  void load();
  return () => stop?.();
}

function dl(items: [string, unknown][]): HTMLElement {
  return h(
    'dl',
    { class: 'kv' },
    items.flatMap(([k, v]) => [
      h('dt', null, k),
      h('dd', null, v instanceof Node ? v : v === null || v === undefined || v === '' ? '–' : String(v)),
    ]),
  );
}

function requestList(job: Job, s: RequestSummary | null): HTMLElement {
  const cmds = Array.isArray(s?.commands) ? (s.commands as string[]) : [];
  return dl([
    ['Driver', job.driver],
    ['Device type', s?.device_type],
    ['Host', job.host],
    ['Operation', s?.operation],
    [
      'Commands',
      cmds.length
        ? h(
            'ul',
            { class: 'plain mono' },
            cmds.map((c) => h('li', null, c)),
          )
        : null,
    ],
    ...(typeof s?.config_lines === 'number'
      ? [['Configuration', `${s.config_lines} lines (not shown: they may hold secrets)`] as [string, unknown]]
      : []),
    ['Rendered with', s?.renderer],
    ['Parsed with', s?.parser],
    ['Queue strategy', s?.strategy],
    ['Queue', job.queue],
    ['Node / worker', job.node ? `${job.node} / ${job.worker}` : null],
    ['Batch', job.batch_id ? h('a', { href: `#/batch/${job.batch_id}`, class: 'mono' }, job.batch_id) : null],
    ['Webhook', s ? (s.webhook ? 'yes' : 'no') : null],
    ['Queue-wait limit (ttl)', `${job.ttl} s`],
    ['Execution timeout', `${job.execution_timeout} s`],
  ]);
}

function timings(job: Job): HTMLElement {
  return dl([
    ['Created', time(job.created_at)],
    ['Enqueued', time(job.enqueued_at)],
    ['Started', time(job.started_at)],
    ['Ended', time(job.ended_at)],
    ['Waited in queue', seconds(job.queue_time)],
    ['Ran for', seconds(job.duration)],
  ]);
}

function result(job: Job): HTMLElement | HTMLElement[] {
  const r = job.result;
  if (!r) return h('p', { class: 'muted' }, ENDED.has(job.status) ? 'No result.' : 'Waiting for the job to end…');
  if (r.error) {
    return h(
      'div',
      { class: 'error-box', role: 'alert' },
      h('strong', null, r.error.type),
      h('pre', null, r.error.message),
    );
  }
  const v = r.retval;
  if (v && typeof v === 'object' && !Array.isArray(v))
    return Object.entries(v as Record<string, unknown>).map(([cmd, out]) => output(cmd, out));
  return output('Output', v);
}

/** One command's output: text in a <pre>, records as a table, anything else as JSON. */
function output(title: string, out: unknown): HTMLElement {
  const text = typeof out === 'string' ? out : JSON.stringify(out, null, 2);
  const records =
    Array.isArray(out) && out.length > 0 && out.every((r) => r && typeof r === 'object' && !Array.isArray(r));
  return h(
    'article',
    { class: 'output' },
    h(
      'header',
      null,
      h('h3', { class: 'mono' }, title),
      copyButton(() => text, `Copy output of ${title}`),
    ),
    records
      ? recordsTable(out as Record<string, unknown>[], `Parsed output of ${title}`)
      : h('pre', { tabindex: '0', 'aria-label': `Output of ${title}` }, text),
  );
}
