import { api, ApiError } from '../api.ts';
import { field, h, recordsTable, replace, select, debounce } from '../dom.ts';
import { getCatalog } from '../state.ts';

const SAMPLE_JINJA =
  'hostname {{ name }}\n{% for i in interfaces %}interface {{ i }}\n description uplink\n{% endfor %}';
const SAMPLE_CONTEXT = '{"name": "r1", "interfaces": ["Gi0/1", "Gi0/2"]}';
const SAMPLE_TEXTFSM = 'Value INTF (\\S+)\nValue STATUS (up|down)\n\nStart\n  ^${INTF}\\s+${STATUS} -> Record\n';
const SAMPLE_TEXT = 'Gi0/1 up\nGi0/2 down\n';

/**
 * Template playground: renders with a renderer (POST /template/render/{name}) and parses with a
 * parser (POST /template/parse/{name}) as you type; the server's own engines, limits and messages.
 */
export function templatesPage(main: HTMLElement): undefined {
  const box = h('div');
  replace(main, h('h1', null, 'Template playground'), box);
  getCatalog().then(
    (cat) => replace(box, renderPanel(cat.renderers), parsePanel(cat.parsers)),
    (e) => replace(box, h('p', { class: 'error', role: 'alert' }, e instanceof ApiError ? e.message : String(e))),
  );
}

function renderPanel(renderers: string[]): HTMLElement {
  const engine = select(renderers, renderers.includes('jinja2') ? 'jinja2' : renderers[0], { name: 'renderer' });
  const template = h('textarea', { rows: '7', spellcheck: 'false', name: 'render-template' });
  template.value = SAMPLE_JINJA;
  const context = h('textarea', { rows: '4', spellcheck: 'false', name: 'render-context' });
  context.value = SAMPLE_CONTEXT;
  const out = h('pre', {
    class: 'preview',
    tabindex: '0',
    'aria-label': 'Rendered output',
    'data-testid': 'render-output',
  });
  const status = h('p', { class: 'error', role: 'status' });
  const run = live(async (signal) => {
    let ctx: unknown;
    try {
      ctx = context.value.trim() ? JSON.parse(context.value) : {};
    } catch {
      status.textContent = 'The context is not valid JSON';
      return;
    }
    try {
      const text = await api<string>(
        'POST',
        `/template/render/${engine.value}`,
        { template: template.value, context: ctx },
        signal,
      );
      out.textContent = typeof text === 'string' ? text : JSON.stringify(text, null, 2);
      status.textContent = '';
    } catch (e) {
      if (!signal.aborted) status.textContent = e instanceof ApiError ? e.message : String(e);
    }
  });
  const form = h(
    'form',
    {
      class: 'panel',
      'aria-labelledby': 'render-h',
      oninput: run,
      onchange: run,
      onsubmit: (e: Event) => e.preventDefault(),
    },
    h('h2', { id: 'render-h' }, 'Render'),
    field('Renderer', engine),
    field('Template', template),
    field('Context (JSON)', context),
    h('h3', null, 'Output'),
    status,
    out,
  );
  run();
  return form;
}

function parsePanel(parsers: string[]): HTMLElement {
  const engine = select(parsers, parsers.includes('textfsm') ? 'textfsm' : parsers[0], { name: 'parser' });
  const template = h('textarea', { rows: '7', spellcheck: 'false', name: 'parse-template' });
  template.value = SAMPLE_TEXTFSM;
  const text = h('textarea', { rows: '4', spellcheck: 'false', name: 'parse-text' });
  text.value = SAMPLE_TEXT;
  const out = h('div', { 'data-testid': 'parse-output' });
  const status = h('p', { class: 'error', role: 'status' });
  const run = live(async (signal) => {
    try {
      const data = await api<unknown>(
        'POST',
        `/template/parse/${engine.value}`,
        { template: template.value, context: text.value },
        signal,
      );
      const rows = Array.isArray(data) && data.every((r) => r && typeof r === 'object' && !Array.isArray(r));
      replace(
        out,
        rows && (data as unknown[]).length
          ? recordsTable(data as Record<string, unknown>[], 'Parsed records')
          : h('pre', { class: 'preview', tabindex: '0' }, JSON.stringify(data, null, 2)),
      );
      status.textContent = '';
    } catch (e) {
      if (!signal.aborted) status.textContent = e instanceof ApiError ? e.message : String(e);
    }
  });
  const form = h(
    'form',
    {
      class: 'panel',
      'aria-labelledby': 'parse-h',
      oninput: run,
      onchange: run,
      onsubmit: (e: Event) => e.preventDefault(),
    },
    h('h2', { id: 'parse-h' }, 'Parse'),
    field('Parser', engine),
    field('Template', template, 'TextFSM or TTP, as the parser expects.'),
    field('Text to parse', text),
    h('h3', null, 'Result'),
    status,
    out,
  );
  run();
  return form;
}

/** Runs `fn` 250 ms after the last keystroke, aborting the request of the previous run. */
function live(fn: (signal: AbortSignal) => Promise<void>): () => void {
  let ctl: AbortController | null = null;
  return debounce(() => {
    ctl?.abort();
    ctl = new AbortController();
    void fn(ctl.signal);
  }, 250);
}
