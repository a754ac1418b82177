import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log/logger.js';
import { createFeedServer, type FeedServer } from '../src/serve/create-feed-server.js';
import { createFeedCatalog } from '../src/serve/feed-catalog.js';
import type { FeedTenant } from '../src/serve/feed-server-options.js';
import { hashPassword } from '../src/serve/password-hash.js';

const TENANTS = ['acme', 'globex', 'initech'] as const;
const LISTS = ['ip.txt', 'domain.txt'] as const;
const passwordOf = (tenant: string): string => `${tenant}-feed-password-0001`;
const tokenOf = (tenant: string): string => `${tenant}-feed-token-0123456789abcdef`;
const bodyOf = (tenant: string, list: string): string => `# ${tenant} ${list}\n192.0.2.1\n`;
const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let server: FeedServer;
let base = '';

beforeAll(async () => {
  const catalog = createFeedCatalog();
  const tenants: FeedTenant[] = [];
  for (const [index, id] of TENANTS.entries()) {
    for (const list of LISTS) {
      catalog.put(id, list, {
        bytes: Buffer.from(bodyOf(id, list)),
        contentType: 'text/plain; charset=utf-8',
        entries: 1,
        publishedAt: 1_767_225_600_000,
      });
    }
    // One tenant keeps its password as a scrypt hash, as `iocrelay hash-password` gives it.
    const password =
      index === 1
        ? { passwordHash: await hashPassword(passwordOf(id)) }
        : { password: passwordOf(id) };
    tenants.push({
      id,
      lists: [...LISTS],
      auth: { username: `${id}-fw`, ...password, tokens: [tokenOf(id)] },
    });
  }
  server = createFeedServer({ catalog, tenants, log: silentLogger() });
  await server.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
});

afterAll(() => server.close());

interface Case {
  readonly who: string;
  readonly scheme: 'basic' | 'bearer';
  readonly isRight: boolean;
  readonly tenant: string;
  readonly list: string;
}

const CASES: Case[] = TENANTS.flatMap((who) =>
  (['basic', 'bearer'] as const).flatMap((scheme) =>
    [true, false].flatMap((isRight) =>
      TENANTS.flatMap((tenant) => LISTS.map((list) => ({ who, scheme, isRight, tenant, list }))),
    ),
  ),
);

function authorizationOf({ who, scheme, isRight }: Case): string {
  if (scheme === 'bearer') return `Bearer ${isRight ? tokenOf(who) : `${tokenOf(who)}x`}`;
  return basic(`${who}-fw`, isRight ? passwordOf(who) : `${passwordOf(who)}x`);
}

describe('isolation matrix: every credential against every list', () => {
  it(`answers ${CASES.length} requests: 200 only for a tenant's own lists with right credentials`, async () => {
    const answers = await Promise.all(
      CASES.map(async (given) => {
        const response = await request(`${base}/feeds/${given.tenant}/${given.list}`, {
          headers: { authorization: authorizationOf(given) },
        });
        return { given, status: response.statusCode, body: await response.body.text() };
      }),
    );

    const wrong = answers.filter(({ given, status, body }) => {
      if (!given.isRight) return status !== 401 || body !== 'unauthorized\n';
      if (given.who !== given.tenant) return status !== 404 || body !== 'not found\n';
      return status !== 200 || body !== bodyOf(given.tenant, given.list);
    });
    expect(wrong).toEqual([]);
    expect(answers.filter(({ status }) => status === 200)).toHaveLength(
      TENANTS.length * 2 * LISTS.length,
    );
  });

  it('answers a missing list and another tenant’s list with the same bytes', async () => {
    const authorization = basic('acme-fw', passwordOf('acme'));
    const other = await request(`${base}/feeds/globex/ip.txt`, { headers: { authorization } });
    const missing = await request(`${base}/feeds/acme/none.txt`, { headers: { authorization } });
    const strip = (headers: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'date'));

    expect([other.statusCode, await other.body.text()]).toEqual([
      missing.statusCode,
      await missing.body.text(),
    ]);
    expect(strip(other.headers)).toEqual(strip(missing.headers));
  });
});
