import { h } from './dom.ts';

/**
 * Light and dark themes: the system preference by default; the toggle's choice is a display
 * preference (not a secret), kept in localStorage.
 */
const KEY = 'netpulse.theme';

function current(): 'light' | 'dark' {
  const saved = localStorage.getItem(KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function initTheme(): void {
  document.documentElement.dataset.theme = current();
}

export function themeToggle(): HTMLButtonElement {
  const btn = h(
    'button',
    { type: 'button', class: 'ghost', 'aria-pressed': String(current() === 'dark') },
    'Dark mode',
  );
  btn.addEventListener('click', () => {
    const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    localStorage.setItem(KEY, next);
    btn.setAttribute('aria-pressed', String(next === 'dark'));
  });
  return btn;
}
