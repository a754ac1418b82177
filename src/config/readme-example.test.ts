import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../serve/password-hash.js';
import { loadConfig } from './load-config.js';

const README = join(import.meta.dirname, '..', '..', 'README.md');

describe('the configuration shown in README.md', () => {
  it('loads as written, with its variables set', async () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(readFileSync(README, 'utf8'))?.[1] ?? '';
    const dir = mkdtempSync(join(tmpdir(), 'iocrelay-readme-'));
    writeFileSync(join(dir, 'iocrelay.yaml'), example);

    const config = loadConfig(join(dir, 'iocrelay.yaml'), {
      MISP_URL: 'https://misp.example',
      MISP_API_KEY: 'readme-key',
      ACME_FEED_PASSWORD: 'readme-feed-password',
      ACME_FEED_TOKEN: 'readme-feed-token-0123456789',
      METRICS_TOKEN: 'readme-metrics-token-0123456789',
      ALICE_PASSWORD_HASH: await hashPassword('readme-admin-password'),
    });

    expect(config.tenants.map((tenant) => tenant.lists.map((list) => list.format))).toEqual([
      ['paloalto', 'nftables', 'plain', 'plain', 'plain'],
    ]);
    expect(config.tenants[0]?.feed_auth?.tokens).toEqual(['readme-feed-token-0123456789']);
    expect(config.publish.s3?.bucket).toBe('blocklists');
    expect(config.ui?.admins.map((admin) => admin.username)).toEqual(['alice']);
  });
});
