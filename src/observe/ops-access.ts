import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerConfig } from '../config/server-schema.js';
import type { Logger } from '../log/logger.js';
import { createClientAllowlist, unmapIPv4 } from '../serve/client-allowlist.js';
import { parseAuthorization } from '../serve/feed-credentials.js';

const TEXT = 'text/plain; charset=utf-8';

/** A fastify preHandler that lets a request through or answers 401/403 itself. */
export type OpsAccess = (
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<FastifyReply | undefined>;

/**
 * The access check of the operations endpoints (`/metrics`, `/healthz`, `/readyz`), from
 * `server.metrics`. A request passes when it carries the right Bearer token (from any
 * address), or carries no credentials and comes from an address in `allow` (loopback by
 * default). A wrong token is refused with 401 even from an allowed address: a scraper with a
 * stale token must be noticed, not let in by where it runs. No token from elsewhere: 401 with
 * a Bearer challenge when a token is configured, else 403.
 *
 * The address is the TCP peer, as for the feeds. The token is compared in constant time over
 * SHA-256 digests, and neither it nor the Authorization header reaches a log line.
 *
 * @example
 * app.get('/metrics', { preHandler: createOpsAccess(config.server.metrics, log) }, handler);
 */
export function createOpsAccess(settings: ServerConfig['metrics'], log: Logger): OpsAccess {
  const isAllowed = createClientAllowlist(settings.allow);
  const expected = settings.token === undefined ? null : digest(settings.token);
  const opsLog = log.child({ component: 'ops' });

  return async (request, reply) => {
    const clientIp = unmapIPv4(request.socket.remoteAddress ?? '');
    const header = request.headers.authorization;
    if (header === undefined) {
      if (isAllowed(clientIp)) return undefined;
      return refuse(reply, expected === null ? 403 : 401);
    }

    const given = parseAuthorization(header);
    const isRight =
      expected !== null &&
      given?.scheme === 'bearer' &&
      timingSafeEqual(digest(given.token), expected);
    if (isRight) return undefined;

    opsLog.info({ clientIp, url: request.url }, 'ops request refused: wrong credentials');
    return refuse(reply, 401);
  };
}

// An async hook that answers returns the reply, so fastify stops there.
function refuse(reply: FastifyReply, status: 401 | 403): FastifyReply {
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="iocrelay-ops"');
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type(TEXT)
    .send(status === 401 ? 'unauthorized\n' : 'forbidden\n');
}

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
