import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ERROR_CATALOGUE } from '../src/errors/error-catalogue.js';
import { findChromium } from '../src/report/find-chromium.js';
import { monthReportData, type MonthReport } from '../src/report/month-report-data.js';
import { printPdf } from '../src/report/print-pdf.js';
import { renderReportHtml } from '../src/report/render-report-html.js';
import type { FetchRecord } from '../src/serve/feed-server-options.js';
import { runCli } from './support/cli.js';
import { syncFixture, type SyncFixture } from './support/sync-harness.js';

const DEMO_FEED = join(import.meta.dirname, '..', 'demo', 'feed');
const OUTPUT = join(import.meta.dirname, '..', '.test-output');
const LOADER_EVENT = '53fa0038-fea9-53d6-8853-8f9200f33c57';
const PHISHING_EVENT = 'e2e5ee76-d53c-54d4-b803-dda9e35aa984';
const HOSTILE_INFO = '<script>alert("pwned")</script> & <img src=x onerror=alert(1)>';
const MINUTE = 60_000;
const DAY = 86_400_000;
/** First sync: every demo indicator is published; second sync: the phishing event is gone. */
const T1 = Date.UTC(2026, 10, 10);
const T2 = Date.UTC(2026, 10, 20);
/** Every attribute's MISP timestamp: ten minutes before the first sync. */
const T_MISP = T1 - 10 * MINUTE;
const ACME_LISTS = ['ip.txt', 'domain.txt', 'url.txt', 'sha256.txt'] as const;
const KIND_OF_LIST = {
  'ip.txt': 'ip',
  'domain.txt': 'domain',
  'url.txt': 'url',
  'sha256.txt': 'sha256',
};

let feedDir = '';
let fixture: SyncFixture;
/** Entries of each acme list after the first and the second sync. */
const linesAt: Record<'first' | 'second', Record<string, number>> = { first: {}, second: {} };
let november: MonthReport;

/**
 * The demo feed with known MISP timestamps and a hostile event info, synced twice in
 * November 2026, and device fetches written to the log at known times.
 */
beforeAll(async () => {
  feedDir = mkdtempSync(join(tmpdir(), 'iocrelay-report-feed-'));
  cpSync(DEMO_FEED, feedDir, { recursive: true });
  rewriteFeed(feedDir);

  fixture = await syncFixture(`database: ./var/iocrelay.db
feeds: [{ name: demo, url: ${feedDir} }]
publish: { dir: ./public }
server: { listen: 127.0.0.1:0, stale_after: 1d }
tlp_default: amber
policy: { expiry: { ip: never, domain: never, url: never } }
tenants:
  - id: acme
    owner_tag: customer:acme
    lists:
${ACME_LISTS.map((file) => `      - { file: ${file}, types: [${KIND_OF_LIST[file]}] }`).join('\n')}
  - id: globex
    lists: [{ file: ip.txt, types: [ip] }, { file: domain.txt, types: [domain] }]
`);
  await fixture.sync({ now: T1 });
  for (const list of ACME_LISTS) linesAt.first[list] = entries(fixture.list('acme', list));
  const sha = Object.fromEntries(
    await Promise.all(
      ACME_LISTS.map(async (list) => [
        list,
        (await fixture.store.lastPublication('acme', list))!.sha256,
      ]),
    ),
  ) as Record<string, string>;

  removeEvent(feedDir, PHISHING_EVENT);
  const second = await fixture.sync({ now: T2, isFullForced: true, isForced: true });
  expect(second.status).toBe('ok');
  for (const list of ACME_LISTS) linesAt.second[list] = entries(fixture.list('acme', list));

  await fixture.store.recordFetches(fetches(sha));
  november = await monthReportData(fixture.store, fixture.config, 'acme', '2026-11', T2 + 30 * DAY);
}, 60_000);

afterAll(async () => {
  await fixture.close();
  rmSync(fixture.dir, { recursive: true, force: true });
  rmSync(feedDir, { recursive: true, force: true });
});

