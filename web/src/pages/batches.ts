import { api, ApiError, type Batch, type Job } from '../api.ts';
import { h, replace, shortId, time } from '../dom.ts';
import { progress } from './progress.ts';

/**
 * Recent batches: the batch ids among the newest jobs (GET /job carries `batch_id`), each with its
 * progress from GET /batch/{id}. Refreshed every few seconds while the page is open.
 */
export function batchesPage(main: HTMLElement): () => void {
  const list = h('div', { 'aria-live': 'polite' });
  replace(
    main,
    h('h1', null, 'Batches'),
    h(
      'p',
      { class: 'muted' },
      'Bulk runs among the newest 1000 jobs. Launch one from ',
      h('a', { href: '#/run' }, 'Run'),
      '.',
    ),
    list,
  );
  const load = async (): Promise<void> => {
    try {
      const jobs = await api<Job[]>('GET', '/job?limit=1000');
      const ids = [...new Set(jobs.map((j) => j.batch_id).filter((b): b is string => typeof b === 'string'))].slice(
        0,
        20,
      );
      const batches = await Promise.all(ids.map((id) => api<Batch>('GET', `/batch/${id}`).catch(() => null)));
      const shown = batches.filter((b): b is Batch => b !== null);
      replace(
        list,
        shown.length
          ? h(
              'ul',
              { class: 'cards' },
              shown.map((b) =>
                h(
                  'li',
                  { class: 'card' },
                  h(
                    'h2',
                    null,
                    h('a', { href: `#/batch/${b.id}` }, `Batch ${shortId(b.id)}`),
                    ' ',
                    h('span', { class: 'muted' }, 'created ', time(b.created_at)),
                  ),
                  progress(b),
                ),
              ),
            )
          : h('p', { class: 'muted' }, 'No batches yet.'),
      );
    } catch (e) {
      replace(list, h('p', { class: 'error', role: 'alert' }, e instanceof ApiError ? e.message : String(e)));
    }
  };
  void load();
  const timer = setInterval(() => void load(), 5000);
  return () => clearInterval(timer);
}
