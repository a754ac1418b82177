// npm run bench:serve — the feed server against nginx serving the same list from disk.
// A ~100 KB plain list of documentation addresses is served by createFeedServer (one tenant,
// Bearer token, from the in-memory catalog) and by nginx (one worker, sendfile, ETag, no access
// log) on loopback. wrk (2 threads, 50 connections) measures 200 answers and 304 answers (each
// server's own ETag in If-None-Match), then 500 connections against iocrelay alone. iocrelay
// runs in three forms: as the tests build it (silent logger, no onFetch), with a trivial
// onFetch, and with onFetch and the info log of `iocrelay serve` written to /dev/null. A bare
// fastify route (bare-fastify.ts) shows what node and fastify alone reach on this machine, a bare
// node:http handler (bare-node.ts) what node alone reaches.
//
// Checks, any of which fails the bench: no socket error; every 304 run answered 304 (a wrk Lua
// hook counts the others); every 200 run had no 4xx/5xx (wrk's count) and at least the list's
// size per answer. 200s are not counted one by one: wrk's hook would copy each body into Lua.
//
// wrk's timeout is 30 s rather than its default 2 s: a slower answer is then in the latency
// figures instead of being left out of them and counted as a socket error, and a timeout means
// an answer that did not come. At 500 connections node takes seconds to accept them all (see
// docs/benchmarks.md), and those first answers are the slow ones.
//
// On a machine of 2 cores or more the bench pins itself (and so the iocrelay servers and the
// nginx it starts) to CPU 0 and wrk to the other CPUs: each server has exactly one core, wrk
// never takes it, and runs repeat (unpinned, one run's ratio differed from the next by 30%).
// The 50-connection runs go round BENCH_ROUNDS times (default 3), alternating the servers, and
// each server's best run counts.
//
// Options: BENCH_DURATION (seconds per run, default 10), BENCH_WARMUP (default 2),
// BENCH_ROUNDS (default 3), BENCH_PIN=0 (no pinning: servers and wrk share every core).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, chmodSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { request } from 'undici';
import { createBatchedDestination } from '../src/log/batched-destination.js';
import { createLogger, silentLogger, type Logger } from '../src/log/logger.js';
import { createFeedServer, type FeedServer } from '../src/serve/create-feed-server.js';
import { createFeedCatalog, type FeedCatalog } from '../src/serve/feed-catalog.js';
import type { FetchRecord } from '../src/serve/feed-server-options.js';
import { startBareFastify, type BareFastify } from './bare-fastify.js';
import { startBareNode, type BareNode } from './bare-node.js';
import { nginxVersion, startNginx, type NginxServer } from './nginx-static.js';
import { runWrk, wrkVersion, type WrkResult } from './wrk-run.js';

const DURATION_S = Number(process.env['BENCH_DURATION'] ?? 10);
const WARMUP_S = Number(process.env['BENCH_WARMUP'] ?? 2);
const TIMEOUT_S = 30;
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const THREADS = 2;
const CONNECTIONS = 50;
const MANY_CONNECTIONS = 500;
const LIST_BYTES = 100_000;
const TARGETS = { 200: 0.8, 304: 0.5 } as const;
const TENANT = 'bench';
const LIST = 'ip.txt';
const PATH = `/feeds/${TENANT}/${LIST}`;
const AUTHORIZATION = 'Bearer bench-feed-token-0123456789abcdef';
const BARE = 'fastify, bare route';
const BARE_NODE = 'node:http, bare handler';

interface Target {
  readonly name: string;
  readonly base: string;
  etag: string;
}

interface Row {
  readonly status: 200 | 304;
  readonly connections: number;
  readonly target: Target;
  readonly result: WrkResult;
}

const wrk = wrkVersion();
const nginx = nginxVersion();
if (wrk === null || nginx === null) {
  const missing = [wrk === null ? 'wrk' : null, nginx === null ? 'nginx' : null].filter(Boolean);
  const verb = missing.length > 1 ? 'are' : 'is';
  console.error(
    `${missing.join(' and ')} ${verb} not installed (apt-get install wrk nginx-light); ` +
      'nothing to compare.',
  );
  process.exit(1);
}

