// npm run bench:sync — `iocrelay sync` against a plain download of the same restSearch pages.
// A MISP API server runs in its own process with BENCH_ATTRIBUTES ip-dst attributes
// (default 1,000,000); the plain download and the sync each run in a fresh child process,
// one after the other, against that same server. Prints wall times, peak RSS and the ratio.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ATTRIBUTES = Number(process.env['BENCH_ATTRIBUTES'] ?? 1_000_000);
const PAGE_SIZE = Number(process.env['BENCH_PAGE_SIZE'] ?? 5000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 1);
const API_KEY = 'bench-key-0000000000000000000000000000000000';
const TARGET_RATIO = 1.5;
const TARGET_RSS_MB = 300;

interface Figures {
  readonly wallMs: number;
  readonly maxRssKb: number;
}

const server = spawn(
  process.execPath,
  ['--import', 'tsx', 'bench/bench-server.ts', String(ATTRIBUTES), API_KEY],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const url = await firstLine(server.stdout);
const dir = mkdtempSync(join(tmpdir(), 'iocrelay-bench-'));

try {
  const plain: Figures[] = [];
  const sync: Figures[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    plain.push(
      await runChild(['bench/plain-download.mjs', url, API_KEY, String(PAGE_SIZE)], 'stdout'),
    );
    sync.push(await runChild(['bench/sync-child.mjs', writeConfig(round)], 'fd3'));
  }
  report(best(plain), best(sync));
} finally {
  server.kill('SIGTERM');
}

function writeConfig(round: number): string {
  const file = join(dir, `iocrelay-${round}.yaml`);
  writeFileSync(
    file,
    [
      `database: ./var-${round}/iocrelay.db`,
      'misp:',
      `  url: ${url}`,
      `  api_key: ${API_KEY}`,
      `  page_size: ${PAGE_SIZE}`,
      '  query: { type: [ip-dst], to_ids: true, published: true }',
      'publish:',
      `  dir: ./public-${round}`,
      '# The generated attributes are dated 2024 and would all have expired.',
      'policy: { expiry: { ip: never } }',
      'tenants:',
      '  - id: bench',
      '    lists: [{ file: ip.txt, types: [ip] }]',
      '',
    ].join('\n'),
  );
  return file;
}

async function runChild(args: readonly string[], channel: 'stdout' | 'fd3'): Promise<Figures> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit', 'pipe'] });
  const stream = channel === 'stdout' ? child.stdout : child.stdio[3];
  if (!stream || !('on' in stream)) throw new Error('child has no output stream');
  const line = await firstLine(stream as NodeJS.ReadableStream);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const figures = JSON.parse(line) as Figures & { exitCode?: number };
  if (code !== 0 || (figures.exitCode ?? 0) !== 0)
    throw new Error(`${args.join(' ')} exited with ${code}`);
  return figures;
}

function best(runs: readonly Figures[]): Figures {
  return runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
}

function report(plain: Figures, sync: Figures): void {
  const ratio = sync.wallMs / plain.wallMs;
  const syncRssMb = sync.maxRssKb / 1024;
  const rows = [
    ['', 'wall time', 'peak RSS'],
    [
      'plain download',
      `${(plain.wallMs / 1000).toFixed(2)} s`,
      `${(plain.maxRssKb / 1024).toFixed(0)} MB`,
    ],
    ['iocrelay sync', `${(sync.wallMs / 1000).toFixed(2)} s`, `${syncRssMb.toFixed(0)} MB`],
  ];
  process.stdout.write(
    `bench:sync — ${ATTRIBUTES.toLocaleString('en-US')} ip-dst attributes, page size ${PAGE_SIZE}, best of ${ROUNDS}\n` +
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n\n`,
  );
  for (const row of rows)
    process.stdout.write(`${row.map((cell, i) => cell.padEnd(i === 0 ? 16 : 12)).join('')}\n`);
  process.stdout.write(
    `\nratio sync / plain: ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}) ${ratio <= TARGET_RATIO ? 'OK' : 'MISSED'}\n` +
      `peak RSS of sync: ${syncRssMb.toFixed(0)} MB (target ≤ ${TARGET_RSS_MB} MB) ${syncRssMb <= TARGET_RSS_MB ? 'OK' : 'MISSED'}\n`,
  );
}

function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stream });
    lines.once('line', (line) => {
      resolve(line);
      lines.close();
    });
    lines.once('close', () => reject(new Error('stream closed before a line')));
  });
}
