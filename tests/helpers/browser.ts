/**
 * Headless Chromium for the web console tests: Debian's `chromium` (installed by
 * scripts/lab/install.sh) driven by puppeteer-core. Tests skip visibly when it is absent.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { PROJECT_ROOT } from './server.ts';

const CANDIDATES = [process.env.NETPULSE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumPath(): string | null {
  return CANDIDATES.find((p): p is string => !!p && existsSync(p)) ?? null;
}

export const CHROMIUM_SKIP =
  "chromium not installed: run 'sudo bash scripts/lab/install.sh' (or set NETPULSE_CHROMIUM)";

/** Screenshots of every page land here (gitignored). */
export const SHOT_DIR = path.join(PROJECT_ROOT, 'test-output', 'ui');

export async function launchBrowser(): Promise<Browser> {
  const exe = chromiumPath();
  if (!exe) throw new Error(CHROMIUM_SKIP);
  const { default: puppeteer } = await import('puppeteer-core');
  return puppeteer.launch({
    executablePath: exe,
    headless: true,
    // root in CI has no user namespaces for Chromium's sandbox; the pages loaded are our own.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run', '--lang=en-US'],
    timeout: 60_000,
  });
}

/** Console errors and uncaught page errors, so a test can require none. */
export function collectErrors(page: Page): { errors: string[]; expected: Set<string> } {
  const state = { errors: [] as string[], expected: new Set<string>() };
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if ([...state.expected].some((e) => text.includes(e))) return;
    state.errors.push(`${text} @ ${m.location()?.url ?? ''}`);
  });
  page.on('pageerror', (e) => state.errors.push(`pageerror: ${(e as Error).message}`));
  return state;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOT_DIR, { recursive: true });
  const file = path.join(SHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file as `${string}.png`, fullPage: true });
  return file;
}

const require = createRequire(import.meta.url);
let axeSource: string | null = null;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core (WCAG 2 A/AA rules) in the page and returns the serious and critical violations.
 */
export async function axeSerious(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Browser-side code is passed as text: this file is type-checked without the DOM library.
  const loaded = (await page.evaluate("typeof window.axe !== 'undefined'")) as boolean;
  // Evaluated through DevTools, which the page's CSP does not govern: the test sees the real CSP.
  if (!loaded) await page.evaluate(axeSource);
  const violations = (await page.evaluate(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })" +
      '.then((r) => r.violations)',
  )) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(v: AxeViolation[]): string {
  return v
    .map(
      (x) =>
        `${x.id} (${x.impact}): ${x.help} — ${x.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    )
    .join('\n');
}
