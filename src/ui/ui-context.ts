import type { FastifyReply, FastifyRequest } from 'fastify';

import type { Logger } from '../log/logger.js';
import type { ServeContext } from '../serve/serve-extension.js';
import type { Store } from '../store/store.js';
import type { IndicatorKind } from '../normalize/indicator.js';
import type { AdminSession } from './admin-sessions.js';
import type { CachedValue } from './cached-value.js';
import type { ExplainSource } from './explain-context.js';
import type { SafeHtml } from './html.js';
import type { BusyRetry } from './retry-while-busy.js';
import type { UiAssetNames } from './ui-assets.js';

/** What every dashboard page and action is given. */
export interface UiContext {
  readonly serve: ServeContext;
  /**
   * The dashboard's own store connection: the sync's iteration never blocks a page. Opened
   * with busy_timeout 0, so a write refused by a lock fails at once: retry it with busyRetry.
   */
  readonly store: Store;
  /** How an allowlist change waits out a sync holding the write lock. */
  readonly busyRetry: BusyRetry;
  readonly log: Logger;
  readonly assets: UiAssetNames;
  readonly explain: ExplainSource;
  /**
   * Indicators by kind: one pass over an index of every indicator (about 120 ms at 1M), so
   * kept a minute and dropped after each sync run.
   */
  readonly indicatorCounts: CachedValue<readonly { kind: IndicatorKind; count: number }[]>;
  /** Base URL for MISP event links, or null when neither ui.misp_url nor misp.url is set. */
  readonly mispUrl: string | null;
}

/** A logged-in request to a page or an action. */
export interface UiRequest {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly session: AdminSession;
  /** The query string's parameters, strings only. */
  readonly query: Readonly<Record<string, string | undefined>>;
}

/** Renders a page's HTML for a logged-in admin; null when it answered the reply itself. */
export type PageHandler = (context: UiContext, request: UiRequest) => Promise<SafeHtml | null>;

/**
 * Handles a form POST (its CSRF token already checked); gives where to go next (303).
 */
export type ActionHandler = (
  context: UiContext,
  request: UiRequest & { readonly form: Readonly<Record<string, string | undefined>> },
) => Promise<string>;

/**
 * A `?key=value` link within the dashboard, with every value percent-encoded.
 *
 * @example
 * uiHref('/ui/search', { q: '198.51.100.1' }); // '/ui/search?q=198.51.100.1'
 */
export function uiHref(
  path: string,
  params: Readonly<Record<string, string | number | undefined>> = {},
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

/**
 * A positive whole number from a query parameter, else undefined.
 *
 * @example
 * positiveInt('12'); // 12
 */
export function positiveInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,15}$/.test(text)) return undefined;
  const value = Number(text);
  return value > 0 ? value : undefined;
}
