import type { Logger } from '../log/logger.js';
import { createHttpClient, type HttpClient } from './http-client.js';
import { isMemoryExhausted, readRestSearchPage } from './restsearch-page.js';
import type { SourceAttribute, SourceEvent } from './source-attribute.js';
import { redactUrl } from './redact-url.js';
import type { PullRequest, Source } from './source.js';
import { MISP_TRANSPORT_ERRORS } from './transport-errors.js';
import { mispSourceId } from './source-ids.js';

export const DEFAULT_PAGE_SIZE = 5000;
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_RETRIES = 3;
export const DEFAULT_RETRY_BASE_MS = 1000;

/**
 * Paging order. restSearch honours `order` (MispAttribute::restSearch → AppModel::findOrder;
 * MISP versions before it drop the unknown key) but sets no ORDER BY of its own
 * (`$params['order'] = []` in fetchAttributes), so MySQL may hand out rows in any order and
 * LIMIT/OFFSET pages could skip or repeat rows. The primary key is unique and costs no sort.
 */
const PAGE_ORDER = 'Attribute.id ASC';

export interface MispRestOptions {
  /** Source id; `misp` (the shared query) unless a tenant's own (`misp:<tenant>`). */
  readonly id?: string;
  /** Ask for each attribute's sightings (`includeSightings`). */
  readonly includeSightings?: boolean;
  /** Ask for each attribute's decay score (`includeDecayScore`). */
  readonly includeDecayScore?: boolean;
  /** Base URL of MISP, such as `https://misp.example`. */
  readonly url: string;
  /** Sent as the Authorization header only; never logged nor put in an error. */
  readonly apiKey: string;
  /** restSearch filters from the configuration, sent as given (paging keys are overwritten). */
  readonly query: Readonly<Record<string, unknown>>;
  readonly pageSize?: number;
  readonly timeoutMs?: number;
  readonly verifyTls?: boolean;
  readonly caFile?: string;
  readonly retries?: number;
  readonly retryBaseMs?: number;
  /** Cap on one page's body; above it the pull fails with MISP_RESPONSE_TOO_LARGE. */
  readonly maxBodyBytes?: number;
  readonly log: Logger;
}

interface Page {
  readonly attributes: readonly SourceAttribute[];
  readonly hasMore: boolean;
}

interface PendingPage {
  readonly promise: Promise<Page>;
  readonly controller: AbortController;
}

/**
 * The MISP REST API as a source: POST /attributes/restSearch, page by page, the next page
 * fetched while the caller handles the current one.
 *
 * @example
 * const misp = createMispRestSource({ url: 'https://misp.example', apiKey, query: { type: ['ip-dst'] }, log });
 * for await (const batch of misp.pull({ mode: 'incremental', since: 1700000000 })) store(batch);
 */
export function createMispRestSource(options: MispRestOptions): Source {
  const endpoint = new URL('attributes/restSearch', withSlash(options.url)).toString();
  const settings = {
    endpoint,
    safeUrl: redactUrl(endpoint),
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    headers: {
      Authorization: options.apiKey,
      Accept: 'application/json',
      'Content-Type': 'application/json',
    },
  };

  return {
    id: options.id ?? mispSourceId(),
    supportsIncremental: true,
    pull: (request) => pullPages(options, settings, request),
  };
}

type Settings = {
  readonly endpoint: string;
  readonly safeUrl: string;
  readonly pageSize: number;
  readonly headers: Readonly<Record<string, string>>;
};

async function* pullPages(
  options: MispRestOptions,
  settings: Settings,
  request: PullRequest,
): AsyncGenerator<readonly SourceAttribute[]> {
  const log = options.log;
  const query = {
    ...options.query,
    ...(options.includeSightings ? { includeSightings: true } : {}),
    ...(options.includeDecayScore ? { includeDecayScore: true } : {}),
  };
  const passes = buildPassBodies(query, request, settings.pageSize);
  if (options.verifyTls === false) {
    log.warn({ source: 'misp', url: settings.safeUrl }, 'TLS verification is off');
  }

  const http = createHttpClient({
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    verifyTls: options.verifyTls ?? true,
    caFile: options.caFile,
    retries: options.retries ?? DEFAULT_RETRIES,
    retryBaseMs: options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS,
    maxBodyBytes: options.maxBodyBytes,
    errors: MISP_TRANSPORT_ERRORS,
    log,
  });
  const events = new Map<string, SourceEvent>();

  let pending: PendingPage | null = null;
  let pages = 0;
  let attributes = 0;
  try {
    for (const baseBody of passes) {
      let pageNumber = 1;
      const start = (page: number): PendingPage =>
        startPage(http, settings, baseBody, page, events, request.signal);

      pending = start(pageNumber);
      while (pending !== null) {
        const page: Page = await pending.promise;
        pages += 1;
        attributes += page.attributes.length;

        // Prefetch: MISP builds the next page while the caller stores this one.
        pending = page.hasMore ? start(++pageNumber) : null;
        request.onProgress?.({ pages, attributes });
        yield page.attributes;
      }
    }
  } finally {
    // The caller stopped early (or a page failed): drop the prefetch, it must not outlive us.
    if (pending !== null) {
      pending.controller.abort();
      await pending.promise.catch(() => undefined);
    }
    await http.destroy();
  }
}

