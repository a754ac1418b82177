import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface StaticFileServer {
  /** Base URL with a trailing slash. */
  readonly url: string;
  /** Paths requested, in order. */
  readonly requests: string[];
  /** Answer `path` with `status` (and a Location, if given) from now on; null serves it again. */
  setStatus(path: string, status: number | null, location?: string): void;
  close(): Promise<void>;
}

/**
 * Serves a folder over HTTP (HTTPS with `tls`) on 127.0.0.1, as a MISP feed host would: GET
 * only, 404 for what is not there, nothing outside the folder.
 *
 * @example
 * const feed = await startStaticFileServer('/work/shared/data/misp/feed-tweetfeed');
 */
export async function startStaticFileServer(
  folder: string,
  tls?: { readonly key: string; readonly cert: string },
): Promise<StaticFileServer> {
  const requests: string[] = [];
  const statuses = new Map<string, { status: number; location?: string }>();

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    requests.push(path);
    const forced = statuses.get(path);
    const file = normalize(join(folder, path));
    if (forced !== undefined || !file.startsWith(normalize(folder)) || req.method !== 'GET') {
      const headers = forced?.location ? { Location: forced.location } : {};
      res.writeHead(forced?.status ?? 404, { 'Content-Type': 'text/plain', ...headers }).end('no');
      return;
    }
    readFile(file).then(
      (data) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(data),
      () => res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found'),
    );
  };
  const server = tls ? createHttpsServer(tls, handle) : createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/`,
    requests,
    setStatus: (path, status, location) =>
      status === null
        ? statuses.delete(path)
        : statuses.set(path, location === undefined ? { status } : { status, location }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