describe('monthly report figures', () => {
  it('counts the indicators listed in the month by kind, as the list files carry them', () => {
    const expected = ACME_LISTS.map((list) => ({
      kind: KIND_OF_LIST[list],
      indicators: linesAt.first[list],
    })).sort((a, b) => a.kind.localeCompare(b.kind));

    // Only removals happened in the month: the first sync's lists hold every indicator.
    expect(ACME_LISTS.some((list) => linesAt.second[list]! < linesAt.first[list]!)).toBe(true);
    expect(november.rows.byKind).toEqual(expected);
    expect(november.rows.indicators).toBe(sum(Object.values(linesAt.first)));
    expect(november.rows.bySource).toEqual([
      { source: 'feed:demo', indicators: november.rows.indicators },
    ]);
    expect(november.rows.withoutSource).toBe(0);
  });

  it('gives the additions and removals of each day', () => {
    const added = sum(Object.values(linesAt.first));
    const removed = added - sum(Object.values(linesAt.second));
    expect(removed).toBeGreaterThan(0);
    expect(november.rows.days).toEqual([
      { day: T1, added, removed: 0 },
      { day: T2, added: 0, removed },
    ]);
  });

  it('gives each device seen in the month its uptime over stale_after intervals', () => {
    expect(november.intervals).toBe(30);
    expect(november.devices).toEqual([
      {
        device: 'acme-fw',
        clientIp: '192.0.2.7',
        activeIntervals: 10,
        uptime: 10 / 30,
        fetches: 12,
        lastFetchAt: T1 + 9 * DAY + 30 * MINUTE,
      },
      {
        device: 'token#1',
        clientIp: '198.51.100.3',
        activeIntervals: 0,
        uptime: 0,
        fetches: 1,
        lastFetchAt: T1 + 5 * 60 * MINUTE,
      },
    ]);
  });

  it('gives the median and 90th percentile time to block of known deliveries', () => {
    // ip.txt fetched 30 min after publication, domain.txt 60, sha256.txt 120, url.txt never;
    // MISP recorded every attribute 10 min before publication.
    const samples = [
      ...Array<number>(linesAt.first['ip.txt']!).fill(40 * MINUTE),
      ...Array<number>(linesAt.first['domain.txt']!).fill(70 * MINUTE),
      ...Array<number>(linesAt.first['sha256.txt']!).fill(130 * MINUTE),
    ];
    const rank = (p: number): number => samples[Math.ceil(p * samples.length) - 1]!;

    expect(november.timeToBlock).toEqual({
      firstPublished: november.rows.indicators,
      delivered: samples.length,
      medianMs: rank(0.5),
      p90Ms: rank(0.9),
    });
    expect(november.timeToBlock.p90Ms).toBe(130 * MINUTE);
  });

  it('ranks the MISP events by indicators given to the tenant, never another tenant’s', async () => {
    expect(november.rows.topEvents[0]).toEqual({
      source: 'feed:demo',
      uuid: LOADER_EVENT,
      mispId: null,
      info: HOSTILE_INFO,
      orgName: 'Example SOC',
      indicators: 9,
    });
    expect(november.rows.topEvents.map((e) => e.info)).not.toContain(
      'Internal incident, not to be shared',
    );

    const globex = await monthReportData(
      fixture.store,
      fixture.config,
      'globex',
      '2026-11',
      T2 + DAY,
    );
    expect(globex.rows.topEvents.map((e) => e.uuid)).not.toContain(LOADER_EVENT);
    expect(globex.devices).toEqual([
      expect.objectContaining({ device: 'globex-fw', activeIntervals: 1 }),
    ]);
  });

  it('counts what a list carried when the month began', async () => {
    const december = await monthReportData(
      fixture.store,
      fixture.config,
      'acme',
      '2026-12',
      Date.UTC(2026, 11, 3),
    );
    expect(december.rows.indicators).toBe(sum(Object.values(linesAt.second)));
    expect(december.rows.days).toEqual([]);
    expect(december.timeToBlock).toEqual({
      firstPublished: 0,
      delivered: 0,
      medianMs: null,
      p90Ms: null,
    });
    expect(december.intervals).toBe(2);
  });
});

