import { api, ApiError, type Worker } from '../api.ts';
import { confirmDialog } from '../confirm.ts';
import { h, replace, time } from '../dom.ts';

const POLL_MS = 2000;

/**
 * Workers by node: capacity used/total, pinned hosts with their session state, successes,
 * failures and reconnects; stop a worker (or a whole node) after a confirmation. Nodes publish
 * their state with each heartbeat, so the page polls GET /worker.
 */
export function workersPage(main: HTMLElement): () => void {
  const list = h('div');
  const msg = h('p', { role: 'status' });
  replace(main, h('h1', null, 'Workers and nodes'), msg, list);

  const stopWorker = async (w: Worker, what: string): Promise<void> => {
    const ok = await confirmDialog(
      `Stop ${what}?`,
      what.startsWith('node')
        ? `Node ${w.node} stops taking work, finishes its running jobs and releases its pinned hosts.`
        : `Worker ${w.name} finishes its current job and releases its host; waiting jobs move to another node.`,
      'Stop',
    );
    if (!ok) return;
    try {
      const names = await api<string[]>('DELETE', `/worker?name=${encodeURIComponent(w.name)}`);
      msg.textContent = `Stop requested: ${names.join(', ')}`;
      void load();
    } catch (e) {
      msg.textContent = e instanceof ApiError ? e.message : String(e);
    }
  };

  const load = async (): Promise<void> => {
    try {
      const workers = await api<Worker[]>('GET', '/worker');
      const nodes = workers.filter((w) => w.name === w.node);
      replace(
        list,
        nodes.length
          ? nodes.map((n) =>
              nodeCard(
                n,
                workers.filter((w) => w.node === n.node && w !== n),
                stopWorker,
              ),
            )
          : h('p', { class: 'muted' }, 'No nodes.'),
      );
    } catch (e) {
      msg.textContent = e instanceof ApiError ? e.message : String(e);
    }
  };
  void load();
  const timer = setInterval(() => void load(), POLL_MS);
  return () => clearInterval(timer);
}

function nodeCard(n: Worker, workers: Worker[], stop: (w: Worker, what: string) => Promise<void>): HTMLElement {
  const pinned = workers.filter((w) => w.queues.some((q) => q.startsWith('HostQ_')));
  const others = workers.filter((w) => !pinned.includes(w));
  const used = n.count ?? pinned.length;
  const total = n.capacity ?? 0;
  const sum = (k: 'successful_job_count' | 'failed_job_count' | 'reconnects') =>
    workers.reduce((s, w) => s + (w[k] ?? 0), 0);
  const headingId = `node-${n.node.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return h(
    'section',
    { class: 'card node', 'aria-labelledby': headingId },
    h(
      'header',
      null,
      h('h2', { id: headingId }, `Node ${n.node} `, h('span', { class: `badge st-${n.status}` }, n.status)),
      n.status !== 'dead'
        ? h(
            'button',
            { type: 'button', class: 'danger small', onclick: () => void stop(n, `node ${n.node}`) },
            `Stop node ${n.node}`,
          )
        : null,
    ),
    h(
      'dl',
      { class: 'stats' },
      stat(
        'Pinned capacity',
        h('meter', {
          min: '0',
          max: String(Math.max(1, total)),
          value: String(used),
          'aria-label': `Pinned capacity of ${n.node}`,
        }),
        ` ${used} / ${total}`,
      ),
      stat('Jobs succeeded', String(sum('successful_job_count'))),
      stat('Jobs failed', String(sum('failed_job_count'))),
      stat('Reconnects', String(sum('reconnects'))),
      stat('Machine / pid', `${n.hostname} / ${n.pid}`),
      stat('Last heartbeat', time(n.last_heartbeat)),
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        null,
        h('caption', null, `Workers of ${n.node}`),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ['Worker', 'Host', 'Status', 'Session', 'Succeeded', 'Failed', 'Reconnects', 'Action'].map((c) =>
              h('th', { scope: 'col' }, c),
            ),
          ),
        ),
        h(
          'tbody',
          null,
          [...others, ...pinned].map((w) => {
            const host = w.queues.find((q) => q.startsWith('HostQ_'))?.slice('HostQ_'.length);
            return h(
              'tr',
              null,
              h('td', { class: 'mono' }, w.name),
              h('td', null, host ? h('a', { href: `#/jobs?host=${encodeURIComponent(host)}` }, host) : '–'),
              h('td', null, h('span', { class: `badge st-${w.status}` }, w.status)),
              h('td', null, host ? (w.sessions > 0 ? 'open' : 'closed') : `${w.sessions} open`),
              h('td', null, String(w.successful_job_count)),
              h('td', null, String(w.failed_job_count)),
              h('td', null, host ? String(w.reconnects ?? 0) : '–'),
              h(
                'td',
                null,
                host && w.status !== 'dead'
                  ? h(
                      'button',
                      { type: 'button', class: 'small', onclick: () => void stop(w, `worker ${w.name}`) },
                      'Stop',
                      h('span', { class: 'sr-only' }, ` ${w.name}`),
                    )
                  : '',
              ),
            );
          }),
        ),
      ),
    ),
  );
}

function stat(label: string, ...value: (Node | string)[]): HTMLElement {
  return h('div', null, h('dt', null, label), h('dd', null, ...value));
}
