/**
 * The web console in a real browser (Debian's Chromium, headless, through puppeteer-core) against a
 * real NetPulse and the repo's SSH device simulators: sign-in (wrong and right key), a bulk run
 * launched from the Run page and watched live to completion, a job page, the workers page (with a
 * confirmed stop), the template playground, the jobs table, dark mode and a narrow window. Every
 * page is screenshotted under test-output/ui/ and checked with axe-core (no serious or critical
 * violations); the browser console must stay free of errors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { startDevice, type SimDevice } from '../fakes/ssh-device/index.ts';
import {
  axeSerious,
  chromiumPath,
  CHROMIUM_SKIP,
  collectErrors,
  describeViolations,
  launchBrowser,
  screenshot,
} from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const WAIT = { timeout: 30_000 };
const BAD_PASSWORD_HOST = '127.0.0.24';

describe('web console in Chromium', { skip: chromiumPath() ? false : CHROMIUM_SKIP }, () => {
  let s: TestServer;
  let browser: Browser;
  let page: Page;
  let errs: ReturnType<typeof collectErrors>;
  const devices: SimDevice[] = [];
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'np-ui-'));

  before(async () => {
    for (const host of ['127.0.0.21', '127.0.0.22', '127.0.0.23', BAD_PASSWORD_HOST])
      devices.push(await startDevice({ profile: 'cisco_ios', host, port: 0 }));
    s = await startTestServer({ worker: { heartbeat_interval: 0.3 } });
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    errs = collectErrors(page);
  });

  after(async () => {
    await browser?.close();
    await s?.stop();
    await Promise.all(devices.map((d) => d.close()));
    rmSync(tmp, { recursive: true, force: true });
  });

  const text = (sel: string) => page.$eval(sel, (e) => e.textContent ?? '');
  const accessible = async (name: string) => {
    await screenshot(page, name);
    const v = await axeSerious(page);
    assert.equal(v.length, 0, `axe on ${name}:\n${describeViolations(v)}`);
  };

  it('a wrong key shows the server message; the right key signs in with an HttpOnly cookie', async () => {
    await page.goto(`${s.url}/ui`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('form.signin input[type=password]', WAIT);
    await accessible('01-signin');
    // The browser logs the expected 403 of the wrong key as a network error.
    errs.expected.add('status of 403');
    await page.type('form.signin input', 'not-the-key');
    await page.click('form.signin button[type=submit]');
    await page.waitForFunction("document.querySelector('#signin-error').textContent.length > 0", WAIT);
    assert.equal(await text('#signin-error'), 'Invalid or missing API key.');
    await screenshot(page, '02-signin-wrong-key');
    errs.expected.delete('status of 403');

    await page.type('form.signin input', s.key);
    await page.click('form.signin button[type=submit]');
    await page.waitForSelector('table.jobs', WAIT);
    assert.equal(await page.evaluate('document.cookie'), '', 'the key cookie is HttpOnly: invisible to scripts');
    const cookies = await browser.cookies();
    const c = cookies.find((x) => x.name === 'X-API-KEY');
    assert.ok(c?.httpOnly && c.sameSite === 'Strict', JSON.stringify(c));
    assert.equal(await page.evaluate('JSON.stringify(localStorage).includes(' + JSON.stringify(s.key) + ')'), false);
    assert.ok(!page.url().includes(s.key));
  });

  it('launches a bulk run from the Run page and watches it finish live', async () => {
    const eventRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/events')) eventRequests.push(r.url());
    });
    await page.evaluate('window.__noReload = 1');
    await page.click('a[href="#/run"]');
    await page.waitForSelector('form.run', WAIT);
    await page.click('#mode-bulk');
    const csv = [
      'host,port,password',
      ...devices.map((d) => `${d.host},${d.port},${d.host === BAD_PASSWORD_HOST ? 'wrong' : d.password}`),
    ].join('\n');
    // The devices arrive as an uploaded CSV file.
    const csvFile = path.join(tmp, 'devices.csv');
    writeFileSync(csvFile, csv);
    const upload = await page.$('input[type=file]');
    await (upload as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(csvFile);
    await page.waitForFunction(
      `document.querySelector('textarea[name=devices]').value.startsWith('host,port,password')`,
      WAIT,
    );
    await page.type('input[name=username]', 'admin');
    await page.type('input[name=password]', 'admin');
    await page.type('textarea[name=extra]', JSON.stringify({ known_hosts_file: 'known_hosts_ui', timeout: 10 }));
    await page.type('textarea[name=payload]', 'show version');
    assert.ok(
      await page.$('input[type=checkbox][name=flag-save]'),
      'the driver\u2019s boolean request fields are offered',
    );
    const preview = await text('pre[aria-label="Request as JSON"]');
    assert.match(preview, /"devices"/);
    assert.ok(
      !preview.includes('"admin",\n    "password": "admin"') && preview.includes('********'),
      'the preview masks credentials',
    );
    assert.match(await text('pre[aria-label="Request as curl"]'), /curl -sS -X POST '.*\/device\/bulk'/);
    await accessible('03-run-bulk');

    await page.click('form.run button[type=submit]');
    await page.waitForFunction("location.hash.startsWith('#/batch/')", WAIT);
    await screenshot(page, '04-batch-running');
    await page.waitForFunction("document.querySelector('.batch-progress .counts')?.textContent.includes('done')", {
      timeout: 60_000,
    });
    assert.equal(await page.evaluate('window.__noReload'), 1, 'no page reload');
    assert.ok(
      eventRequests.some((u) => /\/events\?batch=/.test(u)),
      `the batch page follows the event stream: ${eventRequests}`,
    );
    const segs = (await page.evaluate(
      "[...document.querySelectorAll('.batch-progress .seg')].map((e) => Math.round(e.getBoundingClientRect().width))",
    )) as number[];
    assert.equal(segs.length, 2, 'finished and failed segments');
    assert.ok(segs[0] > segs[1] * 2 && segs[1] > 0, `3:1 bar: ${segs}`);
    const counts = await text('.batch-progress .counts');
    assert.match(counts, /4\/4 ended/);
    assert.match(counts, /finished 3/);
    assert.match(counts, /failed 1/);
    await page.waitForFunction(
      `document.querySelector('ul.failed')?.textContent.includes('${BAD_PASSWORD_HOST}')`,
      WAIT,
    );
    assert.match(await text('ul.failed'), /AuthenticationError/);
    await accessible('05-batch-done');

    // Retry-failed in one click: a new batch with only the failed device (still a wrong password).
    const first = await page.evaluate('location.hash');
    await page.click('xpath/.//button[contains(., "Retry 1 failed")]');
    await page.waitForFunction(`location.hash.startsWith('#/batch/') && location.hash !== '${first}'`, WAIT);
    await page.waitForFunction("document.querySelector('.batch-progress .counts')?.textContent.includes('done')", {
      timeout: 60_000,
    });
    assert.match(await text('.batch-progress .counts'), /1\/1 ended.*failed 1/);
    assert.match(await text('table.jobs tbody'), new RegExp(BAD_PASSWORD_HOST.replace(/\./g, '\\.')));

    await page.click('a[href="#/batches"]');
    await page.waitForFunction("document.querySelectorAll('ul.cards li').length === 2", WAIT);
    await accessible('05b-batches');
  });

  /** Clicks in a live-updating page: a re-render between finding and clicking detaches the node, so retry. */
  async function clickLive(selector: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await page.click(selector);
        return;
      } catch (e) {
        if (attempt >= 5 || !/detached|not clickable|No element/i.test(String(e))) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  it('opens a device\u2019s output on the job page', async () => {
    await page.click('a[href="#/jobs"]');
    await page.waitForSelector('table.jobs tbody tr[data-id]', WAIT);
    const id = await page.$$eval(
      'table.jobs tbody tr',
      (rows) => rows.find((r) => r.textContent?.includes('finished'))?.getAttribute('data-id') ?? '',
    );
    assert.ok(id);
    await clickLive(`tr[data-id="${id}"] a`);
    await page.waitForSelector('article.output pre', WAIT);
    assert.match(await text('article.output pre'), /Cisco IOS Software/);
    assert.match(await text('article.output h3'), /show version/);
    assert.ok(await page.$('article.output button[aria-label="Copy output of show version"]'));
    const req = await text('dl.kv');
    assert.match(req, /cisco_ios/);
    assert.ok(!req.includes('admin') || !/password/i.test(req), 'no credentials on the job page');
    await accessible('06-job');

    // A failed job shows the error with its type.
    await page.goto(`${s.url}/ui#/jobs?status=failed`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('table.jobs tbody tr[data-id]', WAIT);
    await clickLive('table.jobs tbody tr[data-id] a');
    await page.waitForSelector('.error-box', WAIT);
    assert.match(await text('.error-box strong'), /AuthenticationError/);
    await screenshot(page, '07-job-failed');

    // One device from the Run page: the job page opens at once and follows the job to its end.
    await page.evaluate("location.hash = '#/run'");
    await page.waitForSelector('form.run', WAIT);
    await page.type('input[name=host]', devices[1].host);
    await page.type('input[name=port]', String(devices[1].port));
    await page.type('input[name=username]', 'admin');
    await page.type('input[name=password]', 'admin');
    await page.type('textarea[name=extra]', JSON.stringify({ known_hosts_file: 'known_hosts_ui' }));
    await page.type('textarea[name=payload]', 'show clock\nshow version');
    await page.click('form.run button[type=submit]');
    await page.waitForFunction("location.hash.startsWith('#/job/')", WAIT);
    await page.waitForFunction("document.querySelectorAll('article.output').length === 2", WAIT);
    assert.match(await text('h1 .badge'), /finished/);
    assert.match(await text('dl.kv'), /show clock/);

    // A queued job can be cancelled from its page: the echo test driver holds its host busy first.
    const busy = await s.call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host: '192.0.2.77' },
      command: 'sleep 4000',
    });
    const waiting = await s.call('POST', '/device/exec', {
      driver: 'echo',
      connection_args: { host: '192.0.2.77' },
      command: 'show clock',
    });
    assert.equal(busy.status, 201);
    await page.evaluate(`location.hash = '#/job/${waiting.body.data.id}'`);
    await page.waitForSelector('xpath/.//button[contains(., "Cancel job")]', WAIT);
    await clickLive('xpath/.//button[contains(., "Cancel job")]');
    await page.waitForSelector('dialog[open]', WAIT);
    await page.click('dialog[open] button[value=yes]');
    await page.waitForFunction("document.querySelector('h1 .badge')?.textContent === 'canceled'", WAIT);
    assert.equal(await text('main p[role=status]'), 'Job cancelled.');
  });

  it('shows the workers with capacity and pinned sessions, and stops one after confirming', async () => {
    await page.goto(`${s.url}/ui#/workers`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('section.node', WAIT);
    const card = await text('section.node');
    assert.match(card, /Pinned capacity/);
    assert.match(card, new RegExp(`\\d+ / ${s.np.config.worker.pinned_per_node}`), 'used / worker.pinned_per_node');
    for (const d of devices.slice(0, 3)) assert.ok(card.includes(d.host), `pinned host ${d.host} listed`);
    assert.match(card, /open/);
    await accessible('08-workers');

    const stopBtn = await page.$('section.node tbody tr:last-child button');
    assert.ok(stopBtn);
    await stopBtn.click();
    await page.waitForSelector('dialog[open]', WAIT);
    await screenshot(page, '09-workers-confirm');
    await page.click('dialog[open] button[value=yes]');
    await page.waitForFunction(
      "document.querySelector('main p[role=status]').textContent.startsWith('Stop requested')",
      WAIT,
    );
  });

  it('renders and parses live in the template playground', async () => {
    await page.goto(`${s.url}/ui#/templates`, { waitUntil: 'networkidle0' });
    await page.waitForFunction(
      "document.querySelector('[data-testid=render-output]')?.textContent.includes('hostname r1')",
      WAIT,
    );
    await page.click('textarea[name=render-context]', { count: 3 });
    await page.evaluate("const t = document.querySelector('textarea[name=render-context]'); t.value = ''");
    await page.type('textarea[name=render-context]', '{"name": "edge9", "interfaces": ["Te1/1"]}');
    await page.waitForFunction(
      "document.querySelector('[data-testid=render-output]').textContent.includes('hostname edge9')",
      WAIT,
    );
    assert.match(await text('[data-testid=render-output]'), /interface Te1\/1/);
    await page.waitForSelector('[data-testid=parse-output] table', WAIT);
    const parsed = await text('[data-testid=parse-output] table');
    assert.match(parsed, /INTF/);
    assert.match(parsed, /Gi0\/2/);
    await accessible('10-templates');

    // TTP through the same panel.
    await page.select('select[name=parser]', 'ttp');
    await page.evaluate("document.querySelector('textarea[name=parse-template]').value = ''");
    await page.type('textarea[name=parse-template]', '{{ intf }} {{ status }}');
    await page.waitForFunction(
      '/"status": "down"/.test(document.querySelector(\'[data-testid=parse-output]\').textContent)',
      WAIT,
    );
    assert.match(await text('[data-testid=parse-output]'), /"intf": "Gi0\/2"/);
  });

  it('lists jobs live, in dark mode and in a narrow window, without console errors', async () => {
    await page.goto(`${s.url}/ui#/jobs`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('table.jobs tbody tr[data-id]', WAIT);
    assert.ok((await page.$$('table.jobs tbody tr[data-id]')).length >= 4);
    await page.waitForFunction("document.querySelector('h1 .live').textContent === 'live'", WAIT);
    // A job queued by another client appears without a reload.
    const r = await s.call('POST', '/device/exec', {
      driver: 'netmiko',
      connection_args: {
        device_type: 'cisco_ios',
        host: devices[0].host,
        port: devices[0].port,
        username: 'admin',
        password: 'admin',
        known_hosts_file: 'known_hosts_ui',
      },
      command: 'show clock',
    });
    assert.equal(r.status, 201);
    await page.waitForSelector(`tr[data-id="${r.body.data.id}"]`, WAIT);
    await page.waitForFunction(
      `document.querySelector('tr[data-id="${r.body.data.id}"] .badge')?.textContent === 'finished'`,
      WAIT,
    );
    await accessible('11-jobs');

    await page.click('xpath/.//button[contains(., "Dark mode")]');
    assert.equal(await page.evaluate('document.documentElement.dataset.theme'), 'dark');
    await accessible('12-jobs-dark');
    await page.setViewport({ width: 390, height: 800 });
    await page.goto(`${s.url}/ui#/run`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('form.run', WAIT);
    await accessible('13-run-narrow-dark');
    await page.evaluate("location.hash = '#/jobs'");
    await page.waitForSelector('table.jobs tbody tr[data-id]', WAIT);
    assert.equal(
      await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'),
      true,
      'no sideways scrolling of the page',
    );
    await accessible('14-jobs-narrow-dark');
    await page.setViewport({ width: 1280, height: 800 });
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('table.jobs', WAIT);

    // Keyboard: the skip link is the first stop and moves focus to the page content.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.className'), 'skip');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate('document.activeElement.id'), 'main');

    await page.click('xpath/.//button[contains(., "Sign out")]');
    await page.waitForSelector('form.signin', WAIT);
    assert.equal((await browser.cookies()).filter((c) => c.name === 'X-API-KEY').length, 0);
    assert.deepEqual(errs.errors, []);
  });
});
