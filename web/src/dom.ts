/** A tiny hyperscript: the console builds its DOM with this instead of a framework (no runtime dependency). */

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, unknown>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else if (k === 'value' && 'value' in el) (el as unknown as { value: string }).value = String(v);
    else if (k === 'checked' || k === 'selected' || k === 'disabled')
      (el as unknown as Record<string, boolean>)[k] = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces every child of `el`. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

let ids = 0;
/** A unique id for label/field pairs. */
export const uid = (p: string): string => `${p}-${++ids}`;

/** A labelled form field: the label is always a real <label for>. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  if (!control.id) control.id = uid('f');
  const hintEl = hint ? h('small', { id: `${control.id}-hint`, class: 'hint' }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

export function select(options: (string | [string, string])[], value?: string, attrs: Attrs = {}): HTMLSelectElement {
  return h(
    'select',
    attrs,
    options.map((o) => {
      const [v, text] = Array.isArray(o) ? o : [o, o];
      return h('option', { value: v, selected: v === value }, text);
    }),
  );
}

/** Formats an ISO time as local HH:MM:SS (the full value goes into the title). */
export function time(iso: unknown): HTMLElement | string {
  if (typeof iso !== 'string') return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return h('time', { datetime: iso, title: iso }, d.toLocaleTimeString([], { hour12: false }));
}

export function seconds(v: unknown): string {
  if (typeof v !== 'number') return '–';
  return v < 1
    ? `${Math.round(v * 1000)} ms`
    : v < 120
      ? `${v.toFixed(1)} s`
      : `${Math.floor(v / 60)} min ${Math.round(v % 60)} s`;
}

export function statusBadge(status: unknown): HTMLElement {
  const s = String(status ?? 'unknown');
  return h('span', { class: `badge st-${s}` }, s);
}

/** A button that copies text to the clipboard and says so (the message is announced). */
export function copyButton(text: () => string, label: string): HTMLButtonElement {
  const btn = h('button', { type: 'button', class: 'small', 'aria-label': label }, 'Copy');
  btn.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text());
      btn.textContent = 'Copied';
    } catch {
      // Clipboard access needs a secure context; fall back to selecting the text for the user.
      btn.textContent = 'Select and copy';
    }
    setTimeout(() => (btn.textContent = 'Copy'), 1500);
  });
  return btn;
}

/** A table of records (parsed results): columns are the union of the keys. */
export function recordsTable(rows: Record<string, unknown>[], caption: string): HTMLElement {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      null,
      h('caption', null, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          cols.map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((r) =>
          h(
            'tr',
            null,
            cols.map((c) => h('td', null, cell(r[c]))),
          ),
        ),
      ),
    ),
  );
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export const shortId = (id: unknown): string => String(id ?? '').slice(0, 8);

/** Calls `fn` at most once per `ms`, always with the latest arguments. */
export function throttle(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, ms);
  };
}

export function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}
