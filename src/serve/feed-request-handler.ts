import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { REDACTED_PATHS, type Logger } from '../log/logger.js';
import { createClientAllowlist, unmapIPv4, type ClientAllowlist } from './client-allowlist.js';
import {
  createCredentialCheck,
  parseAuthorization,
  type Authenticated,
} from './feed-credentials.js';
import { deliverFetch } from './deliver-fetch.js';
import { acceptsGzip, notModifiedBy } from './feed-file.js';
import type { FeedServerOptions, FeedTenant, FetchRecord } from './feed-server-options.js';
import { feedNamesOf, type FeedNames } from './feed-url.js';
import { createProvenHeaders } from './proven-headers.js';

/**
 * The challenge sent with every 401. Basic comes first: PAN-OS and FortiGate external lists
 * only speak Basic (RFC 7617 §2.1 for the charset parameter); Bearer follows (RFC 6750 §3).
 */
export const FEED_CHALLENGES = [
  'Basic realm="iocrelay", charset="UTF-8"',
  'Bearer realm="iocrelay"',
];

/**
 * Answers a request to the feed server: true when it was a feed request (and is answered or
 * being answered), false when it is not one and the caller must route it.
 */
export type FeedRequestHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

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

interface TenantView {
  readonly lists: ReadonlySet<string>;
  readonly isAllowedClient: ClientAllowlist;
}

/** What answering a request learns, for its delivery record once the answer is sent. */
interface FetchContext {
  readonly tenant: string;
  readonly list: string;
  device: string | null;
  /** The tenant the credentials belong to: not the path's on a cross-tenant 404. */
  callerTenant: string | null;
  readonly scheme: 'basic' | 'bearer' | null;
  /** Read when the request arrives: a closed socket no longer has its peer's address. */
  readonly clientIp: string;
  sha256: string | null;
  bytes: number;
}

/**
 * The feed route on node's own request and response, without a framework: the feed server's
 * hot path (a device's poll is answered in about the time node takes to write it). `GET|HEAD
 * /feeds/<tenant>/<file>` serves a published list to a device that authenticates with HTTP
 * Basic or a Bearer token; any other request is left to the caller.
 *
 * Answers: no or wrong credentials → 401 with the Basic and Bearer challenges. Credentials of
 * one tenant on another tenant's path, a list the tenant does not have, a file not yet
 * published or a malformed name → one and the same 404, so nothing tells which tenants or lists
 * exist. Right credentials from an address outside the tenant's allowedClients → 403: the
 * caller has already proven it is that tenant's device, and 403 tells its admin to look at the
 * address, not the password. Lists carry ETag (SHA-256), Last-Modified and `Cache-Control:
 * no-cache`; If-None-Match gives 304.
 *
 * Once an answer is sent, it is logged (`feed request answered`, never a header, a password or
 * a token) and handed to `onFetch`; a list the device stopped reading halfway is logged as
 * `feed answer interrupted` instead. Throws on options a config check should have refused (a
 * tenant without credentials, a bad hash, a name with a slash, a bad CIDR).
 *
 * @example
 * const handle = createFeedRequestHandler(options, log);
 * createServer((request, response) => handle(request, response) || notFound(response));
 */