const cores = cpus().length;
const memory = `${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
const wrkCpus = pinToFirstCpu();
console.log(`machine: ${cpus()[0]?.model ?? 'cpu'}, ${cores} cores, ${memory}`);
console.log(`node ${process.version}, ${nginx}, ${wrk}`);
console.log(
  wrkCpus === undefined
    ? `one core per server: node answers on one thread and nginx runs worker_processes 1; ` +
        `wrk (${THREADS} threads) shares all ${cores} cores with them (not pinned).`
    : `one core per server: node answers on one thread and nginx runs worker_processes 1, ` +
        `both pinned to CPU 0; wrk (${THREADS} threads) runs on CPU ${wrkCpus}.`,
);

const dir = mkdtempSync(join(tmpdir(), 'iocrelay-serve-bench-'));
const servers: FeedServer[] = [];
let reference: NginxServer | undefined;
let bare: BareFastify | undefined;
let bareNode: BareNode | undefined;
const problems: string[] = [];
const rows: Row[] = [];
try {
  // nginx workers drop root for `nobody`: they must be able to read the list.
  chmodSync(dir, 0o755);
  const list = documentationList(LIST_BYTES);
  const root = join(dir, 'www');
  mkdirSync(join(root, 'feeds', TENANT), { recursive: true });
  writeFileSync(join(root, 'feeds', TENANT, LIST), list);
  console.log(`list: ${list.length.toLocaleString('en')} bytes, ${entriesOf(list)} entries\n`);

  const catalog = createFeedCatalog();
  catalog.put(TENANT, LIST, {
    bytes: list,
    contentType: 'text/plain; charset=utf-8',
    entries: entriesOf(list),
    publishedAt: Date.now(),
  });
  const buffered: FetchRecord[] = [];
  const drain = setInterval(() => void buffered.splice(0), 1_000).unref();
  const onFetch = (record: FetchRecord): void => void buffered.push(record);
  // As `iocrelay serve` logs (stderrDestination), written to /dev/null.
  const infoLog = createLogger({
    level: 'info',
    destination: createBatchedDestination(pino.destination({ dest: '/dev/null', sync: true })),
  });

  reference = await startNginx({ prefix: join(dir, 'nginx'), root, authorization: AUTHORIZATION });
  bare = await startBareFastify(PATH, list, AUTHORIZATION);
  bareNode = await startBareNode(PATH, list, AUTHORIZATION);
  const targets: Target[] = [
    { name: 'nginx', base: reference.base, etag: '' },
    { name: BARE_NODE, base: bareNode.base, etag: '' },
    { name: BARE, base: bare.base, etag: '' },
    await feedServer('iocrelay', catalog, silentLogger()),
    await feedServer('iocrelay + onFetch', catalog, silentLogger(), onFetch),
    await feedServer('iocrelay + onFetch + info log', catalog, infoLog, onFetch),
  ];
  for (const target of targets) target.etag = await firstAnswer(target, list);

  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`round ${round} of ${ROUNDS}`);
    for (const status of [200, 304] as const) {
      for (const target of targets) rows.push(await measure(target, status, CONNECTIONS));
    }
  }
  const manyTargets = targets.filter(
    (target) => target.name === BARE || target.name === 'iocrelay',
  );
  for (const target of manyTargets) rows.push(await measure(target, 200, MANY_CONNECTIONS));
  clearInterval(drain);
} finally {
  await Promise.allSettled([
    reference?.close(),
    bare?.close(),
    bareNode?.close(),
    ...servers.map((server) => server.close()),
  ]);
  rmSync(dir, { recursive: true, force: true });
}

printResults(rows);
if (problems.length > 0) {
  console.error(`\nFAILED:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  process.exit(1);
}

// Pins every thread of this process (the feed servers) to CPU 0; nginx, started later, inherits
// it. Returns the CPUs left for wrk, or undefined when not pinned.
function pinToFirstCpu(): string | undefined {
  if (process.env['BENCH_PIN'] === '0' || cores < 2) return undefined;

  const pinned = spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)]);
  if (pinned.error !== undefined || pinned.status !== 0) {
    console.log('taskset failed (util-linux): servers and wrk share every core.');
    return undefined;
  }
  return cores === 2 ? '1' : `1-${cores - 1}`;
}

async function feedServer(
  name: string,
  catalog: FeedCatalog,
  log: Logger,
  onFetch?: (record: FetchRecord) => void,
): Promise<Target> {
  const server = createFeedServer({
    catalog,
    tenants: [{ id: TENANT, lists: [LIST], auth: { tokens: [AUTHORIZATION.slice(7)] } }],
    log,
    ...(onFetch === undefined ? {} : { onFetch }),
  });
  servers.push(server);
  await server.listen({ host: '127.0.0.1', port: 0 });
  const { port } = server.server.address() as AddressInfo;
  return { name, base: `http://127.0.0.1:${port}`, etag: '' };
}

// The ETag each server gives its own version: nginx's is mtime and size, iocrelay's the SHA-256.
async function firstAnswer(target: Target, list: Buffer): Promise<string> {
  const answer = await request(`${target.base}${PATH}`, {
    headers: { authorization: AUTHORIZATION },
  });
  const body = Buffer.from(await answer.body.arrayBuffer());
  const etag = answer.headers.etag;
  if (answer.statusCode !== 200 || !body.equals(list) || typeof etag !== 'string')
    throw new Error(`${target.name}: first GET gave ${answer.statusCode}, not the list`);
  return etag;
}

