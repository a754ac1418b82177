// One wrk run for bench/serve-bench.ts, with wrk's own summary read back through a Lua `done`
// hook rather than parsed from its text report.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What one wrk run is asked to do. */
export interface WrkOptions {
  readonly url: string;
  readonly connections: number;
  readonly threads: number;
  readonly durationS: number;
  /**
   * wrk counts an answer slower than this as a timeout error and leaves it out of the latency
   * figures; wrk's own default is 2 s.
   */
  readonly timeoutS: number;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The status every answer must have: a Lua `response` hook counts the others. Null runs
   * without the hook, for answers with a body: wrk then copies every body into Lua, which on a
   * pinned core makes wrk itself the limit (nginx's 100 KB 200s measured 15k req/s with the
   * hook and 34k without).
   */
  readonly expectedStatus: number | null;
  /** Where the Lua script is written (once per folder). */
  readonly scriptDir: string;
  /** CPUs wrk runs on (a taskset list such as `1-3`); anywhere when absent. */
  readonly cpus?: string;
}

/** wrk's summary of one run. */
export interface WrkResult {
  readonly requests: number;
  readonly requestsPerS: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly bytesPerRequest: number;
  /** connect + read + write + timeout errors. */
  readonly socketErrors: number;
  /** The same, one by one, as wrk prints them. */
  readonly socketErrorsByKind: {
    readonly connect: number;
    readonly read: number;
    readonly write: number;
    readonly timeout: number;
  };
  /** wrk's "Non-2xx or 3xx responses" (it counts statuses above 399). */
  readonly httpErrors: number;
  /** Responses whose status was not `expectedStatus`, from the Lua hook; null without it. */
  readonly unexpectedStatus: number | null;
}

// wrk keeps one Lua state per thread: `done` (main state) sums what each thread counted.
const SUMMARY = `-- Written by bench/serve-bench.ts.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) expected = tonumber(args[1]); unexpected = 0 end
function done(summary, latency, requests)
  local unexpected = 0
  for _, thread in ipairs(threads) do unexpected = unexpected + thread:get("unexpected") end
  local e = summary.errors
  io.write(string.format("BENCH %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f\\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout,
    e.status, unexpected, latency:percentile(99), latency.max))
end
`;

const COUNT_STATUS = `${SUMMARY}function response(status, headers, body)
  if status ~= expected then unexpected = unexpected + 1 end
end
`;

/**
 * wrk's version line, or null when wrk is not installed (wrk 4.1 exits 1 after `-v`, so only
 * a failed spawn means it is absent).
 *
 * @example
 * wrkVersion(); // 'wrk debian/4.1.0-3+b2 [epoll]'
 */
export function wrkVersion(): string | null {
  const probe = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  if (probe.error !== undefined) return null;
  return (probe.stdout.split('\n')[0] ?? 'wrk').replace(/ Copyright.*$/, '');
}

/**
 * Runs wrk once and returns its summary. The open-file limit is raised in the shell that
 * execs wrk, to 65535 or the hard limit when that is lower.
 *
 * @example
 * const result = await runWrk({ url, connections: 50, threads: 2, durationS: 10, timeoutS: 10, headers, expectedStatus: 304, scriptDir });
 */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const isCounting = options.expectedStatus !== null;
  const script = join(options.scriptDir, isCounting ? 'count-status.lua' : 'summary.lua');
  writeFileSync(script, isCounting ? COUNT_STATUS : SUMMARY);
  const args = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.durationS}s`,
    `--timeout`,
    `${options.timeoutS}s`,
    '--latency',
    '-s',
    script,
    ...Object.entries(options.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
    options.url,
    '--',
    String(options.expectedStatus ?? 0),
  ];
  const shell = [
    'sh',
    '-c',
    'ulimit -n 65535 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec wrk "$@"',
    'wrk',
    ...args,
  ];
  const [command = 'sh', ...rest] =
    options.cpus === undefined ? shell : ['taskset', '-c', options.cpus, ...shell];
  const result = parseSummary(await run(command, rest));
  return isCounting ? result : { ...result, unexpectedStatus: null };
}

function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`wrk exited with ${code}: ${stderr || stdout}`));
    });
  });
}

function parseSummary(output: string): WrkResult {
  const summary = /^BENCH((?: \d+){11})$/m.exec(output);
  if (summary?.[1] === undefined) throw new Error(`wrk printed no summary:\n${output}`);

  const [requests, durationUs, bytes, connect, read, write, timeout] = summary[1]
    .trim()
    .split(' ')
    .map(Number) as [number, number, number, number, number, number, number];
  const [httpErrors, unexpectedStatus, p99Us, maxUs] = summary[1]
    .trim()
    .split(' ')
    .slice(7)
    .map(Number) as [number, number, number, number];
  return {
    requests,
    requestsPerS: requests / (durationUs / 1e6),
    p99Ms: p99Us / 1000,
    maxMs: maxUs / 1000,
    bytesPerRequest: requests === 0 ? 0 : bytes / requests,
    socketErrors: connect + read + write + timeout,
    socketErrorsByKind: { connect, read, write, timeout },
    httpErrors,
    unexpectedStatus,
  };
}
