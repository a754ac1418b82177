import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance } from 'fastify';

import type { UiConfig } from '../config/ui-schema.js';
import type { ServeContext, ServeExtension } from '../serve/serve-extension.js';
import { openStore, type Store } from '../store/store.js';
import { createAdminSessions } from './admin-sessions.js';
import { cachedValue } from './cached-value.js';
import { allowlistActions, allowlistsPage } from './allowlists-page.js';
import { changesPage } from './changes-page.js';
import { createExplainSource } from './explain-context.js';
import { listDownload } from './list-download.js';
import { registerLoginRoutes } from './login-routes.js';
import { overviewPage } from './overview-page.js';
import { searchPage } from './search-page.js';
import { tenantsPage } from './tenants-page.js';
import { registerUiAssets } from './ui-assets.js';
import { DEFAULT_BUSY_RETRY, type BusyRetry } from './retry-while-busy.js';
import type { UiContext } from './ui-context.js';
import { addSecurityHeaders, registerAction, registerPage } from './ui-routes.js';

const COUNTS_TTL_MS = 60_000;

/**
 * Tuning of the dashboard, for tests; serve uses the defaults.
 *
 * @example
 * createUiExtension(config.ui, { busyRetry: { intervalMs: 100, limitMs: 2_000 } });
 */
export interface UiExtensionOptions {
  /** How an allowlist change waits out a sync's write lock (default 200 ms, up to 15 s). */
  readonly busyRetry?: BusyRetry;
}

/**
 * The SOC dashboard under /ui of `iocrelay serve`: overview, tenants, search, allowlists and
 * change log for the admins of `ui.admins`, with server-side sessions. It reads through a
 * store connection of its own, so a page never waits on (or breaks) the sync's iteration.
 * Without `ui` in the configuration the dashboard is off: serve-command adds no extension.
 *
 * @example
 * const extensions = config.ui === undefined ? [] : [createUiExtension(config.ui)];
 */
export function createUiExtension(ui: UiConfig, options: UiExtensionOptions = {}): ServeExtension {
  let store: Store | null = null;
  let clearCounts: (() => void) | null = null;

  return {
    name: 'ui',
    async register(serve: ServeContext) {
      const log = serve.log.child({ component: 'ui' });
      // busy_timeout 0: better-sqlite3 waits for a lock synchronously, on the event loop that
      // also answers the feeds; a refused write is retried on a timer (retry-while-busy.ts).
      store = await openStore({ path: serve.config.database, log: serve.log, busyTimeoutMs: 0 });
      const uiStore = store;
      const sessions = createAdminSessions(ui.session_ttl);
      const indicatorCounts = cachedValue(COUNTS_TTL_MS, () =>
        uiStore.dashboardQueries().indicatorCounts(),
      );
      clearCounts = () => indicatorCounts.clear();

      await serve.app.register(
        async (scope: FastifyInstance) => {
          await scope.register(fastifyCookie);
          await scope.register(fastifyFormbody);
          const isTls = serve.config.server.tls !== undefined;
          addSecurityHeaders(scope, { isTls });
          scope.setErrorHandler((error: FastifyError, request, reply) => {
            const status = error.statusCode ?? 500;
            if (status >= 500)
              log.error({ err: error, url: request.url }, 'dashboard request failed');
            const text = status >= 500 ? 'internal error\n' : `${error.message}\n`;
            return reply.code(status).type('text/plain; charset=utf-8').send(text);
          });

          const context: UiContext = {
            serve,
            store: uiStore,
            busyRetry: options.busyRetry ?? DEFAULT_BUSY_RETRY,
            log,
            assets: registerUiAssets(scope),
            explain: createExplainSource(serve, uiStore),
            indicatorCounts,
            mispUrl: (ui.misp_url ?? serve.config.misp?.url ?? null)?.replace(/\/+$/, '') ?? null,
          };
          await registerLoginRoutes(scope, context, {
            ui,
            sessions,
            isTls,
          });
          registerPage(scope, '/', context, sessions, overviewPage);
          registerPage(scope, '/tenants', context, sessions, tenantsPage);
          registerPage(scope, '/lists/:tenant/:file', context, sessions, listDownload);
          registerPage(scope, '/search', context, sessions, searchPage);
          registerPage(scope, '/allowlists', context, sessions, allowlistsPage);
          for (const [path, action] of allowlistActions) {
            registerAction(scope, path, context, sessions, action);
          }
          registerPage(scope, '/changes', context, sessions, changesPage);
        },
        { prefix: '/ui' },
      );
      log.info({ admins: ui.admins.length }, 'dashboard on /ui');
    },
    onRun() {
      clearCounts?.();
    },
    async close() {
      await store?.close();
    },
  };
}
