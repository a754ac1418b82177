import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, type Dispatcher } from 'undici';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { createFeedServer, type FeedServer } from '../../src/serve/create-feed-server.js';
import type {
  FeedServerOptions,
  FeedTenant,
  FetchRecord,
} from '../../src/serve/feed-server-options.js';
import { hashPassword } from '../../src/serve/password-hash.js';
import { createFeedCatalog, type FeedCatalog } from '../../src/serve/feed-catalog.js';
import { loadFeedCatalog } from '../../src/serve/load-feed-catalog.js';

export const ACME_PASSWORD = 'acme-PASSWORD-must-not-leak-1';
export const ACME_TOKENS = ['acmeTOKEN-must-not-leak-aaaa1111', 'acmeTOKEN-must-not-leak-bbbb2222'];
export const GLOBEX_PASSWORD = 'globex-PASSWORD-must-not-leak-2';
export const ACME_IP = '198.51.100.23\n203.0.113.0/24\n';
export const ACME_DOMAIN = 'malware.example\n';
export const GLOBEX_IP = '192.0.2.1\n';

export const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
export const ACME_BASIC = basic('fw-acme', ACME_PASSWORD);
export const GLOBEX_BASIC = basic('fw-globex', GLOBEX_PASSWORD);
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface Answer {
  readonly status: number;
  readonly headers: Dispatcher.ResponseData['headers'];
  readonly body: string;
}

/** A feed server on 127.0.0.1 over a temp publish folder, torn down after each test. */
export interface FeedServerHarness {
  /**
   * The publish folder the catalog is loaded from at each start: acme/{ip,domain}.txt and
   * globex/ip.txt (acme lists unpublished.txt).
   */
  readonly dir: () => string;
  readonly tenants: () => { acme: FeedTenant; globex: FeedTenant };
  /** Starts the server (options override the defaults) and returns its base URL. */
  readonly start: (overrides?: Partial<FeedServerOptions>) => Promise<string>;
  readonly get: (
    path: string,
    headers?: Record<string, string>,
    method?: 'GET' | 'HEAD',
  ) => Promise<Answer>;
  /** The exact bytes of an answer from a raw socket, without the Date line. */
  readonly rawAnswer: (path: string, authorization: string) => Promise<string>;
  readonly logLines: () => readonly string[];
  readonly records: () => readonly FetchRecord[];
  /** What the running server answers with: put a version to publish it. */
  readonly catalog: () => FeedCatalog;
  /** The running server, to close it within a test. */
  readonly server: () => FeedServer;
}

/**
 * Registers the hooks of a feed server test file and hands back its harness.
 *
 * @example
 * const feed = useFeedServer();
 * it('…', async () => { await feed.start(); await feed.get('/feeds/acme/ip.txt'); });
 */
export function useFeedServer(): FeedServerHarness {
  let dir = '';
  let acme: FeedTenant;
  let globex: FeedTenant;
  let server: FeedServer | undefined;
  let base = '';
  let logLines: string[] = [];
  let records: FetchRecord[] = [];
  let catalog: FeedCatalog = createFeedCatalog();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'iocrelay-serve-'));
    mkdirSync(join(dir, 'acme'));
    mkdirSync(join(dir, 'globex'));
    writeFileSync(join(dir, 'acme', 'ip.txt'), ACME_IP);
    writeFileSync(join(dir, 'acme', 'domain.txt'), ACME_DOMAIN);
    writeFileSync(join(dir, 'globex', 'ip.txt'), GLOBEX_IP);
    utimesSync(join(dir, 'acme', 'ip.txt'), 1767225600, 1767225600);

    acme = {
      id: 'acme',
      lists: ['ip.txt', 'domain.txt', 'unpublished.txt'],
      auth: { username: 'fw-acme', password: ACME_PASSWORD, tokens: ACME_TOKENS },
    };
    globex = {
      id: 'globex',
      lists: ['ip.txt'],
      auth: {
        username: 'fw-globex',
        passwordHash: await hashPassword(GLOBEX_PASSWORD),
        tokens: [],
      },
      allowedClients: ['127.0.0.0/8', '2001:db8::/32'],
    };
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  return {
    dir: () => dir,
    tenants: () => ({ acme, globex }),
    logLines: () => logLines,
    records: () => records,
    catalog: () => catalog,
    server: () => {
      if (server === undefined) throw new Error('the feed server is not started');
      return server;
    },

    start: async (overrides = {}) => {
      logLines = [];
      records = [];
      const destination = { write: (line: string) => void logLines.push(line) };
      catalog = await loadFeedCatalog({ dir, tenants: [acme, globex] });
      server = createFeedServer({
        catalog,
        tenants: [acme, globex],
        log: createLogger({ level: 'debug', destination }),
        onFetch: (record) => void records.push(record),
        ...overrides,
      });
      await server.listen({ host: '127.0.0.1', port: 0 });
      const scheme = overrides.tls ? 'https' : 'http';
      base = `${scheme}://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
      return base;
    },

    get: async (path, headers = {}, method = 'GET') => {
      const response = await request(`${base}${path}`, { method, headers });
      const body = await response.body.text();
      return { status: response.statusCode, headers: response.headers, body };
    },

    rawAnswer: async (path, authorization) => {
      const socket = connect(Number(new URL(base).port), '127.0.0.1');
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${authorization}\r\n` +
          'Connection: close\r\n\r\n',
      );
      const chunks: Buffer[] = [];
      for await (const chunk of socket) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks)
        .toString('latin1')
        .replace(/^date: .*\r\n/im, '');
    },
  };
}
