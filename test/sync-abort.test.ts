import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDirPublisher } from '../src/publish/dir-publisher.js';
import type { Source } from '../src/sources/source.js';
import { runSync } from '../src/sync/run-sync.js';
import { makeAttribute, makeEvent, uuid } from './support/store-fixtures.js';
import { syncFixture, type SyncFixture } from './support/sync-harness.js';

let fixture: SyncFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

describe('a sync stopped while it pulls', () => {
  it('stops between pages even when the source does not look at the signal, and publishes nothing', async () => {
    fixture = await syncFixture(
      [
        'database: ./var/iocrelay.db',
        'misp:',
        '  url: https://misp.example',
        `  api_key: ${'k'.repeat(40)}`,
        'publish:',
        '  dir: ./public',
        'tenants:',
        '  - id: acme',
        '    lists: [{ file: ip.txt, types: [ip] }]',
      ].join('\n'),
    );
    const controller = new AbortController();
    const event = makeEvent();
    let pages = 0;
    // Reads ahead and never checks the signal, like the folder feed reading its files.
    const source: Source = {
      id: 'misp',
      supportsIncremental: false,
      async *pull() {
        for (let page = 0; page < 100; page++) {
          await new Promise((resolve) => setImmediate(resolve));
          pages += 1;
          if (page === 1) controller.abort(new Error('serve stopping'));
          yield [makeAttribute(event, { uuid: uuid(page + 1), value: `192.0.2.${page + 1}` })];
        }
      },
    };

    const report = await runSync({
      config: fixture.config,
      store: fixture.store,
      sources: [source],
      publisher: createDirPublisher(fixture.config.publish.dir),
      log: fixture.log,
      signal: controller.signal,
    });

    expect(report.status).toBe('failed');
    expect(report.sources).toMatchObject([
      { source: 'misp', status: 'failed', errorCode: 'SYNC_STOPPED' },
    ]);
    expect(pages).toBeLessThanOrEqual(3);
    expect(existsSync(join(fixture.config.publish.dir, 'acme', 'ip.txt'))).toBe(false);
  });
});
