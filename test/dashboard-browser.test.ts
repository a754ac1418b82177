import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { findChromium } from '../src/report/find-chromium.js';
import {
  ACME_TOKEN,
  ADMIN,
  MISP_URL,
  startDashboardDemo,
  type DashboardDemo,
} from './support/dashboard-harness.js';
import { loginOverHttp } from './support/dashboard-login.js';

const CHROMIUM = findChromium();
const SCREENSHOTS = join(import.meta.dirname, '..', '.test-output', 'screenshots');
const PHISHING_EVENT = 'e2e5ee76-d53c-54d4-b803-dda9e35aa984';

if (CHROMIUM === null) {
  console.warn(
    'dashboard browser tests skipped: no Chromium (apt install chromium, or set IOCRELAY_CHROMIUM)',
  );
}

describe.skipIf(CHROMIUM === null)('dashboard in Chromium', () => {
  let demo: DashboardDemo;
  let browser: Browser;
  let page: Page;
  const browserErrors: string[] = [];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    demo = await startDashboardDemo();
    browser = await chromium.launch({ executablePath: CHROMIUM ?? '', args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    page.on('pageerror', (error) => browserErrors.push(error.message));
    page.on('console', (message) => {
      // Answers such as the 401 of a wrong login are logged too; CSP refusals and script
      // errors are what must not happen.
      const text = message.text();
      if (message.type() === 'error' && !text.startsWith('Failed to load resource')) {
        browserErrors.push(text);
      }
    });
  });

  afterAll(async () => {
    console.info(`dashboard page timings (ms, server answer + render): ${JSON.stringify(timings)}`);
    await browser?.close();
    await demo?.stop();
  });

  async function open(name: string, path: string): Promise<void> {
    const started = performance.now();
    const answer = await page.goto(`${demo.url}${path}`);
    timings[name] = Math.round(performance.now() - started);
    expect(answer?.status()).toBe(200);
  }

  async function shoot(name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  it('refuses a wrong password and an unknown user with the same answer, then logs in', async () => {
    await page.goto(`${demo.url}/ui/`);
    expect(new URL(page.url()).pathname).toBe('/ui/login');

    for (const [username, password] of [
      [ADMIN.username, 'wrong-password-123'],
      ['mallory', ADMIN.password],
    ] as const) {
      await page.fill('#username', username);
      await page.fill('#password', password);
      const [answer] = await Promise.all([
        page.waitForResponse(
          (r) => r.url().endsWith('/ui/login') && r.request().method() === 'POST',
        ),
        page.click('button[type=submit]'),
      ]);
      expect(answer.status()).toBe(401);
      await expect(page.locator('.notice.error').textContent()).resolves.toBe(
        'Wrong user name or password.',
      );
    }
    await shoot('login');

    await page.fill('#username', ADMIN.username);
    await page.fill('#password', ADMIN.password);
    await Promise.all([page.waitForURL(`${demo.url}/ui/`), page.click('button[type=submit]')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Overview');

    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'iocrelay_ui');
    expect(session).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/ui',
      secure: false,
    });
    expect(session?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('overview: counts, sources, the chart and no failed run', async () => {
    await open('overview', '/ui/');
    const counts = await demo.store.dashboardQueries().indicatorCounts();
    const total = counts.reduce((sum, row) => sum + row.count, 0);
    expect(total).toBe(27);
    await expect(page.locator('[data-count=total]').textContent()).resolves.toBe(String(total));
    for (const row of counts) {
      await expect(page.locator(`[data-count=${row.kind}]`).textContent()).resolves.toBe(
        String(row.count),
      );
    }
    const source = page.locator('#sources tbody tr');
    await expect(source.count()).resolves.toBe(1);
    await expect(source.locator('td').nth(0).textContent()).resolves.toBe('feed:demo');
    await expect(source.locator('td').nth(2).textContent()).resolves.toContain('ok');

    const published = await Promise.all(
      demo.config.tenants.flatMap((t) =>
        t.lists.map((l) => demo.store.lastPublication(t.id, l.file)),
      ),
    );
    const added = published.reduce((sum, p) => sum + (p?.added ?? 0), 0);
    const today = page.locator('#daily-changes tbody tr').first();
    await expect(today.locator('td').nth(1).textContent()).resolves.toBe(String(added));
    await page.waitForSelector('#changes-chart[data-drawn="30"] canvas');
    await expect(page.locator('#failed-runs tbody').textContent()).resolves.toContain(
      'no failed run',
    );
    await shoot('overview');
  });

  it('tenants: entries per list, devices with the stale one marked, time to block, download', async () => {
    await open('tenants', '/ui/tenants?tenant=acme');
    for (const list of ['ip.txt', 'domain.txt', 'url.txt', 'sha256.txt']) {
      const last = await demo.store.lastPublication('acme', list);
      expect(last).not.toBeNull();
      await expect(
        page.locator(`#lists tr[data-list="${list}"] td[data-entries]`).textContent(),
      ).resolves.toBe(String(last?.entries));
    }
    const stale = page.locator('#devices tr.stale');
    await expect(stale.count()).resolves.toBe(1);
    await expect(stale.textContent()).resolves.toContain('FortiGate 7.4');
    await expect(page.locator('#devices').textContent()).resolves.toContain('PAN-OS 11.1');
    await page.waitForSelector('#time-to-block-chart[data-drawn] canvas');
    await expect(page.locator('#time-to-block tbody tr').count()).resolves.toBeGreaterThan(0);
    // Every entry was published by one run: the time axis spans two hours around it, not years.
    const published = (await demo.store.lastPublication('acme', 'ip.txt'))?.publishedAt ?? 0;
    const range = await page.locator('#time-to-block-chart').getAttribute('data-x-range');
    const [from = 0, to = 0] = (range ?? '').split(',').map(Number);
    expect(to - from).toBe(7200);
    expect(from * 1000).toBeLessThan(published);
    expect(to * 1000).toBeGreaterThan(published);
    await shoot('tenants');

    const download = await page.request.get(`${demo.url}/ui/lists/acme/ip.txt`);
    const feed = await request(`${demo.url}/feeds/acme/ip.txt`, {
      headers: { authorization: `Bearer ${ACME_TOKEN}` },
    });
    expect(download.status()).toBe(200);
    expect(await download.text()).toBe(await feed.body.text());
    const anonymous = await request(`${demo.url}/ui/lists/acme/ip.txt`);
    expect(anonymous.statusCode).toBe(303);
    await anonymous.body.dump();
  });

  it.each([
    ['198[.]51[.]100[.]23', '198.51.100.23', 'acme/ip.txt'],
    ['payroll-portal[.]example', 'payroll-portal.example', 'acme/domain.txt'],
  ])('search %s shows its lists and its MISP event', async (typed, canonical, list) => {
    await open('search', '/ui/search');
    await page.fill('#q', typed);
    await Promise.all([page.waitForURL(/\/ui\/search\?q=/), page.click('#search-form button')]);
    await expect(page.locator('#explanation').getAttribute('data-value')).resolves.toBe(canonical);
    await expect(
      page.locator(`#lists tr[data-list="${list}"]`).getAttribute('data-listed'),
    ).resolves.toBe('yes');
    await expect(page.locator('a.misp-event').first().getAttribute('href')).resolves.toBe(
      `${MISP_URL}/events/view/${PHISHING_EVENT}`,
    );
    if (canonical === '198.51.100.23') await shoot('search');
  });

  it('change log: one section per publication with its entries', async () => {
    await open('changes', '/ui/changes?tenant=acme');
    const sections = page.locator('section.publication');
    await expect(sections.count()).resolves.toBe(4);
    const ip = await demo.store.lastPublication('acme', 'ip.txt');
    const section = page.locator(`section[data-publication="${ip?.id}"]`);
    await expect(section.textContent()).resolves.toContain(
      `first publication, ${ip?.entries} entries`,
    );
    await shoot('changes');
  });

  it('allowlists: an entry with a reason leaves the served list and is in the audit log', async () => {
    const feedUrl = `${demo.url}/feeds/acme/ip.txt`;
    const fetchFeed = async (): Promise<string> => {
      const answer = await request(feedUrl, { headers: { authorization: `Bearer ${ACME_TOKEN}` } });
      return answer.body.text();
    };
    expect((await fetchFeed()).split('\n')).toContain('198.51.100.23');

    await open('allowlists', '/ui/allowlists');
    await page.selectOption('#tenant', 'acme');
    await page.fill('#value', '198[.]51[.]100[.]23');
    await page.fill('#reason', 'customer portal, INC-42');
    await Promise.all([page.waitForURL(/added=/), page.click('#add-entry button[type=submit]')]);
    await expect(page.locator('.notice.ok').textContent()).resolves.toMatch(/^Entry #\d+ added/);

    const deadline = Date.now() + 20_000;
    let served = await fetchFeed();
    while (served.split('\n').includes('198.51.100.23') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      served = await fetchFeed();
    }
    expect(served.split('\n')).not.toContain('198.51.100.23');

    await page.reload();
    const audit = page.locator('#audit tbody tr').first();
    const cells = await audit.locator('td').allTextContents();
    expect(cells.slice(1)).toEqual([
      ADMIN.username,
      expect.stringMatching(/^add #\d+$/),
      'acme',
      '198.51.100.23',
      'customer portal, INC-42',
    ]);
    await expect(page.locator('#entries').textContent()).resolves.toContain('198.51.100.23');
    await shoot('allowlists');
  });

  it('refuses a form POST without or with a wrong CSRF token (undici)', async () => {
    const session = await loginOverHttp(demo.url);
    const before = (await demo.store.allowEntries()).length;
    const post = (headers: Record<string, string>, form: Record<string, string>) =>
      request(`${demo.url}/ui/allowlists/add`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(form).toString(),
      });
    const entry = { tenant: 'acme', value: '203.0.113.45', reason: 'csrf probe' };

    for (const [headers, form] of [
      [{ cookie: session.cookie }, entry],
      [{ cookie: session.cookie }, { ...entry, csrf: 'x'.repeat(43) }],
      [{}, { ...entry, csrf: session.csrf }],
    ] as const) {
      const answer = await post(headers, form);
      expect(answer.statusCode).toBe(403);
      await answer.body.dump();
    }
    expect((await demo.store.allowEntries()).length).toBe(before);

    const good = await post(
      { cookie: session.cookie },
      { ...entry, reason: '', csrf: session.csrf },
    );
    expect([good.statusCode, good.headers.location]).toEqual([
      303,
      '/ui/allowlists?error=ALLOW_REASON_REQUIRED',
    ]);
    await good.body.dump();
  });

  it('sends the security headers and logs out', async () => {
    const answer = await page.goto(`${demo.url}/ui/changes`);
    const headers = answer?.headers() ?? {};
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['cache-control']).toBe('no-store');

    const cookie = (await page.context().cookies()).find((c) => c.name === 'iocrelay_ui');
    await Promise.all([page.waitForURL(/\/ui\/login$/), page.click('header button')]);
    const after = await request(`${demo.url}/ui/`, {
      headers: { cookie: `iocrelay_ui=${cookie?.value}` },
    });
    expect([after.statusCode, after.headers.location]).toEqual([303, '/ui/login']);
    await after.body.dump();
    expect(browserErrors.join('\n')).toBe('');
  });
});
