import { afterEach, expect } from 'vitest';
import { isIocrelayError, type IocrelayError } from '../../src/errors/iocrelay-error.js';
import { silentLogger } from '../../src/log/logger.js';
import { createMispRestSource, type MispRestOptions } from '../../src/sources/misp-rest-source.js';
import type { SourceAttribute } from '../../src/sources/source-attribute.js';
import type { PullRequest } from '../../src/sources/source.js';
import { startMispApiServer, type MispApiServer } from './misp-api-server.js';
import { wireAttribute, wireEvent, type MispWireAttribute } from './misp-fixtures.js';

/** Shared set-up of the MISP REST source tests: one test server per test, closed after it. */

export const API_KEY = 'Zk3yS3cr3tAPIk3y0000000000000000000000000';
export const EVENTS = [
  wireEvent(1),
  wireEvent(2, { threat_level_id: '1', published: false, Tag: [] }),
];

/** 12 attributes over two events: ids 1–12, event 1 holds the odd ones. */
export function twelveAttributes(): MispWireAttribute[] {
  return Array.from({ length: 12 }, (_, i) => wireAttribute(i + 1, EVENTS[i % 2] ?? wireEvent(1)));
}

const servers: MispApiServer[] = [];

/** Registers the afterEach that closes the servers a test started. */
export function useMispServers(): void {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
}

export async function start(
  attributes: MispWireAttribute[] = twelveAttributes(),
  cull?: (a: MispWireAttribute) => boolean,
): Promise<MispApiServer> {
  const server = await startMispApiServer({
    apiKey: API_KEY,
    attributes,
    ...(cull ? { cull } : {}),
  });
  servers.push(server);
  return server;
}

export function source(misp: MispApiServer, overrides: Partial<MispRestOptions> = {}) {
  return createMispRestSource({
    url: misp.url,
    apiKey: API_KEY,
    query: { type: ['ip-dst', 'domain'], to_ids: true },
    pageSize: 5,
    retryBaseMs: 1,
    log: silentLogger(),
    ...overrides,
  });
}

export async function collect(
  iterable: AsyncIterable<readonly SourceAttribute[]>,
): Promise<SourceAttribute[][]> {
  const batches: SourceAttribute[][] = [];
  for await (const batch of iterable) batches.push([...batch]);
  return batches;
}

export async function pullError(options: {
  misp: MispApiServer;
  overrides?: Partial<MispRestOptions>;
  request?: PullRequest;
}): Promise<IocrelayError> {
  const pull = source(options.misp, options.overrides).pull(options.request ?? { mode: 'full' });
  const error = await collect(pull).then(
    () => null,
    (e: unknown) => e,
  );
  expect(isIocrelayError(error)).toBe(true);
  return error as IocrelayError;
}
