import type { Job } from './api.ts';
import { h, seconds, shortId, statusBadge, time } from './dom.ts';

export const JOB_COLUMNS = [
  'Job',
  'Status',
  'Host',
  'Driver',
  'Queue',
  'Worker',
  'Created',
  'Started',
  'Ended',
  'Duration',
];

const STATUS_RANK: Record<string, number> = { queued: 0, started: 1, finished: 2, failed: 2, canceled: 2 };

/**
 * The further-along of two views of one job. A list read that started before an event arrived can
 * answer after it: without this its stale `started` would overwrite the event's `failed`.
 */
export function newest(known: Job | undefined, incoming: Job): Job {
  if (!known) return incoming;
  return (STATUS_RANK[known.status] ?? 0) > (STATUS_RANK[incoming.status] ?? 0) ? known : incoming;
}

/** One row of a jobs table; `data-id` lets live events replace it in place. */
export function jobRow(j: Job): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-id': j.id },
    h('td', null, h('a', { href: `#/job/${j.id}`, class: 'mono', title: j.id }, shortId(j.id))),
    h('td', null, statusBadge(j.status)),
    h('td', null, j.host ?? '–'),
    h('td', null, j.driver),
    h('td', { class: 'mono' }, j.queue),
    h('td', { class: 'mono' }, j.worker ?? '–'),
    h('td', null, time(j.created_at)),
    h('td', null, time(j.started_at)),
    h('td', null, time(j.ended_at)),
    h('td', null, seconds(j.duration)),
  );
}

export function jobsTable(caption: string, body: HTMLTableSectionElement): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'jobs' },
      h('caption', null, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          JOB_COLUMNS.map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      body,
    ),
  );
}

/** Replaces the row of `job` when present; returns whether it was. */
export function updateRow(body: HTMLTableSectionElement, job: Job): boolean {
  const old = body.querySelector(`tr[data-id="${CSS.escape(job.id)}"]`);
  if (!old) return false;
  old.replaceWith(jobRow(job));
  return true;
}
