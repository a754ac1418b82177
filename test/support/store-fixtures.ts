import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { silentLogger } from '../../src/log/logger.js';
import type { Indicator } from '../../src/normalize/indicator.js';
import type { SourceAttribute, SourceEvent } from '../../src/sources/source-attribute.js';
import { openStore, type Store } from '../../src/store/store.js';

/** Store tests: a store on a file in a fresh temporary folder, and attribute factories. */

export interface TempStore {
  readonly store: Store;
  readonly dir: string;
  readonly path: string;
  /** Every row of every iocrelay table, read through a second connection. */
  dump(): Record<string, unknown[]>;
  cleanup(): Promise<void>;
}

export async function tempStore(): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'iocrelay-store-'));
  const path = join(dir, 'nested', 'iocrelay.db');
  const store = await openStore({ path, log: silentLogger() });
  let isClosed = false;

  return {
    store,
    dir,
    path,
    dump: () => dumpTables(path),
    cleanup: async () => {
      if (!isClosed) await store.close();
      isClosed = true;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function dumpTables(path: string): Record<string, unknown[]> {
  const reader = new Database(path, { readonly: true });
  try {
    const tables = reader
      .prepare<[], string>(
        `SELECT name FROM sqlite_master WHERE type = 'table'
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' ORDER BY name`,
      )
      .pluck()
      .all();
    return Object.fromEntries(
      tables.map((table) => [
        table,
        reader.prepare(`SELECT * FROM "${table}" ORDER BY 1, 2, 3`).all(),
      ]),
    );
  } finally {
    reader.close();
  }
}

let counter = 0;

/** A UUID unique within the test process; `tag` makes it readable in failures. */
export function uuid(tag: number): string {
  counter += 1;
  return `00000000-0000-4000-8000-${tag.toString(16).padStart(6, '0')}${counter.toString(16).padStart(6, '0')}`;
}

export function makeEvent(overrides: Partial<SourceEvent> = {}): SourceEvent {
  return {
    uuid: uuid(0xe),
    id: '7',
    info: 'Phishing wave',
    orgName: 'CERT Example',
    threatLevel: 2,
    tags: ['tlp:green'],
    timestamp: 1714521600,
    published: true,
    ...overrides,
  };
}

export function makeAttribute(
  event: SourceEvent,
  overrides: Partial<Omit<SourceAttribute, 'event'>> = {},
): SourceAttribute {
  return {
    uuid: uuid(0xa),
    id: '101',
    type: 'ip-dst',
    category: 'Network activity',
    value: '192.0.2.1',
    toIds: true,
    deleted: false,
    timestamp: 1714521601,
    firstSeen: null,
    lastSeen: null,
    comment: '',
    tags: [],
    objectUuid: null,
    objectName: null,
    event,
    ...overrides,
  };
}

/** An IPv4 indicator with the sort key shape of the normalizer: family, hex address, prefix. */
export function ipv4(value: string): Indicator {
  const hex = value
    .split('.')
    .map((octet) => Number(octet).toString(16).padStart(2, '0'))
    .join('');
  return { kind: 'ip', value, sortKey: `4${hex}32` };
}

export function domain(value: string): Indicator {
  return { kind: 'domain', value, sortKey: value };
}
