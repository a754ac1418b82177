// node --import tsx bench/dashboard-bench.ts — the dashboard's read queries on a store of
// 1M indicators. Builds a throwaway database with raw SQL (1M indicators with one attribute
// each, 250k entries on one list, 90 days of runs every 5 minutes with a publication of each
// of 4 lists per run, one in ten of them `published` with 50 changes, 1 % failed runs),
// then times each query (best of 5, after one warm-up) and prints its query plan.
//
// Options: BENCH_INDICATORS (default 1000000).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { silentLogger } from '../src/log/logger.js';
import { openStore } from '../src/store/store.js';

const INDICATORS = Number(process.env['BENCH_INDICATORS'] ?? 1_000_000);
const LISTS = ['ip.txt', 'domain.txt', 'url.txt', 'sha256.txt'];
const KINDS = ['ip', 'domain', 'url', 'sha256'];
const DAY = 86_400_000;
const RUNS = 90 * 288;
const now = Date.now();

const dir = mkdtempSync(join(tmpdir(), 'iocrelay-dashboard-bench-'));
const path = join(dir, 'bench.db');
const setup = await openStore({ path, log: silentLogger() });
await setup.close();
fill(new Database(path));

const store = await openStore({ path, log: silentLogger() });
const queries = store.dashboardQueries();
const lists = LISTS.map((list) => ({ tenant: 'acme', list }));

const results: [string, number][] = [];
results.push(['indicatorCounts', await time(() => queries.indicatorCounts())]);
results.push([
  'dailyChanges 30 days',
  await time(() => queries.dailyChanges(lists, now - 30 * DAY)),
]);
results.push(['failedRuns page', await time(() => queries.failedRuns(10))]);
results.push(['publications page', await time(() => queries.publications(lists, 20, 50))]);
results.push(['newestListed 20', await time(() => queries.newestListed(lists[0]!, 20))]);
results.push(['lastPublication', await time(() => store.lastPublication('acme', 'ip.txt'))]);
results.push([
  'lookupIndicator',
  await time(() => store.lookupIndicator('ip', value(INDICATORS - 8))),
]);
results.push(['timeToBlock', await time(() => store.timeToBlock(INDICATORS - 8))]);
results.push(['recentRuns 20', await time(() => store.recentRuns(20))]);
await store.close();

console.log(`store: ${INDICATORS} indicators, ${RUNS} runs, ${RUNS * LISTS.length} publications`);
for (const [name, ms] of results) console.log(`${name.padEnd(24)} ${ms.toFixed(2)} ms`);
printPlans(new Database(path, { readonly: true }));
rmSync(dir, { recursive: true, force: true });

async function time(work: () => Promise<unknown>): Promise<number> {
  await work();
  let best = Infinity;
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    await work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

function value(id: number): string {
  return `10.${(id >> 16) & 255}.${(id >> 8) & 255}.${id & 255}`;
}

function fill(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const start = now - 90 * DAY;
  db.transaction(() => {
    db.prepare(
      `INSERT INTO event (id, source, uuid, info, tags, first_stored_at, updated_at)
       VALUES (1, 'misp', 'e-1', 'bench', '[]', ?, ?)`,
    ).run(start, start);
    const indicator = db.prepare(
      'INSERT INTO indicator (id, kind, value, sort_key, first_stored_at) VALUES (?, ?, ?, ?, ?)',
    );
    const attribute = db.prepare(
      `INSERT INTO attribute (source, uuid, indicator_id, event_id, type, raw_value, to_ids,
         deleted, present, timestamp, tags, comment, first_stored_at, updated_at, seen_run)
       VALUES ('misp', ?, ?, 1, 'ip-dst', ?, 1, 0, 1, ?, '[]', '', ?, ?, 1)`,
    );
    for (let id = 1; id <= INDICATORS; id += 1) {
      const kind = KINDS[id % 4] ?? 'ip';
      const text = kind === 'ip' ? value(id) : `${kind}-${id}.example`;
      indicator.run(id, kind, `${text}#${id}`, `${kind}${id}`, start);
      attribute.run(`a-${id}`, id, text, Math.floor(start / 1000), start, start);
    }
    const entry = db.prepare("INSERT INTO list_entry VALUES ('acme', 'ip.txt', ?)");
    for (let id = INDICATORS; id > INDICATORS - 250_000 * 4; id -= 4) entry.run(id);

    const run = db.prepare(
      'INSERT INTO run (id, started_at, finished_at, status, error_code, summary) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const publication = db.prepare(
      `INSERT INTO publication (run_id, tenant, list, published_at, entries, sha256, bytes,
         status, added, removed) VALUES (?, 'acme', ?, ?, 250000, 'x', 1, ?, ?, ?)`,
    );
    const change = db.prepare(
      'INSERT INTO list_change (publication_id, indicator_id, change) VALUES (?, ?, ?)',
    );
    for (let id = 1; id <= RUNS; id += 1) {
      const at = start + id * 300_000;
      const failed = id % 100 === 0;
      run.run(
        id,
        at,
        at + 5000,
        failed ? 'failed' : 'ok',
        failed ? 'MISP_TIMEOUT' : null,
        JSON.stringify({
          sources: [{ source: 'misp', status: failed ? 'failed' : 'ok' }],
          ...(failed ? { error: { code: 'MISP_TIMEOUT', message: 'timed out' } } : {}),
        }),
      );
      if (failed) continue;
      for (const list of LISTS) {
        const isPublished = id % 10 === 0;
        const info = publication.run(
          id,
          list,
          at,
          isPublished ? 'published' : 'unchanged',
          isPublished ? 25 : 0,
          isPublished ? 25 : 0,
        );
        if (!isPublished) continue;
        for (let k = 0; k < 50; k += 1) {
          change.run(
            info.lastInsertRowid,
            1 + ((id * 50 + k) % INDICATORS),
            k % 2 ? 'added' : 'removed',
          );
        }
      }
    }
  })();
  db.close();
}

function printPlans(db: Database.Database): void {
  const plans: [string, string][] = [
    ['indicatorCounts', 'SELECT kind, count(*) FROM indicator GROUP BY kind ORDER BY kind'],
    [
      'publications of a list',
      `SELECT * FROM publication WHERE tenant = 'acme' AND list = 'ip.txt'
      AND status = 'published' AND id < 99999999 ORDER BY id DESC LIMIT 20`,
    ],
    [
      'changes of a publication',
      `SELECT i.kind, i.value FROM list_change c JOIN indicator i
      ON i.id = c.indicator_id WHERE c.publication_id = 5 AND c.change = 'removed' LIMIT 50`,
    ],
    [
      'failed runs',
      `SELECT id FROM run WHERE status = 'failed' AND id < 99999999
      ORDER BY id DESC LIMIT 10`,
    ],
    [
      'newest listed',
      `SELECT e.indicator_id FROM list_entry e JOIN indicator i ON i.id =
      e.indicator_id WHERE e.tenant = 'acme' AND e.list = 'ip.txt' ORDER BY e.indicator_id DESC LIMIT 20`,
    ],
  ];
  for (const [name, sql] of plans) {
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[];
    console.log(`${name}: ${rows.map((row) => row.detail).join(' | ')}`);
  }
  db.close();
}
