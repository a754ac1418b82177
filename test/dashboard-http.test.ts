import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ADMIN, startDashboardDemo, type DashboardDemo } from './support/dashboard-harness.js';
import { loginOverHttp, type DashboardSession } from './support/dashboard-login.js';

const PHISHING_EVENT = 'e2e5ee76-d53c-54d4-b803-dda9e35aa984';
const EVIL_INFO = '<script>alert("info")</script> payroll';
const EVIL_TAG = '<img src=x onerror=alert(1)>';

/** Puts markup in the phishing event's title and tags, as a hostile MISP event could. */
function poisonFeed(feedDir: string): void {
  const file = join(feedDir, `${PHISHING_EVENT}.json`);
  const document = JSON.parse(readFileSync(file, 'utf8'));
  document.Event.info = EVIL_INFO;
  document.Event.Tag.push({ name: EVIL_TAG, colour: '#000000' });
  writeFileSync(file, JSON.stringify(document));
}

describe('dashboard over HTTP', () => {
  let demo: DashboardDemo;
  let session: DashboardSession;

  beforeAll(async () => {
    demo = await startDashboardDemo(poisonFeed);
    session = await loginOverHttp(demo.url);
  });
  afterAll(async () => {
    await demo?.stop();
  });

  async function get(path: string): Promise<{ status: number; body: string }> {
    const answer = await request(`${demo.url}${path}`, { headers: { cookie: session.cookie } });
    return { status: answer.statusCode, body: await answer.body.text() };
  }

  it('shows an event title and a tag holding markup as text', async () => {
    const { status, body } = await get('/ui/search?q=198.51.100.23');

    expect(status).toBe(200);
    expect(body).toContain('&lt;script&gt;alert(&quot;info&quot;)&lt;/script&gt; payroll');
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(body).not.toContain('<script>alert');
    expect(body).not.toContain('<img');
    expect(body.match(/<script\b/g)).toBeNull();
  });

  it('echoes a search for markup as text, with the value refused', async () => {
    const { status, body } = await get(
      `/ui/search?q=${encodeURIComponent('"><script>alert(2)</script>')}`,
    );

    expect(status).toBe(200);
    expect(body).toContain('value="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"');
    expect(body).toContain('VALUE_INVALID');
    expect(body).not.toContain('<script>alert');
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, on /ui, not Secure over HTTP', () => {
    const flags = session.setCookie.split(';').map((part) => part.trim());
    expect(flags.slice(1)).toEqual(['Max-Age=28800', 'Path=/ui', 'HttpOnly', 'SameSite=Strict']);
  });

  it('serves uPlot with a long cache and pages with no-store', async () => {
    const page = await request(`${demo.url}/ui/`, { headers: { cookie: session.cookie } });
    const html = await page.body.text();
    const script = /src="(\/ui\/assets\/uplot-[\d.]+\.min\.js)"/.exec(html)?.[1];
    expect(page.headers['cache-control']).toBe('no-store');
    expect(script).toBeDefined();

    const asset = await request(`${demo.url}${script}`);
    const text = await asset.body.text();
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(text).toContain('uPlot');
  });

  it('throttles an address after 10 failed logins, even with the right password', async () => {
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      await expect(loginOverHttp(demo.url, `wrong-password-${attempt}`)).rejects.toThrow(
        'login answered 401',
      );
    }
    await expect(loginOverHttp(demo.url, ADMIN.password)).rejects.toThrow('login answered 429');
  });
});
