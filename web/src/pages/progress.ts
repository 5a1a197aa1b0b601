import type { Batch } from '../api.ts';
import { h, seconds } from '../dom.ts';

const ORDER = ['finished', 'failed', 'canceled', 'started', 'queued'] as const;

/** A stacked progress bar (ended / total) with the counts by status and the ETA. */
export function progress(b: Batch): HTMLElement {
  const ended = b.counts.finished + b.counts.failed + b.counts.canceled;
  const pct = b.total ? Math.round((ended / b.total) * 100) : 100;
  return h(
    'div',
    { class: 'batch-progress' },
    h(
      'div',
      {
        class: 'bar',
        role: 'progressbar',
        'aria-valuemin': '0',
        'aria-valuemax': String(b.total),
        'aria-valuenow': String(ended),
        'aria-valuetext': `${ended} of ${b.total} jobs ended`,
        'aria-label': 'Batch progress',
      },
      ORDER.map((s) => (b.counts[s] ? segment(s, b.counts[s] / Math.max(1, b.total)) : null)),
    ),
    h(
      'p',
      { class: 'counts' },
      h('strong', null, `${pct}% `),
      `${ended}/${b.total} ended · `,
      ORDER.map((s, i) => [
        i ? ' · ' : '',
        h('span', { class: `dot st-${s}`, 'aria-hidden': 'true' }),
        ` ${s} ${b.counts[s]}`,
      ]),
      ' · ',
      b.done ? 'done' : `ETA ${b.eta_seconds === null ? 'unknown' : seconds(b.eta_seconds)}`,
    ),
  );
}

/** A coloured share of the bar. The width goes through CSSOM: the CSP forbids style attributes. */
function segment(status: string, share: number): HTMLElement {
  const el = h('span', { class: `seg st-${status}` });
  el.style.width = `${share * 100}%`;
  return el;
}
