import fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { REDACTED_PATHS, type Logger } from '../log/logger.js';
import { createClientAllowlist, unmapIPv4, type ClientAllowlist } from './client-allowlist.js';
import {
  createCredentialCheck,
  parseAuthorization,
  type Authenticated,
} from './feed-credentials.js';
import { acceptsGzip, notModifiedBy } from './feed-file.js';
import type { FeedServerOptions, FeedTenant, FetchRecord } from './feed-server-options.js';

/**
 * The challenge sent with every 401. Basic comes first: PAN-OS and FortiGate external lists
 * only speak Basic (RFC 7617 §2.1 for the charset parameter); Bearer follows (RFC 6750 §3).
 */
export const FEED_CHALLENGES = [
  'Basic realm="iocrelay", charset="UTF-8"',
  'Bearer realm="iocrelay"',
];

// One plain name, so neither the URL nor the config can reach outside <dir>/<tenant>/.
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const TEXT = 'text/plain; charset=utf-8';

// The per-request line has fixed, flat fields, none of them a secret. pino's full redaction
// list (its `*.` and `*.*.` paths) costs about 23 µs a line, more than the rest of the request;
// the top-level names alone cost about 1 µs and still blank such a field if one is ever added.
const REQUEST_LOG_REDACT = {
  paths: REDACTED_PATHS.filter((path) => !path.includes('.')),
  censor: '[redacted]',
};

/** The fastify instance createFeedServer builds; plain HTTP or HTTPS. */
export type FeedServer = FastifyInstance;

interface TenantView {
  readonly lists: ReadonlySet<string>;
  readonly isAllowedClient: ClientAllowlist;
}

/** What the route learns about a request, for the delivery record once it is answered. */
interface FetchContext {
  device: string | null;
  scheme: 'basic' | 'bearer' | null;
  sha256: string | null;
  bytes: number;
}

type FeedRequest = FastifyRequest<{ Params: { tenant: string; file: string } }>;

/**
 * Builds the feed server: `GET|HEAD /feeds/<tenant>/<file>` serves a published list to a device
 * that authenticates with HTTP Basic or a Bearer token; anything else is 404 (health and
 * metrics are serve extensions, src/observe/). The caller listens and closes it.
 *
 * Answers: no or wrong credentials → 401 with the Basic and Bearer challenges. Credentials of
 * one tenant on another tenant's path, a list the tenant does not have or a file not yet
 * published → one and the same 404, so nothing tells which tenants or lists exist. Right
 * credentials from an address outside the tenant's allowedClients → 403: the caller has
 * already proven it is that tenant's device, and 403 tells its admin to look at the address,
 * not the password. Lists carry ETag (SHA-256), Last-Modified and `Cache-Control: no-cache`;
 * If-None-Match gives 304.
 *
 * Fastify logs nothing itself; the server writes fixed messages through `log`, never an
 * Authorization header, a password or a token. Throws on options a config check should have
 * refused (a tenant without credentials, a bad hash, a name with a slash, a bad CIDR).
 *
 * @example
 * const server = createFeedServer({ dir: '/srv/iocrelay/public', tenants, log });
 * await server.listen({ host: '0.0.0.0', port: 8443 });
 */