describe('monthly report output', () => {
  it('writes self-contained HTML with every MISP value escaped', () => {
    const html = renderReportHtml(november);
    saveSample('acme-2026-11.html', html);

    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &lt;img');
    expect(html).not.toMatch(/<script|<img|<link|<iframe|src="http/i);
    expect(html).toContain('UTC month boundaries');
    expect(html).toContain(`<b>${november.rows.indicators}</b>`);
    expect(html).toContain('<td>acme-fw</td><td>192.0.2.7</td><td>33.3%</td><td>10 / 30</td>');
    expect(html.match(/<svg /g)).toHaveLength(2);
  });

  it('prints a PDF with Chromium', async (context) => {
    const chromium = findChromium();
    if (chromium === null) {
      context.skip('no Chromium (install chromium or set IOCRELAY_CHROMIUM)');
      return;
    }
    const pdf = await printPdf(renderReportHtml(november), chromium);
    saveSample('acme-2026-11.pdf', pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    const text = spawnSync('pdftotext', ['-layout', join(OUTPUT, 'acme-2026-11.pdf'), '-'], {
      encoding: 'utf8',
    });
    if (text.error !== undefined) {
      context.skip('pdftotext not installed (poppler-utils): PDF text not checked');
      return;
    }
    expect(text.stdout).toContain('Blocklist report: acme, November 2026');
    expect(text.stdout).toMatch(new RegExp(`Indicators blocked\\s+${november.rows.indicators}\\b`));
    expect(text.stdout).toContain('33.3%');
  }, 60_000);
});

describe.concurrent('iocrelay report', () => {
  it('writes the report to --out', async () => {
    const out = join(fixture.dir, 'acme.html');
    const result = await runCli([
      'report',
      '--config',
      configFile(),
      '--tenant',
      'acme',
      '--month',
      '2026-11',
      '--out',
      out,
    ]);

    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('Blocklist report: acme, November 2026');
  }, 60_000);

  it('refuses an existing --out without --force, then replaces it with --force', async () => {
    const out = join(fixture.dir, 'kept.yaml');
    writeFileSync(out, 'database: ./var/iocrelay.db\n');
    const args = ['report', '--config', configFile(), '--tenant', 'acme', '--month', '2026-11'];

    const refused = await runCli([...args, '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      `error REPORT_TARGET_EXISTS: ${ERROR_CATALOGUE.REPORT_TARGET_EXISTS.message}\n  target: ${out}\n`,
    );
    expect(readFileSync(out, 'utf8')).toBe('database: ./var/iocrelay.db\n');

    const forced = await runCli([...args, '--out', out, '--force']);
    expect(forced).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(out, 'utf8')).toContain('Blocklist report: acme, November 2026');
    expect(readdirSync(fixture.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  }, 60_000);

  it('exits 1 with REPORT_WRITE_FAILED when the --out folder is missing', async () => {
    const out = join(fixture.dir, 'missing-dir', 'acme.html');
    const args = ['--tenant', 'acme', '--month', '2026-11', '--out', out];
    const result = await runCli(['report', '--config', configFile(), ...args]);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n');
    expect(lines[0]).toBe(
      `error REPORT_WRITE_FAILED: ${ERROR_CATALOGUE.REPORT_WRITE_FAILED.message}`,
    );
    expect(lines[1]).toBe(`  path: ${out}`);
    expect(lines[2]).toMatch(/^ {2}problem: ENOENT: no such file or directory/);
    expect(result.stderr).not.toContain('INTERNAL');
    expect(existsSync(join(fixture.dir, 'missing-dir'))).toBe(false);
  }, 60_000);

  it('prints a PDF when --out ends in .pdf', async (context) => {
    const chromium = findChromium();
    if (chromium === null) {
      context.skip('no Chromium (install chromium or set IOCRELAY_CHROMIUM)');
      return;
    }
    const out = join(fixture.dir, 'acme.pdf');
    const args = ['--tenant', 'acme', '--month', '2026-11', '--out', out];
    const result = await runCli(['report', '--config', configFile(), ...args], {
      IOCRELAY_CHROMIUM: chromium,
    });

    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);

  it.each([
    [
      'a month not written YYYY-MM',
      ['--tenant', 'acme', '--month', '2026-13'],
      'REPORT_MONTH_INVALID',
    ],
    ['a month not begun', ['--tenant', 'acme', '--month', '2999-01'], 'REPORT_MONTH_INVALID'],
    ['a month before 1970', ['--tenant', 'acme', '--month', '0000-01'], 'REPORT_MONTH_INVALID'],
    ['an unknown tenant', ['--tenant', 'initech', '--month', '2026-11'], 'REPORT_TENANT_UNKNOWN'],
  ])(
    'exits 2 on %s',
    async (_case, args, code) => {
      const result = await runCli(['report', '--config', configFile(), ...args]);

      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n')[0]).toMatch(new RegExp(`^error ${code}: `));
    },
    30_000,
  );
});

function configFile(): string {
  return join(fixture.dir, 'iocrelay.yaml');
}

function fetches(sha: Record<string, string>): FetchRecord[] {
  const fetch = (list: string, at: number, overrides: Partial<FetchRecord> = {}): FetchRecord => ({
    tenant: 'acme',
    list,
    device: 'acme-fw',
    clientIp: '192.0.2.7',
    userAgent: 'PAN-OS 11.1',
    method: 'GET',
    status: 200,
    sha256: sha[list] ?? null,
    bytes: 100,
    at,
    ...overrides,
  });
  return [
    fetch('ip.txt', T1 + 30 * MINUTE),
    fetch('domain.txt', T1 + 60 * MINUTE),
    fetch('sha256.txt', T1 + 120 * MINUTE),
    // One revalidation a day for nine more days: ten days of November with a fetch.
    ...Array.from({ length: 9 }, (_, k) =>
      fetch('ip.txt', T1 + (k + 1) * DAY + 30 * MINUTE, { status: 304 }),
    ),
    // Right token from outside allowed_clients: a device of the tenant, never served.
    fetch('ip.txt', T1 + 5 * 60 * MINUTE, {
      device: 'token#1',
      clientIp: '198.51.100.3',
      status: 403,
      sha256: null,
    }),
    // Not the tenant's: no credentials; and fetches outside November.
    fetch('ip.txt', T1, { device: null, status: 401, sha256: null }),
    fetch('ip.txt', Date.UTC(2026, 9, 15), { device: 'old-fw', clientIp: '192.0.2.9' }),
    fetch('ip.txt', Date.UTC(2026, 11, 1), { status: 304 }),
    fetch('ip.txt', T1 + DAY, {
      tenant: 'globex',
      device: 'globex-fw',
      clientIp: '203.0.113.5',
      sha256: null,
    }),
  ];
}

function rewriteFeed(dir: string): void {
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<
    string,
    { info: string }
  >;
  manifest[LOADER_EVENT]!.info = HOSTILE_INFO;
  writeFileSync(manifestPath, JSON.stringify(manifest));

  for (const uuid of Object.keys(manifest)) {
    const path = join(dir, `${uuid}.json`);
    const file = JSON.parse(readFileSync(path, 'utf8')) as {
      Event: {
        info: string;
        Attribute?: { timestamp: string }[];
        Object?: { Attribute: { timestamp: string }[] }[];
      };
    };
    if (uuid === LOADER_EVENT) file.Event.info = HOSTILE_INFO;
    const attributes = [
      ...(file.Event.Attribute ?? []),
      ...(file.Event.Object ?? []).flatMap((o) => o.Attribute),
    ];
    for (const attribute of attributes) attribute.timestamp = String(T_MISP / 1000);
    writeFileSync(path, JSON.stringify(file));
  }
}

function removeEvent(dir: string, uuid: string): void {
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  delete manifest[uuid];
  writeFileSync(manifestPath, JSON.stringify(manifest));
  rmSync(join(dir, `${uuid}.json`));
}

function entries(text: string): number {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function saveSample(name: string, content: string | Buffer): void {
  mkdirSync(OUTPUT, { recursive: true });
  writeFileSync(join(OUTPUT, name), content);
  expect(existsSync(join(OUTPUT, name))).toBe(true);
}
