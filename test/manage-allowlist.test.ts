import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { loadConfig, type LoadedConfig } from '../src/config/load-config.js';
import {
  addAllowlistEntry,
  listAllowlist,
  removeAllowlistEntry,
  type AllowChange,
} from '../src/policy/manage-allowlist.js';
import { tempStore, type TempStore } from './support/store-fixtures.js';

let temp: TempStore;
let config: LoadedConfig;
beforeEach(async () => {
  temp = await tempStore();
  const file = join(temp.dir, 'iocrelay.yaml');
  writeFileSync(
    file,
    `database: ./var/iocrelay.db
feeds: [{ name: demo, url: ./feed }]
publish: { dir: ./public }
allow: [192.0.2.10, intranet.example]
tenants:
  - id: acme
    allow: [203.0.113.7]
    lists: [{ file: ip.txt, types: [ip] }]
  - id: globex
    lists: [{ file: ip.txt, types: [ip] }]
`,
  );
  config = loadConfig(file, {});
});
afterEach(async () => {
  await temp.cleanup();
});

const change = (overrides: Partial<AllowChange>): AllowChange => ({
  tenant: null,
  value: '198.51.100.23',
  reason: 'bank portal, INC-42',
  actor: 'alice',
  ...overrides,
});

describe('managing the runtime allowlist', () => {
  it('stores the canonical value of a defanged one, with reason and actor trimmed', async () => {
    const entry = await addAllowlistEntry(
      temp.store,
      config,
      change({ tenant: 'acme', value: ' hxxps://Portal.Example[.]test/login ', actor: ' alice ' }),
    );

    expect(entry).toMatchObject({
      id: 1,
      tenant: 'acme',
      kind: 'url',
      value: 'https://portal.example.test/login',
      reason: 'bank portal, INC-42',
      addedBy: 'alice',
    });
  });

  it('lists configured and runtime entries, global first, then each tenant', async () => {
    await addAllowlistEntry(
      temp.store,
      config,
      change({ tenant: 'globex', value: '203.0.113.45' }),
    );
    await addAllowlistEntry(temp.store, config, change({}));

    const views = await listAllowlist(temp.store, config);

    expect(views.map((view) => [view.tenant, view.origin, view.value, view.path])).toEqual([
      [null, 'config', '192.0.2.10', 'allow.0'],
      [null, 'config', 'intranet.example', 'allow.1'],
      [null, 'store', '198.51.100.23', 'store allow #2 "bank portal, INC-42"'],
      ['acme', 'config', '203.0.113.7', 'tenants.0.allow.0'],
      ['globex', 'store', '203.0.113.45', 'store allow #1 "bank portal, INC-42"'],
    ]);
    expect(views[2]).toMatchObject({ id: 2, isRemovable: true, addedBy: 'alice' });
  });

  it.each([
    ['an invalid CIDR', change({ value: '198.51.100.0/33' }), 'ALLOW_ENTRY_INVALID'],
    ['a hash', change({ value: 'd41d8cd98f00b204e9800998ecf8427e' }), 'ALLOW_ENTRY_INVALID'],
    ['a public suffix', change({ value: 'co.uk' }), 'ALLOW_ENTRY_INVALID'],
    ['a wildcard', change({ value: '*.portal.example' }), 'ALLOW_ENTRY_INVALID'],
    ['a blank reason', change({ reason: ' \t ' }), 'ALLOW_REASON_REQUIRED'],
    ['a reason too long', change({ reason: 'x'.repeat(501) }), 'ALLOW_REASON_INVALID'],
    ['a reason with a newline', change({ reason: 'ok\nforged line' }), 'ALLOW_REASON_INVALID'],
    ['an IPv4 /1', change({ value: '128.0.0.0/1' }), 'ALLOW_ENTRY_TOO_WIDE'],
    ['an IPv4 /7', change({ value: '10.0.0.0/7' }), 'ALLOW_ENTRY_TOO_WIDE'],
    ['an IPv6 /31', change({ value: '2001:db8::/31' }), 'ALLOW_ENTRY_TOO_WIDE'],
    ['IPv4 space as IPv4-mapped IPv6', change({ value: '::ffff:0:0/97' }), 'ALLOW_ENTRY_TOO_WIDE'],
    ['IPv4 space as NAT64', change({ value: '64:ff9b::/100' }), 'ALLOW_ENTRY_TOO_WIDE'],
    ['an IPv6 /32 holding all IPv4', change({ value: '64:ff9b::/32' }), 'ALLOW_ENTRY_TOO_WIDE'],
    ['a blank actor', change({ actor: '' }), 'ALLOW_ACTOR_REQUIRED'],
    ['an unknown tenant', change({ tenant: 'initech' }), 'ALLOW_TENANT_UNKNOWN'],
    ['a runtime duplicate', change({ value: '198.51.100[.]23' }), 'ALLOW_ENTRY_EXISTS'],
    ['a tenant copy of a global entry', change({ tenant: 'acme' }), 'ALLOW_ENTRY_EXISTS'],
    ['a copy of a configured entry', change({ value: 'Intranet.Example.' }), 'ALLOW_ENTRY_EXISTS'],
    [
      'a copy of a tenant entry',
      change({ tenant: 'acme', value: '203.0.113.7' }),
      'ALLOW_ENTRY_EXISTS',
    ],
  ])('refuses %s with its code and changes nothing', async (_, refused, code) => {
    await addAllowlistEntry(temp.store, config, change({}));
    const before = temp.dump();

    await expect(addAllowlistEntry(temp.store, config, refused)).rejects.toMatchObject({ code });

    expect(temp.dump()).toEqual(before);
  });

  it.each([
    ['an IPv4 /8', '10.0.0.0/8'],
    ['an IPv6 /32', '2001:db8::/32'],
    ['an IPv4 /8 as IPv4-mapped IPv6', '::ffff:10.0.0.0/104'],
    ['a URL on an IP host', 'http://203.0.113.9/login'],
  ])('accepts %s, the widest a runtime entry may be', async (_, value) => {
    const entry = await addAllowlistEntry(temp.store, config, change({ value }));
    expect(entry.id).toBe(1);
  });

  it('says why a reason is refused, with accurate details', async () => {
    await expect(
      addAllowlistEntry(temp.store, config, change({ reason: 'a\nb' })),
    ).rejects.toMatchObject({
      code: 'ALLOW_REASON_INVALID',
      details: { problem: 'a line break or control character', length: 3 },
    });
    await expect(
      addAllowlistEntry(temp.store, config, change({ reason: 'y'.repeat(501) })),
    ).rejects.toMatchObject({
      code: 'ALLOW_REASON_INVALID',
      details: { problem: 'too long', length: 501, maxLength: 500 },
    });
  });

  it('refuses an entry wider than a /8 naming the limit', async () => {
    await expect(
      addAllowlistEntry(temp.store, config, change({ value: '128.0.0.0/1' })),
    ).rejects.toMatchObject({
      code: 'ALLOW_ENTRY_TOO_WIDE',
      details: { value: '128.0.0.0/1', family: 4, addresses: '2147483648', limit: '/8' },
    });
  });

  it.each([
    ['an unknown id', { id: '7', reason: 'closed', actor: 'bob' }, 'ALLOW_ENTRY_NOT_FOUND'],
    ['a removed id', { id: '2', reason: 'closed', actor: 'bob' }, 'ALLOW_ENTRY_NOT_FOUND'],
    ['no id', { id: '', reason: 'closed', actor: 'bob' }, 'ALLOW_ENTRY_ID_INVALID'],
    ['a hex id', { id: '0x1', reason: 'closed', actor: 'bob' }, 'ALLOW_ENTRY_ID_INVALID'],
    ['an exponent id', { id: '1e0', reason: 'closed', actor: 'bob' }, 'ALLOW_ENTRY_ID_INVALID'],
    ['a zero-led id', { id: '01', reason: 'closed', actor: 'bob' }, 'ALLOW_ENTRY_ID_INVALID'],
    ['a spaced id', { id: ' 1', reason: 'closed', actor: 'bob' }, 'ALLOW_ENTRY_ID_INVALID'],
    [
      'an unsafe id',
      { id: '9999999999999999', reason: 'x', actor: 'bob' },
      'ALLOW_ENTRY_ID_INVALID',
    ],
    ['a blank reason', { id: '1', reason: '', actor: 'bob' }, 'ALLOW_REASON_REQUIRED'],
  ])('refuses to remove %s and changes nothing', async (_, removal, code) => {
    await addAllowlistEntry(temp.store, config, change({}));
    await addAllowlistEntry(temp.store, config, change({ value: '203.0.113.45' }));
    await removeAllowlistEntry(temp.store, { id: '2', reason: 'moved', actor: 'bob' });
    const before = temp.dump();

    await expect(removeAllowlistEntry(temp.store, removal)).rejects.toMatchObject({ code });

    expect(temp.dump()).toEqual(before);
  });
});
