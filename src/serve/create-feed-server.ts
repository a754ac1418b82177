import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { trackConnections } from './close-connections.js';
import { createFeedRequestHandler, type FeedRequestHandler } from './feed-request-handler.js';
import type { FeedServerOptions } from './feed-server-options.js';

export { FEED_CHALLENGES } from './feed-request-handler.js';

/** The fastify instance createFeedServer builds; plain HTTP or HTTPS. */
export type FeedServer = FastifyInstance;

const TEXT = 'text/plain; charset=utf-8';

/** How long a closing server lets the answers under way finish before it cuts them. */
export const CLOSE_GRACE_MS = 10_000;

// fastify's own default for a plugin (or a close hook) to finish.
const PLUGIN_TIMEOUT_MS = 10_000;

/**
 * Builds the feed server: `GET|HEAD /feeds/<tenant>/<file>` serves a published list to a device
 * that authenticates with HTTP Basic or a Bearer token (createFeedRequestHandler: the answers,
 * the log line, the delivery record); anything else is 404 unless a serve extension adds a
 * route (health and metrics, src/observe/; the dashboard, src/ui/). The caller listens and
 * closes it.
 *
 * DECISION: feed requests are answered on node's own request and response, ahead of fastify's
 * routing; every other path goes through fastify. Feeds are the one path devices hit at poll
 * rate, and fastify's per-request work (routing, request and reply objects, hooks) cost about
 * a third of the feed server's throughput (docs/benchmarks.md, bench:serve). Once the server is
 * closing, feed requests go to fastify too, which answers 503 and closes the connection; the
 * answers under way are let finish first (close-connections.ts).
 *
 * Fastify logs nothing itself; the server writes fixed messages through `log`.
 *
 * @example
 * const server = createFeedServer({ catalog, tenants, log });
 * await server.listen({ host: '0.0.0.0', port: 8443 });
 */
export function createFeedServer(options: FeedServerOptions): FeedServer {
  const log = options.log.child({ component: 'serve' });
  const handleFeed = createFeedRequestHandler(options, log);
  let isClosing = false;
  const graceMs = options.closeGraceMs ?? CLOSE_GRACE_MS;
  const app = buildApp(
    options.tls,
    graceMs,
    (request, response) => !isClosing && handleFeed(request, response),
  );
  const closeConnections = trackConnections(app.server, {
    graceMs,
    isTls: options.tls !== undefined,
  });

  // Closing: no new connection, the answers under way finish (for CLOSE_GRACE_MS at most),
  // a feed request that comes after them gets 503 and the connection closes.
  app.addHook('preClose', async () => {
    isClosing = true;
    if (app.server.listening) app.server.close();
    await closeConnections();
  });
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

function buildApp(
  tls: FeedServerOptions['tls'],
  graceMs: number,
  handleFeed: FeedRequestHandler,
): FeedServer {
  return fastify({
    logger: false,
    // fastify runs the close hooks under this timeout too: it must outlast the close grace.
    pluginTimeout: graceMs + PLUGIN_TIMEOUT_MS,
    exposeHeadRoutes: false,
    trustProxy: false,
    return503OnClosing: true,
    // Connections are closed by trackConnections, which waits for answers still being written.
    forceCloseConnections: false,
    bodyLimit: 1024,
    routerOptions: { maxParamLength: 256 },
    // A malformed URL (bad %-escape, overlong name) gets the same 404 as any unknown path.
    frameworkErrors: (_error: Error, _request: FastifyRequest, reply: FastifyReply) => {
      void sendNotFound(reply);
    },
    serverFactory: (routeRequest) => {
      const listener = (request: IncomingMessage, response: ServerResponse): void => {
        if (!handleFeed(request, response)) routeRequest(request, response);
      };
      const server =
        tls === undefined
          ? createHttpServer(listener)
          : createHttpsServer({ cert: tls.cert, key: tls.key }, listener);
      // Fastify's own defaults for keep-alive and the socket; a request must arrive whole
      // within 30 s (slow-header and slow-body clients are cut off).
      server.keepAliveTimeout = 72_000;
      server.requestTimeout = 30_000;
      return server;
    },
  });
}

function sendNotFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).header('cache-control', 'no-store').type(TEXT).send('not found\n');
}
