// npx tsx bench/aggregate-bench.ts — aggregateIps against `iprange --optimize` on the same file.
// Data sets: BENCH_ADDRESSES random IPv4 addresses (default 1,000,000, seeded so runs repeat)
// and the largest real blocklist under ../shared/data/blocklists when that folder exists. Both
// sides do the same work: iprange reads the file, parses, merges and prints (spawnSync captures
// stdout); the JS side reads the file, splits it into entries, aggregates and joins the lines.
// Each side runs BENCH_ROUNDS times (default 3), alternating, and the best time counts; outputs
// must be identical or the bench fails.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatIPv4 } from '../src/normalize/ipv4.js';
import { aggregateIps } from '../src/policy/ip-sets/aggregate-ips.js';

const ADDRESSES = Number(process.env['BENCH_ADDRESSES'] ?? 1_000_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const SEED = 0x1bad5eed;
const TARGET_RATIO = 1.2;
const IPRANGE = process.env['IPRANGE'] ?? 'iprange';
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BLOCKLISTS = join(REPO_ROOT, '..', 'shared', 'data', 'blocklists');

interface Row {
  readonly name: string;
  readonly entries: number;
  readonly lines: number;
  readonly iprangeMs: number;
  readonly aggregateMs: number;
}

// iprange 1.0.4 exits 1 after printing its version, so only a failed spawn means it is absent.
const probe = spawnSync(IPRANGE, ['--version'], { encoding: 'utf8' });
if (probe.error !== undefined) {
  console.error(`${IPRANGE} is not installed (apt-get install iprange); nothing to compare.`);
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'iocrelay-aggregate-bench-'));
const rows: Row[] = [];
try {
  const randomFile = join(dir, 'random-ipv4.txt');
  writeFileSync(randomFile, randomAddresses(ADDRESSES, SEED));
  rows.push(measure(`${ADDRESSES.toLocaleString('en')} random IPv4`, randomFile));

  const largest = largestBlocklist(BLOCKLISTS);
  if (largest === null) console.log(`skipped real blocklist: ${BLOCKLISTS} is missing`);
  else rows.push(measure(largest.slice(BLOCKLISTS.length + 1), largest));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

printTable(rows);

// Throws when the outputs differ, which ends the bench with a failure after the temp folder
// is removed; the times themselves are for the reader.
function measure(name: string, file: string): Row {
  const iprangeTimes: number[] = [];
  const aggregateTimes: number[] = [];
  let iprangeText = '';
  let aggregateText = '';
  let entries = 0;

  for (let round = 0; round < ROUNDS; round++) {
    let started = performance.now();
    iprangeText = runIprange(file);
    iprangeTimes.push(performance.now() - started);

    started = performance.now();
    const values = entriesOf(readFileSync(file, 'utf8'));
    const lines = aggregateIps(values);
    aggregateText = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
    aggregateTimes.push(performance.now() - started);
    entries = values.length;
  }

  if (iprangeText !== aggregateText) {
    throw new Error(`${name}: aggregateIps and iprange --optimize disagree`);
  }
  return {
    name,
    entries,
    lines: aggregateText.split('\n').length - 1,
    iprangeMs: Math.min(...iprangeTimes),
    aggregateMs: Math.min(...aggregateTimes),
  };
}

function runIprange(file: string): string {
  const result = spawnSync(IPRANGE, ['--optimize', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (result.status !== 0) throw new Error(`iprange failed: ${result.stderr}`);
  return result.stdout;
}

// Blocklist lines hold one IP or CIDR; `#` starts a comment, and ipsum.txt adds a tab and a
// count after the address.
function entriesOf(text: string): string[] {
  const values: string[] = [];
  let from = 0;
  while (from < text.length) {
    let newline = text.indexOf('\n', from);
    if (newline < 0) newline = text.length;
    if (newline > from && text.charCodeAt(from) !== 0x23) {
      const line = text.slice(from, newline);
      const tab = line.indexOf('\t');
      values.push(tab < 0 ? line : line.slice(0, tab));
    }
    from = newline + 1;
  }
  return values;
}

// mulberry32: a tiny seeded PRNG, so every run aggregates the same addresses.
function randomAddresses(count: number, seed: number): string {
  let state = seed >>> 0;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    lines.push(formatIPv4((t ^ (t >>> 14)) >>> 0));
  }
  return `${lines.join('\n')}\n`;
}

function largestBlocklist(folder: string): string | null {
  if (!existsSync(folder)) return null;
  const files = listFiles(folder).filter((file) => /\.(netset|ipset|txt)$/.test(file));
  files.sort((a, b) => statSync(b).size - statSync(a).size);
  return files[0] ?? null;
}

function listFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

function printTable(table: readonly Row[]): void {
  const version = probe.stdout.split('\n')[0] ?? IPRANGE;
  console.log(`\n${version}, node ${process.version}, ${cpus()[0]?.model ?? 'cpu'}`);
  console.log(`best of ${ROUNDS}; outputs identical; target ratio <= ${TARGET_RATIO}\n`);

  const header = ['data set', 'entries', 'output lines', 'iprange ms', 'aggregateIps ms', 'ratio'];
  const cells = table.map((row) => [
    row.name,
    row.entries.toLocaleString('en'),
    row.lines.toLocaleString('en'),
    row.iprangeMs.toFixed(0),
    row.aggregateMs.toFixed(0),
    (row.aggregateMs / row.iprangeMs).toFixed(2),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...cells.map((cell) => (cell[i] ?? '').length)),
  );
  const line = (cell: readonly string[]): string =>
    cell
      .map((text, i) => (i === 0 ? text.padEnd(widths[i]!) : text.padStart(widths[i]!)))
      .join('  ');

  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const cell of cells) console.log(line(cell));
}