async function measure(target: Target, status: 200 | 304, connections: number): Promise<Row> {
  const headers: Record<string, string> = { Authorization: AUTHORIZATION };
  if (status === 304) headers['If-None-Match'] = target.etag;
  const options = {
    url: `${target.base}${PATH}`,
    connections,
    threads: THREADS,
    headers,
    // 304s are counted one by one; 200s by wrk's count of 4xx/5xx and the bytes per answer.
    expectedStatus: status === 304 ? status : null,
    scriptDir: dir,
    timeoutS: TIMEOUT_S,
    ...(wrkCpus === undefined ? {} : { cpus: wrkCpus }),
  };

  await runWrk({ ...options, durationS: WARMUP_S });
  const result = await runWrk({ ...options, durationS: DURATION_S });
  const phase = `${target.name}, ${status} at ${connections} connections`;
  if (result.socketErrors > 0) {
    const { connect, read, write, timeout } = result.socketErrorsByKind;
    problems.push(
      `${phase}: socket errors: connect ${connect}, read ${read}, write ${write}, timeout ${timeout}`,
    );
  }
  if (result.httpErrors > 0) problems.push(`${phase}: ${result.httpErrors} non-2xx/3xx answers`);
  if (result.unexpectedStatus !== null && result.unexpectedStatus > 0)
    problems.push(`${phase}: ${result.unexpectedStatus} answers were not ${status}`);
  if (status === 200 && result.bytesPerRequest < LIST_BYTES)
    problems.push(`${phase}: ${result.bytesPerRequest.toFixed(0)} bytes per answer, not the list`);
  if (result.requests === 0) problems.push(`${phase}: no request completed`);
  console.log(`  ${phase}: ${result.requestsPerS.toFixed(0)} req/s`);
  return { status, connections, target, result };
}

// Documentation networks only (RFC 5737, RFC 3849): every IPv4 address of the three /24s,
// then 2001:db8:: addresses until the list reaches `size` bytes.
function documentationList(size: number): Buffer {
  const lines = ['# iocrelay bench:serve list, documentation addresses only'];
  for (const prefix of ['192.0.2', '198.51.100', '203.0.113']) {
    for (let host = 0; host < 256; host++) lines.push(`${prefix}.${host}`);
  }
  let length = lines.join('\n').length + 1;
  for (let i = 0; length < size; i++) {
    const line = `2001:db8:${(i >> 8).toString(16)}::${(i & 0xff).toString(16)}`;
    lines.push(line);
    length += line.length + 1;
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

function entriesOf(list: Buffer): number {
  return list
    .toString('utf8')
    .split('\n')
    .filter((line) => line.length > 0 && !line.startsWith('#')).length;
}

function printResults(table: readonly Row[]): void {
  console.log(
    `\nwrk -t${THREADS} --timeout ${TIMEOUT_S}s, ${DURATION_S} s per run after ${WARMUP_S} s of ` +
      `warm-up; best of ${ROUNDS} rounds at ${CONNECTIONS} connections, one run at ` +
      `${MANY_CONNECTIONS}`,
  );
  for (const status of [200, 304] as const) {
    const at50 = bestRuns(
      table.filter((row) => row.status === status && row.connections === CONNECTIONS),
    );
    const nginxRate = at50.find((row) => row.target.name === 'nginx')?.result.requestsPerS ?? 0;
    const bareRate = at50.find((row) => row.target.name === BARE)?.result.requestsPerS ?? 0;
    console.log(`\n${status} at ${CONNECTIONS} connections (target ≥ ${TARGETS[status]} × nginx)`);
    for (const row of at50) {
      const rate = row.result.requestsPerS;
      const ratio = rate / nginxRate;
      const verdict =
        row.target.name === 'nginx'
          ? ''
          : `${ratio.toFixed(2)}×  ${ratio >= TARGETS[status] ? 'met' : 'missed'}` +
            (row.target.name === BARE || row.target.name === BARE_NODE
              ? ''
              : `  (${(rate / bareRate).toFixed(2)}× bare fastify)`);
      console.log(
        `  ${row.target.name.padEnd(30)} ${rate.toFixed(0).padStart(8)} req/s  ` +
          `p99 ${row.result.p99Ms.toFixed(2).padStart(7)} ms  ${verdict}`,
      );
    }
  }

  console.log(`\n200 at ${MANY_CONNECTIONS} connections (errors must be 0)`);
  for (const row of table.filter((entry) => entry.connections === MANY_CONNECTIONS)) {
    const { requestsPerS, p99Ms, maxMs, socketErrors, httpErrors, bytesPerRequest } = row.result;
    console.log(
      `  ${row.target.name.padEnd(30)} ${requestsPerS.toFixed(0).padStart(8)} req/s  ` +
        `p99 ${p99Ms.toFixed(2).padStart(7)} ms  max ${maxMs.toFixed(0)} ms  ` +
        `socket errors ${socketErrors}, non-2xx/3xx ${httpErrors}, ` +
        `${bytesPerRequest.toFixed(0)} bytes per answer`,
    );
  }
}

// Each target's run with the most requests per second, in the order the targets first ran.
function bestRuns(runs: readonly Row[]): Row[] {
  const best = new Map<Target, Row>();
  for (const run of runs) {
    const held = best.get(run.target);
    if (held === undefined || run.result.requestsPerS > held.result.requestsPerS)
      best.set(run.target, run);
  }
  return [...best.values()];
}
