import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findStrayLists } from './stray-lists.js';

describe('findStrayLists', () => {
  it('names files of removed tenants and lists, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iocrelay-stray-'));
    for (const path of ['acme/ip.txt', 'acme/old.txt', 'acme/.ip.txt.1a2b.tmp', 'globex/ip.txt']) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), '192.0.2.1\n');
    }
    const tenants = [{ id: 'acme', lists: [{ file: 'ip.txt', types: ['ip' as const] }] }];

    expect(await findStrayLists(dir, tenants)).toEqual(['acme/old.txt', 'globex/ip.txt']);
    expect(await findStrayLists(join(dir, 'missing'), tenants)).toEqual([]);
  });
});
