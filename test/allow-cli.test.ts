import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { silentLogger } from '../src/log/logger.js';
import { openStore } from '../src/store/store.js';
import { runCli, type CliResult } from './support/cli.js';

const DEMO_FEED = join(import.meta.dirname, '..', 'demo', 'feed');
const ISO = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;
// Both TLP:GREEN IPs of the demo feed, as every tenant's IP list carries them.
const BOTH = '198.51.100.23\n203.0.113.45\n';
// Each step is a child process, as cron or a SOC script runs it: seconds apiece on a busy host.
const SLOW = 300_000;

let dir = '';
let file = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'iocrelay-allow-'));
  cpSync(DEMO_FEED, join(dir, 'feed'), { recursive: true });
  file = join(dir, 'iocrelay.yaml');
  writeFileSync(
    file,
    `database: ./var/iocrelay.db
feeds: [{ name: demo, url: ./feed }]
publish: { dir: ./public }
allow: [192.0.2.10]
policy: { expiry: { ip: never, domain: never, url: never } }
tenants:
  - id: acme
    lists: [{ file: ip.txt, types: [ip] }]
  - id: globex
    lists: [{ file: ip.txt, types: [ip] }]
`,
  );
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function iocrelay(...args: string[]): Promise<CliResult> {
  return runCli([...args, '--config', file], { USER: 'soc-bot' });
}

async function sync(): Promise<void> {
  const result = await iocrelay('sync');
  expect(result.code, result.stderr).toBe(0);
}

function list(tenant: string): string {
  return readFileSync(join(dir, 'public', tenant, 'ip.txt'), 'utf8');
}

async function json(...args: string[]): Promise<unknown> {
  const result = await iocrelay(...args, '--json');
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

describe('iocrelay allow', { timeout: SLOW }, () => {
  it('takes a value off every list at the next sync, names the entry, and brings it back on removal', async () => {
    await sync();
    expect([list('acme'), list('globex')]).toEqual([BOTH, BOTH]);

    const added = await iocrelay(
      'allow',
      'add',
      '198.51.100[.]23',
      '--reason',
      'bank portal, INC-42',
      '--actor',
      'alice',
    );
    expect(added).toEqual({
      code: 0,
      stdout: `added store allow #1 "bank portal, INC-42": 198.51.100.23 (ip) for every tenant, by alice\nthe next sync takes it off the lists: iocrelay sync --config ${file}\n`,
      stderr: '',
    });
    expect(list('acme')).toBe(BOTH);

    await sync();
    expect([list('acme'), list('globex')]).toEqual(['203.0.113.45\n', '203.0.113.45\n']);
    const detail = 'allowlist: allowlisted by store allow #1 "bank portal, INC-42" (198.51.100.23)';
    const explained = (await iocrelay('explain', '198.51.100.23', '--tenant', 'acme')).stdout;
    expect(explained).toContain(`    acme/ip.txt: not listed (${detail})\n`);
    const changes = (await iocrelay('changes', '--tenant', 'acme')).stdout;
    expect(changes).toContain(`  - 198.51.100.23  (${detail})\n`);

    const removed = await iocrelay('allow', 'remove', '1', '--reason', 'INC-42 closed');
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe(
      `removed store allow #1 "bank portal, INC-42": 198.51.100.23 (ip) for every tenant, by soc-bot\nthe next sync lists it again if a source still gives it: iocrelay sync --config ${file}\n`,
    );
    await sync();
    expect([list('acme'), list('globex')]).toEqual([BOTH, BOTH]);

    const log = await iocrelay('allow', 'log');
    expect(log.stdout).toMatch(
      new RegExp(
        `^${ISO}  soc-bot  remove #1  198\\.51\\.100\\.23 \\(ip\\) for every tenant: INC-42 closed\n` +
          `${ISO}  alice  add #1  198\\.51\\.100\\.23 \\(ip\\) for every tenant: bank portal, INC-42\n$`,
      ),
    );
    const records = (await json('allow', 'log', '--limit', '1')) as Record<string, unknown>[];
    expect(records).toEqual([
      {
        id: 2,
        at: expect.any(Number),
        actor: 'soc-bot',
        action: 'remove',
        entryId: 1,
        tenant: null,
        kind: 'ip',
        value: '198.51.100.23',
        reason: 'INC-42 closed',
      },
    ]);
  });

  it('applies a tenant entry to that tenant only', async () => {
    const added = await iocrelay(
      'allow',
      'add',
      '203.0.113.45',
      '--tenant',
      'globex',
      '--reason',
      'globex NAT gateway',
    );
    expect(added.code, added.stderr).toBe(0);
    await sync();

    expect(list('acme')).toBe(BOTH);
    expect(list('globex')).toBe('198.51.100.23\n');
    expect(await json('allow', 'list', '--tenant', 'acme')).toEqual([
      {
        origin: 'config',
        isRemovable: false,
        tenant: null,
        kind: 'ip',
        value: '192.0.2.10',
        path: 'allow.0',
      },
    ]);
    const listed = await iocrelay('allow', 'list');
    expect(listed.stdout).toMatch(
      new RegExp(
        `^every tenant:\n  192\\.0\\.2\\.10 \\(ip\\)  config allow\\.0\n` +
          `tenant globex:\n  203\\.0\\.113\\.45 \\(ip\\)  #1 by soc-bot at ${ISO}: globex NAT gateway\n$`,
      ),
    );
  });

  it('exits 2 on a refused change and writes nothing', async () => {
    const first = await iocrelay('allow', 'add', '198.51.100.23', '--reason', 'bank portal');
    expect(first.code, first.stderr).toBe(0);

    const duplicate = await iocrelay('allow', 'add', '198.51.100[.]23', '--reason', 'again');
    const blank = await iocrelay('allow', 'remove', '1', '--reason', ' ');
    const hex = await iocrelay('allow', 'remove', '0x1', '--reason', 'closed');
    const wide = await iocrelay('allow', 'add', '128.0.0.0/1', '--reason', 'x');

    expect(duplicate).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error ALLOW_ENTRY_EXISTS: The value is already allowlisted for that tenant or for every tenant (the existing entry is in the details). Nothing was changed; remove the existing entry first to change its reason.\n' +
        '  value: 198.51.100.23\n  tenant: every tenant\n  existing: store allow #1 "bank portal"\n',
    });
    expect(blank.code).toBe(2);
    expect(blank.stderr).toMatch(/^error ALLOW_REASON_REQUIRED: /);
    expect([hex.code, hex.stdout]).toEqual([2, '']);
    expect(hex.stderr).toMatch(/^error ALLOW_ENTRY_ID_INVALID: .*\n {2}id: "0x1"\n$/);
    expect([wide.code, wide.stdout]).toEqual([2, '']);
    expect(wide.stderr).toMatch(/^error ALLOW_ENTRY_TOO_WIDE: .*\n {2}value: 128\.0\.0\.0\/1\n/);
    const store = await openStore({ path: join(dir, 'var', 'iocrelay.db'), log: silentLogger() });
    try {
      expect((await store.allowEntries()).map((entry) => entry.id)).toEqual([1]);
      expect((await store.auditLog({ limit: 10 })).map((record) => record.action)).toEqual(['add']);
    } finally {
      await store.close();
    }
  });
});