export function createFeedServer(options: FeedServerOptions): FeedServer {
  const log = options.log.child({ component: 'serve' });
  const requestLog = log.child({}, { redact: REQUEST_LOG_REDACT });
  const tenants = new Map(options.tenants.map((tenant) => [tenant.id, viewTenant(tenant)]));
  const credentials = createCredentialCheck(options.tenants);
  const contexts = new WeakMap<FastifyRequest, FetchContext>();
  const app = buildApp(options.tls);

  app.route<{ Params: { tenant: string; file: string } }>({
    method: ['GET', 'HEAD'],
    url: '/feeds/:tenant/:file',
    handler: (request, reply) => {
      const given = parseAuthorization(request.headers.authorization);
      const context: FetchContext = {
        device: null,
        scheme: given?.scheme ?? null,
        sha256: null,
        bytes: 0,
      };
      contexts.set(request, context);

      // A Bearer token is checked at once; only Basic may have to wait for scrypt.
      if (given?.scheme === 'basic') {
        return credentials.authenticate(given).then((caller) => {
          answer(request, reply, context, caller);
        });
      }
      answer(request, reply, context, given && credentials.authenticateBearer(given.token));
      return undefined;
    },
    onResponse: (request, reply, done) => {
      const context = contexts.get(request);
      const record = fetchRecordOf(request, reply, context);
      const { tenant, list, device, clientIp, userAgent, status, bytes } = record;
      const scheme = context?.scheme ?? null;
      requestLog.info(
        { tenant, list, device, scheme, clientIp, userAgent, status, bytes },
        'feed request answered',
      );
      deliver(options.onFetch, record, log);
      done();
    },
  });

  function answer(
    request: FeedRequest,
    reply: FastifyReply,
    context: FetchContext,
    caller: Authenticated | null,
  ): void {
    if (caller === null) return void sendUnauthorized(reply);
    context.device = caller.device;

    const { tenant, file } = request.params;
    const view = tenants.get(caller.tenant);
    if (view === undefined || caller.tenant !== tenant || !view.lists.has(file))
      return void sendNotFound(reply);
    if (!view.isAllowedClient(clientIpOf(request))) return void sendForbidden(reply);

    const version = options.catalog.get(tenant, file);
    if (version === undefined) return void sendNotFound(reply);
    context.sha256 = version.sha256;

    const form =
      version.gzip !== null && acceptsGzip(request.headers['accept-encoding'])
        ? version.gzip
        : version.plain;
    const held = notModifiedBy(request.headers, version);
    if (held !== null) {
      // `*` proves no version: delivery tracking must not count the device as up to date.
      if (held === 'any') context.sha256 = null;
      reply.code(304).headers(form.notModifiedHeaders).send();
      return;
    }

    // HEAD answers the length a GET would send; node leaves the body out itself.
    context.bytes = request.method === 'GET' ? form.body.length : 0;
    reply.code(200).headers(form.okHeaders).send(form.body);
  }

  app.setNotFoundHandler((_request, reply) => sendNotFound(reply));
  app.setErrorHandler((error, request, reply) => {
    log.error({ err: error, url: request.routeOptions.url ?? null }, 'feed request failed');
    return reply.code(500).type(TEXT).header('cache-control', 'no-store').send('internal error\n');
  });
  app.addHook('onListen', () => {
    log.info(
      { addresses: app.addresses(), isTls: options.tls !== undefined },
      'feed server listening',
    );
  });
  return app;
}

function buildApp(tls: FeedServerOptions['tls']): FeedServer {
  const common = {
    logger: false,
    exposeHeadRoutes: false,
    trustProxy: false,
    return503OnClosing: true,
    requestTimeout: 30_000,
    bodyLimit: 1024,
    routerOptions: { maxParamLength: 256 },
    // A malformed URL (bad %-escape, overlong name) gets the same 404 as any unknown path.
    frameworkErrors: (_error: Error, _request: FastifyRequest, reply: FastifyReply) => {
      void sendNotFound(reply);
    },
  };
  if (tls === undefined) return fastify(common);

  return fastify({ ...common, https: { cert: tls.cert, key: tls.key } });
}

function viewTenant(tenant: FeedTenant): TenantView {
  for (const name of [tenant.id, ...tenant.lists]) {
    if (!PLAIN_NAME.test(name) || name === '.' || name === '..')
      throw new Error(`feed server: ${JSON.stringify(name)} is not a plain tenant or file name`);
  }
  return {
    lists: new Set(tenant.lists),
    isAllowedClient: createClientAllowlist(tenant.allowedClients),
  };
}

function sendUnauthorized(reply: FastifyReply): FastifyReply {
  return reply
    .code(401)
    .header('www-authenticate', FEED_CHALLENGES)
    .header('cache-control', 'no-store')
    .type(TEXT)
    .send('unauthorized\n');
}

function sendForbidden(reply: FastifyReply): FastifyReply {
  return reply.code(403).header('cache-control', 'no-store').type(TEXT).send('forbidden\n');
}

function sendNotFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).header('cache-control', 'no-store').type(TEXT).send('not found\n');
}

function clientIpOf(request: FastifyRequest): string {
  return unmapIPv4(request.socket.remoteAddress ?? '');
}

function fetchRecordOf(
  request: FastifyRequest,
  reply: FastifyReply,
  context: FetchContext | undefined,
): FetchRecord {
  const { tenant, file } = (request as FeedRequest).params;
  const status = reply.statusCode as FetchRecord['status'];
  return {
    tenant,
    list: file,
    device: context?.device ?? null,
    clientIp: clientIpOf(request),
    userAgent: request.headers['user-agent'] ?? null,
    method: request.method === 'HEAD' ? 'HEAD' : 'GET',
    status,
    bytes: status === 200 ? (context?.bytes ?? 0) : 0,
    sha256: status === 200 || status === 304 ? (context?.sha256 ?? null) : null,
    at: Date.now(),
  };
}

function deliver(onFetch: FeedServerOptions['onFetch'], record: FetchRecord, log: Logger): void {
  if (onFetch === undefined) return;

  // Delivery tracking is bookkeeping: its failure is logged, the device already has its answer.
  try {
    const pending = onFetch(record);
    if (pending instanceof Promise)
      pending.catch((error: unknown) => logDeliveryFailure(log, record, error));
  } catch (error) {
    logDeliveryFailure(log, record, error);
  }
}

function logDeliveryFailure(log: Logger, record: FetchRecord, error: unknown): void {
  log.error({ err: error, tenant: record.tenant, list: record.list }, 'delivery tracking failed');
}