export function createFeedRequestHandler(
  options: Pick<FeedServerOptions, 'catalog' | 'tenants' | 'onFetch'>,
  log: Logger,
): FeedRequestHandler {
  const requestLog = log.child({}, { redact: REQUEST_LOG_REDACT });
  const tenants = new Map(options.tenants.map((tenant) => [tenant.id, viewTenant(tenant)]));
  const credentials = createCredentialCheck(options.tenants);
  const { catalog, onFetch } = options;
  // The Authorization header each keep-alive connection last proved, and who it proved to be.
  const proven = createProvenHeaders();
  // Without a delivery hook or the info log, an answer leaves no record: none is built.
  const isRecorded = onFetch !== undefined || requestLog.isLevelEnabled('info');

  return (request, response) => {
    const { method, url = '' } = request;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const names = feedNamesOf(url);
    if (names === undefined) return false;
    if (names === null) {
      sendText(response, 404, 'not found\n');
      return true;
    }

    const header = request.headers.authorization;
    const known = header === undefined ? undefined : proven.get(request.socket, header);
    if (known !== undefined) {
      const context = contextOf(request, names, known.scheme);
      answerSafely(request, response, context, known.caller);
      return true;
    }

    const given = parseAuthorization(header);
    const context = contextOf(request, names, given?.scheme ?? null);
    const remember = (caller: Authenticated | null): Authenticated | null => {
      if (caller !== null && header !== undefined && given !== null)
        proven.set(request.socket, { header, caller, scheme: given.scheme });
      return caller;
    };

    // A Bearer token is checked at once; only Basic may have to wait for scrypt.
    if (given?.scheme === 'basic') {
      credentials.authenticate(given).then(
        (caller) => answerSafely(request, response, context, remember(caller)),
        (error: unknown) => fail(request, response, context, error),
      );
    } else {
      const caller = given && credentials.authenticateBearer(given.token);
      answerSafely(request, response, context, remember(caller));
    }
    return true;
  };

  // Records the answer once it is sent: at once when `end` handed it whole to the kernel (every
  // headers-only answer, and lists up to the socket's send buffer), else at `finish`. A device
  // gone before its answer (during a scrypt check) or while its list was being written is logged
  // as interrupted and not recorded: node emits `finish` even after ECONNRESET or a destroy.
  // Once the kernel holds the whole list, whether the device reads it is not known here.
  function answerSafely(
    request: IncomingMessage,
    response: ServerResponse,
    context: FetchContext,
    caller: Authenticated | null,
  ): void {
    const { socket } = request;
    if (socket.destroyed) return logInterrupted(request, context, socket.errored);
    let isPending: boolean;
    try {
      isPending = answer(request, response, context, caller);
    } catch (error) {
      return fail(request, response, context, error);
    }
    if (!isPending) return recordFetch(request, response, context);
    // `close` without `finish`: the connection was destroyed first (a closing server's grace
    // ran out).
    let isFinished = false;
    response.once('finish', () => {
      isFinished = true;
      if (socket.errored === null && !socket.destroyed) recordFetch(request, response, context);
      else logInterrupted(request, context, socket.errored);
    });
    response.once('close', () => {
      if (!isFinished) logInterrupted(request, context, socket.errored);
    });
  }

  function logInterrupted(
    request: IncomingMessage,
    context: FetchContext,
    error: Error | null,
  ): void {
    const { tenant, list, device, callerTenant, scheme, clientIp } = context;
    const code = error !== null && 'code' in error ? String(error.code) : null;
    const userAgent = request.headers['user-agent'] ?? null;
    log.info(
      { tenant, list, device, callerTenant, scheme, clientIp, userAgent, code },
      'feed answer interrupted',
    );
  }

  function answer(
    request: IncomingMessage,
    response: ServerResponse,
    context: FetchContext,
    caller: Authenticated | null,
  ): boolean {
    if (caller === null) return sendText(response, 401, 'unauthorized\n', UNAUTHORIZED_HEADERS);
    context.device = caller.device;
    context.callerTenant = caller.tenant;

    const { tenant, list } = context;
    const view = tenants.get(caller.tenant);
    if (view === undefined || caller.tenant !== tenant || !view.lists.has(list))
      return sendText(response, 404, 'not found\n');
    if (!view.isAllowedClient(context.clientIp)) return sendText(response, 403, 'forbidden\n');

    const version = catalog.get(tenant, list);
    if (version === undefined) return sendText(response, 404, 'not found\n');
    context.sha256 = version.sha256;

    const form =
      version.gzip !== null && acceptsGzip(request.headers['accept-encoding'])
        ? version.gzip
        : version.plain;
    const held = notModifiedBy(request.headers, version);
    if (held !== null) {
      // `*` proves no version: delivery tracking must not count the device as up to date.
      if (held === 'any') context.sha256 = null;
      response.writeHead(304, form.notModifiedHeaders).end();
      return false;
    }

    // HEAD answers the length a GET would send; node leaves the body out itself.
    context.bytes = request.method === 'GET' ? form.body.length : 0;
    response.writeHead(200, form.okHeaders).end(form.body);
    return response.writableLength > 0;
  }

  function fail(
    request: IncomingMessage,
    response: ServerResponse,
    context: FetchContext,
    error: unknown,
  ): void {
    log.error({ err: error, tenant: context.tenant, list: context.list }, 'feed request failed');
    if (response.headersSent) return void response.destroy();
    sendText(response, 500, 'internal error\n');
    recordFetch(request, response, context);
  }

  function recordFetch(
    request: IncomingMessage,
    response: ServerResponse,
    context: FetchContext,
  ): void {
    if (!isRecorded) return;
    const status = response.statusCode as FetchRecord['status'];
    const record: FetchRecord = {
      tenant: context.tenant,
      list: context.list,
      device: context.device,
      clientIp: context.clientIp,
      userAgent: request.headers['user-agent'] ?? null,
      method: request.method === 'HEAD' ? 'HEAD' : 'GET',
      status,
      bytes: status === 200 ? context.bytes : 0,
      sha256: status === 200 || status === 304 ? context.sha256 : null,
      at: Date.now(),
    };
    const { tenant, list, device, clientIp, userAgent, bytes } = record;
    const { callerTenant, scheme } = context;
    requestLog.info(
      { tenant, list, device, callerTenant, scheme, clientIp, userAgent, status, bytes },
      'feed request answered',
    );
    deliverFetch(onFetch, record, log);
  }
}

function contextOf(
  request: IncomingMessage,
  names: FeedNames,
  scheme: 'basic' | 'bearer' | null,
): FetchContext {
  return {
    tenant: names.tenant,
    list: names.file,
    device: null,
    callerTenant: null,
    scheme,
    clientIp: clientIpOf(request),
    sha256: null,
    bytes: 0,
  };
}

const UNAUTHORIZED_HEADERS: OutgoingHttpHeaders = { 'www-authenticate': FEED_CHALLENGES };

function sendText(
  response: ServerResponse,
  status: 401 | 403 | 404 | 500,
  body: string,
  headers: OutgoingHttpHeaders = {},
): false {
  response
    .writeHead(status, {
      ...headers,
      'cache-control': 'no-store',
      'content-type': TEXT,
      'content-length': Buffer.byteLength(body),
    })
    .end(body);
  return false;
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

function clientIpOf(request: IncomingMessage): string {
  return unmapIPv4(request.socket.remoteAddress ?? '');
}
