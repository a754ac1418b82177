// nginx as the reference static file server of bench/serve-bench.ts: its own prefix and
// config in a temp folder, in the foreground as a child process, one worker.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

const START_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 5_000;

/** Where nginx runs and what it serves. */
export interface NginxOptions {
  /** nginx's prefix: config, pid, error log and temp folders go here. */
  readonly prefix: string;
  /** Document root: `/feeds/<tenant>/<file>` is `<root>/feeds/<tenant>/<file>`. */
  readonly root: string;
  /** The Authorization header value nginx lets through; any other gets 401. */
  readonly authorization: string;
}

/** A running nginx. */
export interface NginxServer {
  readonly base: string;
  /** Stops nginx (SIGTERM, then SIGKILL after 5 s); safe to call twice. */
  close(): Promise<void>;
}

/**
 * nginx's version line, or null when nginx is not installed.
 *
 * @example
 * nginxVersion(); // 'nginx/1.22.1'
 */
export function nginxVersion(): string | null {
  const probe = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  if (probe.error !== undefined) return null;
  return probe.stderr.trim().replace(/^nginx version: /, '');
}

/**
 * Starts nginx on a free 127.0.0.1 port and waits until it answers. Static serving as nginx
 * is usually tuned for it: sendfile, ETag, no access log; keep-alive connections are never
 * closed by a request count (nginx's default closes one every 1,000 requests, node's never).
 * The token check is a `map` of the whole header: a plain string comparison.
 *
 * @example
 * const nginx = await startNginx({ prefix, root, authorization: 'Bearer t0ken' });
 * await nginx.close();
 */
export async function startNginx(options: NginxOptions): Promise<NginxServer> {
  const port = await freePort();
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
    mkdirSync(join(options.prefix, 'temp', temp), { recursive: true });
  const config = join(options.prefix, 'nginx.conf');
  const errorLog = join(options.prefix, 'error.log');
  writeFileSync(config, configOf(options, port, errorLog));

  // Through sh to raise the open-file limit for 500 connections, as for wrk; exec keeps the
  // child's pid nginx's own, so killing the child stops nginx.
  const child = spawn(
    'sh',
    [
      '-c',
      'ulimit -n 65535 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec nginx "$@"',
      'nginx',
      ...['-p', options.prefix, '-c', config, '-e', errorLog],
    ],
    { stdio: 'ignore' },
  );
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const base = `http://127.0.0.1:${port}`;
  const close = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await stop(child);
  };

  try {
    await waitUntilAnswering(child, base, errorLog);
  } catch (error) {
    await close();
    throw error;
  }
  return { base, close };
}

function configOf(options: NginxOptions, port: number, errorLog: string): string {
  const temp = (name: string): string => join(options.prefix, 'temp', name);
  return `# Written by bench/serve-bench.ts.
daemon off;
master_process on;
worker_processes 1;
pid ${join(options.prefix, 'nginx.pid')};
error_log ${errorLog} warn;
events { worker_connections 8192; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  etag on;
  keepalive_requests 100000000;
  keepalive_timeout 75s;
  types { }
  default_type "text/plain; charset=utf-8";
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  map $http_authorization $is_denied {
    default 1;
    "${options.authorization}" 0;
  }
  server {
    listen 127.0.0.1:${port};
    root ${options.root};
    location /feeds/ {
      if ($is_denied) { return 401; }
    }
    location / { return 404; }
  }
}
`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitUntilAnswering(child: ChildProcess, base: string, log: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`nginx exited at start:\n${readLog(log)}`);
    try {
      const answer = await request(`${base}/`);
      await answer.body.dump();
      return;
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`nginx did not answer within ${START_TIMEOUT_MS} ms:\n${readLog(log)}`);
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '(no error log)';
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
