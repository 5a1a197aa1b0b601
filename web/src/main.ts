import './styles.css';
import { api, SIGNED_OUT } from './api.ts';
import { h, replace } from './dom.ts';
import { signInPage } from './pages/signin.ts';
import { jobsPage } from './pages/jobs.ts';
import { jobPage } from './pages/job.ts';
import { batchesPage } from './pages/batches.ts';
import { batchPage } from './pages/batch.ts';
import { workersPage } from './pages/workers.ts';
import { runPage } from './pages/run.ts';
import { templatesPage } from './pages/templates.ts';
import { initTheme, themeToggle } from './theme.ts';

/** A page draws into `main` and returns what to undo when the user leaves it (streams, timers). */
export type Page = (main: HTMLElement, arg: string, query: URLSearchParams) => (() => void) | undefined;

const PAGES: Record<string, { title: string; page: Page; nav?: string }> = {
  jobs: { title: 'Jobs', page: jobsPage, nav: 'Jobs' },
  job: { title: 'Job', page: jobPage },
  batches: { title: 'Batches', page: batchesPage, nav: 'Batches' },
  batch: { title: 'Batch', page: batchPage },
  workers: { title: 'Workers', page: workersPage, nav: 'Workers' },
  run: { title: 'Run', page: runPage, nav: 'Run' },
  templates: { title: 'Templates', page: templatesPage, nav: 'Templates' },
};
const NAV_OF: Record<string, string> = { job: 'jobs', batch: 'batches' };

const root = document.getElementById('app')!;
let signedIn = false;
let leave: (() => void) | undefined;

function navLink(key: string): HTMLElement {
  return h('a', { href: `#/${key}`, 'data-nav': key }, PAGES[key].nav!);
}

const main = h('main', { id: 'main', tabindex: '-1' });
const nav = h(
  'nav',
  { 'aria-label': 'Main' },
  h(
    'ul',
    null,
    Object.keys(PAGES)
      .filter((k) => PAGES[k].nav)
      .map((k) => h('li', null, navLink(k))),
  ),
);
const signOut = h('button', { type: 'button', class: 'ghost', onclick: () => void doSignOut() }, 'Sign out');
const header = h(
  'header',
  { class: 'top' },
  h('a', { class: 'brand', href: '#/jobs' }, 'NetPulse'),
  nav,
  h('div', { class: 'top-actions' }, themeToggle(), signOut),
);

function parseHash(): { key: string; arg: string; query: URLSearchParams } {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, qs] = raw.split('?', 2);
  const [key, ...rest] = (path || 'jobs').split('/');
  return {
    key: PAGES[key] ? key : 'jobs',
    arg: decodeURIComponent(rest.join('/')),
    query: new URLSearchParams(qs ?? ''),
  };
}

function route(): void {
  if (typeof leave === 'function') leave();
  leave = undefined;
  if (!signedIn) {
    replace(root, h('main', { id: 'main' }, signInPage(onSignedIn)));
    document.title = 'Sign in · NetPulse';
    return;
  }
  if (!root.contains(main))
    replace(root, h('a', { class: 'skip', href: '#main', onclick: skipToMain }, 'Skip to content'), header, main);
  const { key, arg, query } = parseHash();
  const active = NAV_OF[key] ?? key;
  for (const a of nav.querySelectorAll('a')) {
    if (a.dataset.nav === active) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `${PAGES[key].title} · NetPulse`;
  main.replaceChildren();
  leave = PAGES[key].page(main, arg, query);
}

function skipToMain(e: Event): void {
  e.preventDefault();
  main.focus();
}

function onSignedIn(): void {
  signedIn = true;
  if (!location.hash || location.hash === '#/') location.hash = '#/jobs';
  route();
  main.focus();
}

async function doSignOut(): Promise<void> {
  await api('DELETE', '/ui/session').catch(() => undefined);
  signedIn = false;
  route();
}

window.addEventListener(SIGNED_OUT, () => {
  if (!signedIn) return;
  signedIn = false;
  route();
});
window.addEventListener('hashchange', () => {
  route();
  // Move focus to the new page, as a full page load would, so keyboard and screen-reader users start there.
  if (signedIn) main.focus({ preventScroll: true });
});

async function boot(): Promise<void> {
  initTheme();
  const s = await api<{ signed_in: boolean }>('GET', '/ui/session').catch(() => ({ signed_in: false }));
  signedIn = s.signed_in;
  route();
}

void boot();
