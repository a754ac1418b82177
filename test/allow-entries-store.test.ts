import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AddAllowEntryInput } from '../src/store/allow-entries.js';
import { tempStore, type TempStore } from './support/store-fixtures.js';

const T0 = Date.UTC(2026, 11, 4, 9, 0, 0);

const BANK: AddAllowEntryInput = {
  tenant: null,
  kind: 'ip',
  value: '198.51.100.23',
  reason: 'bank portal, INC-42',
  actor: 'alice',
  at: T0,
};

let temp: TempStore;
beforeEach(async () => {
  temp = await tempStore();
});
afterEach(async () => {
  await temp.cleanup();
});

describe('runtime allowlist entries in the store', () => {
  it('adds an entry with its audit record and lists it as active', async () => {
    const entry = await temp.store.addAllowEntry(BANK);

    expect(entry).toEqual({
      id: 1,
      tenant: null,
      kind: 'ip',
      value: '198.51.100.23',
      reason: 'bank portal, INC-42',
      addedBy: 'alice',
      addedAt: T0,
      removedAt: null,
      removedBy: null,
      removeReason: null,
    });
    expect(await temp.store.allowEntries()).toEqual([entry]);
    expect(await temp.store.auditLog({ limit: 10 })).toEqual([
      {
        id: 1,
        at: T0,
        actor: 'alice',
        action: 'add',
        entryId: 1,
        tenant: null,
        kind: 'ip',
        value: '198.51.100.23',
        reason: 'bank portal, INC-42',
      },
    ]);
  });

  it('refuses a second active entry with the same tenant and value, and writes nothing', async () => {
    await temp.store.addAllowEntry(BANK);

    await expect(temp.store.addAllowEntry({ ...BANK, actor: 'bob' })).rejects.toMatchObject({
      code: 'ALLOW_ENTRY_EXISTS',
      details: { value: '198.51.100.23', tenant: 'every tenant' },
    });
    expect(temp.dump()['allow_entry']).toHaveLength(1);
    expect(temp.dump()['allow_audit']).toHaveLength(1);

    // The same value for one tenant is another entry; a removed one no longer counts.
    const acme = await temp.store.addAllowEntry({ ...BANK, tenant: 'acme' });
    expect(acme.id).toBe(2);
    await temp.store.removeAllowEntry({ id: 1, reason: 'closed', actor: 'bob', at: T0 + 1 });
    expect((await temp.store.addAllowEntry({ ...BANK, at: T0 + 2 })).id).toBe(3);
  });

  it('removes an active entry once, with its audit record, keeping the row', async () => {
    await temp.store.addAllowEntry(BANK);

    const removed = await temp.store.removeAllowEntry({
      id: 1,
      reason: 'INC-42 closed',
      actor: 'bob',
      at: T0 + 60_000,
    });
    const again = await temp.store.removeAllowEntry({
      id: 1,
      reason: 'twice',
      actor: 'bob',
      at: T0 + 120_000,
    });
    const unknown = await temp.store.removeAllowEntry({
      id: 99,
      reason: 'none',
      actor: 'bob',
      at: T0 + 120_000,
    });

    expect(removed).toMatchObject({
      id: 1,
      removedAt: T0 + 60_000,
      removedBy: 'bob',
      removeReason: 'INC-42 closed',
    });
    expect(again).toBeNull();
    expect(unknown).toBeNull();
    expect(await temp.store.allowEntries()).toEqual([]);
    expect(temp.dump()['allow_entry']).toHaveLength(1);
    expect(
      (await temp.store.auditLog({ limit: 10 })).map((r) => [r.id, r.action, r.actor, r.reason]),
    ).toEqual([
      [2, 'remove', 'bob', 'INC-42 closed'],
      [1, 'add', 'alice', 'bank portal, INC-42'],
    ]);
  });

  it('reads the audit log newest first, by page and by tenant', async () => {
    await temp.store.addAllowEntry(BANK);
    await temp.store.addAllowEntry({ ...BANK, tenant: 'acme', value: '203.0.113.45', at: T0 + 1 });
    await temp.store.addAllowEntry({
      ...BANK,
      tenant: 'globex',
      value: '203.0.113.45',
      at: T0 + 2,
    });
    await temp.store.removeAllowEntry({ id: 2, reason: 'moved', actor: 'bob', at: T0 + 3 });
    const ids = async (query: Parameters<typeof temp.store.auditLog>[0]) =>
      (await temp.store.auditLog(query)).map((record) => record.id);

    expect(await ids({ limit: 10 })).toEqual([4, 3, 2, 1]);
    expect(await ids({ limit: 2 })).toEqual([4, 3]);
    expect(await ids({ limit: 2, beforeId: 3 })).toEqual([2, 1]);
    expect(await ids({ limit: 10, tenant: 'acme' })).toEqual([4, 2]);
    expect(await ids({ limit: 10, tenant: null })).toEqual([1]);
  });

  it('keeps the audit log append-only', async () => {
    await temp.store.addAllowEntry(BANK);
    const raw = new Database(temp.path);
    try {
      expect(() => raw.prepare(`UPDATE allow_audit SET actor = 'mallory'`).run()).toThrow(
        'allow_audit is append-only',
      );
      expect(() => raw.prepare('DELETE FROM allow_audit').run()).toThrow(
        'allow_audit is append-only',
      );
    } finally {
      raw.close();
    }
    expect((await temp.store.auditLog({ limit: 1 }))[0]?.actor).toBe('alice');
  });

  it('writes neither the entry nor its audit record when the audit write fails', async () => {
    const raw = new Database(temp.path);
    raw.exec(`CREATE TRIGGER audit_fails BEFORE INSERT ON allow_audit
      BEGIN SELECT RAISE(ABORT, 'disk full, say'); END`);
    raw.close();

    await expect(temp.store.addAllowEntry(BANK)).rejects.toMatchObject({ code: 'STORE_FAILED' });
    expect(await temp.store.allowEntries()).toEqual([]);
    expect(temp.dump()['allow_entry']).toEqual([]);
  });
});