/**
 * One request body per pass. A full pull is one pass. An incremental pull makes two: the
 * attributes changed since the cursor, then the attributes of events changed since the cursor
 * (`event_timestamp`), because re-tagging an event (a new TLP, a customer tag) bumps the
 * event's timestamp but not its attributes'. What neither can see (an event unpublished or
 * hard-deleted) leaves at the next full reconcile (misp.full_sync_interval).
 */
export function buildPassBodies(
  query: Readonly<Record<string, unknown>>,
  request: PullRequest,
  pageSize: number,
): readonly Readonly<Record<string, unknown>>[] {
  const base = buildBaseBody(query, request, pageSize);
  if (request.mode !== 'incremental') return [base];

  const { timestamp, ...rest } = base;
  return [base, { ...rest, event_timestamp: timestamp }];
}

/**
 * The request body without `page`. Incremental pulls ask for attributes changed since
 * `since`: `timestamp` filters Attribute.timestamp >= since (Event::set_filter_timestamp with
 * the Attribute scope), `deleted: [0,1]` brings soft deletions back (without it MISP adds
 * Attribute.deleted = 0), and the to_ids filter is dropped so a flag turned off comes back
 * too: an absent to_ids means no condition with the JSON export. The store keeps `deleted`
 * and `toIds`; policy filters them.
 * `includeContext` replaces each attribute's Event by the event's metadata: threat_level_id,
 * published, timestamp, Orgc (with its name) and the event's tags in Event.Tag.
 * `includeEventTags` is not sent: it would copy the event tags into every attribute's Tag
 * (marked `inherited`) and swell a 1M-attribute pull for data Event.Tag already holds.
 */
export function buildBaseBody(
  query: Readonly<Record<string, unknown>>,
  request: PullRequest,
  pageSize: number,
): Readonly<Record<string, unknown>> {
  const body: Record<string, unknown> = { ...query };
  if (request.mode === 'incremental') {
    if (request.since === undefined) throw new TypeError('an incremental pull needs `since`');
    body.timestamp = request.since;
    body.deleted = [0, 1];
    delete body.to_ids;
  }

  body.returnFormat = 'json';
  body.limit = pageSize;
  body.includeContext = true;
  body.order = PAGE_ORDER;
  return body;
}

function startPage(
  http: HttpClient,
  settings: Settings,
  baseBody: Readonly<Record<string, unknown>>,
  page: number,
  events: Map<string, SourceEvent>,
  signal: AbortSignal | undefined,
): PendingPage {
  const controller = new AbortController();
  const combined = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
  const promise = fetchPage(http, settings, { ...baseBody, page }, page, events, combined);

  // A prefetch may fail while the caller is busy; the failure surfaces when the page is awaited.
  promise.catch(() => undefined);
  return { promise, controller };
}

async function fetchPage(
  http: HttpClient,
  settings: Settings,
  body: Readonly<Record<string, unknown>>,
  page: number,
  events: Map<string, SourceEvent>,
  signal: AbortSignal,
): Promise<Page> {
  const response = await http.send({
    method: 'POST',
    url: settings.endpoint,
    headers: settings.headers,
    body: JSON.stringify(body),
    signal,
    isRetryable: (answer) => !isMemoryExhausted(answer),
  });
  const attributes = readRestSearchPage(response, { url: settings.safeUrl, page, events });
  return {
    attributes,
    hasMore: hasMorePages(attributes.length, response, page, settings.pageSize),
  };
}

/**
 * Whether another page may hold attributes. A full page says so, but a short page is not proof
 * of the end: MISP removes allowlisted attributes (and, on request, warninglisted or decayed
 * ones) after the LIMIT query. Its X-Result-Count header counts the rows the database gave,
 * before that removal: limit × page when the database page was full
 * (MispAttribute::__iteratedFetch).
 */
function hasMorePages(
  count: number,
  response: { headers: Readonly<Record<string, string>> },
  page: number,
  limit: number,
): boolean {
  if (count >= limit) return true;
  const resultCount = Number(response.headers['x-result-count'] ?? Number.NaN);
  return Number.isFinite(resultCount) && resultCount >= limit * page;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
