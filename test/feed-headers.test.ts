import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { syncFixture, type SyncFixture } from './support/sync-harness.js';

const TOKEN = 'feedTOKEN-that-must-not-leak-0123456789';
const DEMO_FEED = join(import.meta.dirname, '..', 'demo', 'feed');

let server: Server | undefined;
const fixtures: SyncFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Serves the demo feed over HTTP to requests carrying `Authorization: Bearer TOKEN` only. */
async function privateFeed(): Promise<string> {
  server = createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized');
      return;
    }
    try {
      const name = (req.url ?? '/').slice(1);
      if (!/^[\w-]+\.json$/.test(name)) throw new Error('bad name');
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(readFileSync(join(DEMO_FEED, name)));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
}

describe('a private feed over HTTP', () => {
  it('sends the configured headers, and never logs them', async () => {
    const url = await privateFeed();
    const fixture = await syncFixture(
      `feeds: [{ name: private, url: "${url}", headers: { Authorization: "Bearer \${FEED_TOKEN}" } }]\n`,
      { FEED_TOKEN: TOKEN },
    );
    fixtures.push(fixture);

    const report = await fixture.sync();
    expect(report.status).toBe('ok');
    expect(fixture.list('default', 'ip.txt')).toContain('198.51.100.23\n');
    expect(fixture.logLines.join('\n')).not.toContain(TOKEN);
  });

  it('fails with FEED_HTTP_ERROR and publishes nothing without them', async () => {
    const url = await privateFeed();
    const fixture = await syncFixture(`feeds: [{ name: private, url: "${url}", retries: 0 }]\n`);
    fixtures.push(fixture);

    const report = await fixture.sync();
    expect(report.status).toBe('failed');
    expect(report.error?.code).toBe('FEED_HTTP_ERROR');
    expect(report.lists).toEqual([]);
  });
});
