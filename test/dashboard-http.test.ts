import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
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
  const document = JSON.parse(readFileSync(file, 'utf8')) as {
    Event: { info: string; Tag: { name: string; colour: string }[] };
  };
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
    expect(page.headers['strict-transport-security']).toBeUndefined();
    expect(script).toBeDefined();

    const asset = await request(`${demo.url}${script}`);
    const text = await asset.body.text();
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(text).toContain('uPlot');
  });

  it('sends a visitor without a session from /ui to the login page', async () => {
    const answer = await request(`${demo.url}/ui`);
    await answer.body.dump();
    expect([answer.statusCode, answer.headers.location]).toEqual([303, '/ui/login']);
  });

  it('adds and removes an allowlist entry, each with its reason in the audit log', async () => {
    const post = async (path: string, form: Record<string, string>) => {
      const answer = await request(`${demo.url}${path}`, {
        method: 'POST',
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...form, csrf: session.csrf }).toString(),
      });
      await answer.body.dump();
      return { status: answer.statusCode, location: String(answer.headers.location) };
    };

    const added = await post('/ui/allowlists/add', {
      tenant: '',
      value: 'secure-update[.]test',
      reason: 'vendor update server, INC-7',
    });
    const id = Number(/added=(\d+)$/.exec(added.location)?.[1]);
    expect(added.status).toBe(303);
    // The sync the addition started holds the store's write lock while it pulls.
    await demo.serve.syncNow();
    const noReason = await post('/ui/allowlists/remove', { id: String(id), reason: ' ' });
    expect(noReason.location).toBe('/ui/allowlists?error=ALLOW_REASON_REQUIRED');
    const removed = await post('/ui/allowlists/remove', { id: String(id), reason: 'INC-7 closed' });
    expect(removed.location).toBe(`/ui/allowlists?removed=${id}`);

    const audit = await demo.store.auditLog({ limit: 2 });
    expect(audit.map((r) => [r.action, r.actor, r.tenant, r.value, r.reason])).toEqual([
      ['remove', ADMIN.username, null, 'secure-update.test', 'INC-7 closed'],
      ['add', ADMIN.username, null, 'secure-update.test', 'vendor update server, INC-7'],
    ]);
    expect(await demo.store.allowEntries()).toEqual([]);
    const { body } = await get('/ui/allowlists');
    expect(body).toContain('INC-7 closed');
  });

  it('answers an allowlist change made while a sync holds the store with STORE_BUSY', async () => {
    await demo.serve.syncNow();
    const writer = new Database(demo.config.database);
    writer.prepare('BEGIN IMMEDIATE').run();
    try {
      const answer = await request(`${demo.url}/ui/allowlists/add`, {
        method: 'POST',
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          csrf: session.csrf,
          tenant: 'acme',
          value: '203.0.113.45',
          reason: 'while busy',
        }).toString(),
      });
      await answer.body.dump();
      expect(answer.headers.location).toBe('/ui/allowlists?error=STORE_BUSY');
    } finally {
      writer.prepare('ROLLBACK').run();
      writer.close();
    }
    const { body } = await get('/ui/allowlists?error=STORE_BUSY');
    expect(body).toContain('STORE_BUSY: Another process is writing the iocrelay database');
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
