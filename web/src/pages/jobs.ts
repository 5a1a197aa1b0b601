import { api, ApiError, type Job } from '../api.ts';
import { field, h, replace, select } from '../dom.ts';
import { follow } from '../events.ts';
import { jobRow, jobsTable, newest, updateRow } from '../jobrow.ts';

const STATUSES = ['', 'queued', 'started', 'finished', 'failed', 'canceled'];
const FILTERS = ['status', 'host', 'queue', 'batch', 'node'] as const;
const PAGE_SIZES = ['25', '50', '100'];

/**
 * Jobs: GET /job with the filters and paging in the page address (shareable, never the key), then
 * kept current by the event stream: known rows are replaced in place, new matching jobs appear at
 * the top of the first page.
 */
export function jobsPage(main: HTMLElement, _arg: string, query: URLSearchParams): () => void {
  const limit = Number(PAGE_SIZES.includes(query.get('limit') ?? '') ? query.get('limit') : 25);
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const f = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) ?? ''])) as Record<(typeof FILTERS)[number], string>;

  const inputs = {
    status: select(
      STATUSES.map((s) => [s, s || 'any']),
      f.status,
      { name: 'status' },
    ),
    host: h('input', { name: 'host', value: f.host, placeholder: '10.0.0.1' }),
    queue: h('input', { name: 'queue', value: f.queue, placeholder: 'HostQ_10.0.0.1' }),
    batch: h('input', { name: 'batch', value: f.batch, placeholder: 'batch id' }),
    node: h('input', { name: 'node', value: f.node, placeholder: 'node name' }),
  };
  const size = select(PAGE_SIZES, String(limit), { name: 'limit' });
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Job filters' },
    field('Status', inputs.status),
    field('Host', inputs.host),
    field('Queue', inputs.queue),
    field('Batch', inputs.batch),
    field('Node', inputs.node),
    field('Per page', size),
    h(
      'div',
      { class: 'field actions' },
      h('button', { type: 'submit' }, 'Apply'),
      h('a', { href: '#/jobs', class: 'button ghost' }, 'Clear'),
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const k of FILTERS) if (inputs[k].value.trim()) q.set(k, inputs[k].value.trim());
    if (size.value !== '25') q.set('limit', size.value);
    location.hash = `#/jobs${q.size ? `?${q}` : ''}`;
  });

  const body = h('tbody');
  const live = h('span', { class: 'live', role: 'status' }, 'connecting…');
  const info = h('p', { class: 'muted', 'aria-live': 'polite' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  replace(main, h('h1', null, 'Jobs ', live), form, info, jobsTable('Jobs, newest first', body), pager);

  const pageLink = (o: number, text: string, enabled: boolean): HTMLElement => {
    const q = new URLSearchParams(query);
    q.set('offset', String(o));
    return enabled
      ? h('a', { class: 'button ghost', href: `#/jobs?${q}` }, text)
      : h('span', { class: 'button ghost', 'aria-disabled': 'true' }, text);
  };

  let rows = 0;
  /** The latest view of each job an event brought, so a slower list read cannot roll it back. */
  const seen = new Map<string, Job>();
  const matches = (j: Job): boolean => (!f.status || j.status === f.status) && (!f.node || j.node === f.node);
  const load = async (): Promise<void> => {
    const q = new URLSearchParams({ limit: String(limit), offset: String(offset) });
    for (const k of FILTERS) if (f[k]) q.set(k, f[k]);
    try {
      const jobs = (await api<Job[]>('GET', `/job?${q}`)).map((j) => newest(seen.get(j.id), j));
      rows = jobs.length;
      replace(
        body,
        jobs.length ? jobs.map(jobRow) : h('tr', null, h('td', { colspan: '10', class: 'muted' }, 'No jobs match.')),
      );
      info.textContent = `Showing ${offset + (jobs.length ? 1 : 0)}–${offset + jobs.length}.`;
      replace(
        pager,
        pageLink(Math.max(0, offset - limit), 'Previous page', offset > 0),
        pageLink(offset + limit, 'Next page', jobs.length === limit),
      );
    } catch (e) {
      info.textContent = e instanceof ApiError ? e.message : String(e);
    }
  };
  void load();
  const stop = follow(
    { host: f.host, queue: f.queue, batch: f.batch },
    ({ job: incoming }) => {
      const job = newest(seen.get(incoming.id), incoming);
      seen.set(job.id, job);
      // Bounded: a page left open for days sees many jobs; the oldest entries are the first keys.
      if (seen.size > 5000) seen.delete(seen.keys().next().value as string);
      if (updateRow(body, job)) return;
      if (offset !== 0 || !matches(job)) return;
      if (!rows) body.replaceChildren();
      body.prepend(jobRow(job));
      rows++;
      while (body.rows.length > limit) body.lastElementChild?.remove();
    },
    (ok) => {
      live.textContent = ok ? 'live' : 'reconnecting…';
      // Read the page once the stream is open, so no change falls between the read and the stream.
      if (ok) void load();
    },
  );
  return stop;
}
