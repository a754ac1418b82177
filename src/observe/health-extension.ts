import type { FastifyReply } from 'fastify';
import { defaultReadyMaxAge, syncIntervalOf } from '../config/server-schema.js';
import type { ServeExtension } from '../serve/serve-extension.js';
import { openObserveDatabase, type ObserveDatabase } from './observe-database.js';
import { createOpsAccess } from './ops-access.js';

const TEXT = 'text/plain; charset=utf-8';

/**
 * `GET|HEAD /healthz` and `/readyz` of `iocrelay serve`, behind the operations access check
 * (`server.metrics`). `/healthz` answers `ok` while the process serves. `/readyz` answers
 * `ready` when the store answers a query on its own connection (the sync's may be busy for a
 * whole run) and the last successful sync (ok or held) finished within `server.ready_max_age`
 * (default 3 × misp.interval, at least 15 minutes); else 503 with the reason in one line.
 * The time comes from the store, so a restarted serve with a recent good run is ready at once.
 *
 * @example
 * await startServe({ …, extensions: [createHealthExtension()] });
 */
export function createHealthExtension(options: { now?: () => number } = {}): ServeExtension {
  const now = options.now ?? Date.now;
  let observe: ObserveDatabase | null = null;

  return {
    name: 'health',
    async register({ app, config, log }) {
      const database = await openObserveDatabase(config.database, log);
      observe = database;
      const maxAgeS = config.server.ready_max_age ?? defaultReadyMaxAge(syncIntervalOf(config));
      const access = createOpsAccess(config.server.metrics, log);
      const healthLog = log.child({ component: 'health' });

      app.route({
        method: ['GET', 'HEAD'],
        url: '/healthz',
        preHandler: access,
        handler: (_request, reply) => answer(reply, 200, 'ok'),
      });
      app.route({
        method: ['GET', 'HEAD'],
        url: '/readyz',
        preHandler: access,
        handler: (_request, reply) => {
          let lastSuccessAt: number | null;
          try {
            lastSuccessAt = database.lastSuccessfulSyncAt();
          } catch (error) {
            healthLog.warn({ err: error }, 'not ready: store unreachable');
            return answer(reply, 503, 'store unreachable');
          }
          if (lastSuccessAt === null) return answer(reply, 503, 'no successful sync yet');

          const ageS = Math.floor((now() - lastSuccessAt) / 1000);
          if (ageS > maxAgeS)
            return answer(
              reply,
              503,
              `last successful sync ${ageS}s ago, over ready_max_age ${maxAgeS}s`,
            );
          return answer(reply, 200, 'ready');
        },
      });
    },
    async close() {
      await observe?.close();
      observe = null;
    },
  };
}

function answer(reply: FastifyReply, status: 200 | 503, text: string): FastifyReply {
  return reply.code(status).type(TEXT).header('cache-control', 'no-store').send(`${text}\n`);
}
