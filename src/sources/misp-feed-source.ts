import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErrorDetails } from '../errors/iocrelay-error.js';
import { IocrelayError } from '../errors/iocrelay-error.js';
import type { Logger } from '../log/logger.js';
import { createHttpClient, type HttpClient } from './http-client.js';
import { parseFeedEvent, type ParsedFeedEvent } from './misp-event-parser.js';
import { isJsonObject, MispShapeError, type JsonObject } from './misp-wire-values.js';
import type { SourceAttribute } from './source-attribute.js';
import { redactUrl } from './redact-url.js';
import type { PullRequest, Source } from './source.js';
import { FEED_TRANSPORT_ERRORS } from './transport-errors.js';
import { feedSourceId } from './source-ids.js';

/** Event files fetched at once from an HTTP feed: enough to hide latency, polite to the host. */
const HTTP_CONCURRENCY = 4;
/** A folder feed reads one event ahead: disks need no more, and feed events can be large. */
const FOLDER_CONCURRENCY = 2;
const DEFAULT_TIMEOUT_MS = 60_000;

/** Manifest keys become file names: only a uuid may, so a hostile manifest cannot name ../x. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface MispFeedOptions {
  /** Short name; the source id is `feed:<name>`. */
  readonly name: string;
  /** A folder path, or an http(s) URL, holding manifest.json and `<uuid>.json` per event. */
  readonly location: string;
  readonly timeoutMs?: number;
  readonly verifyTls?: boolean;
  readonly caFile?: string;
  /** Extra HTTP headers (an Authorization for a private feed); never logged. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly retries?: number;
  readonly retryBaseMs?: number;
  readonly log: Logger;
}

/** Reads one file of the feed by name; throws IocrelayError, null when the file does not exist. */
type FeedReader = (file: string, signal: AbortSignal | undefined) => Promise<string | null>;

/**
 * A MISP-format feed (manifest.json plus one `<uuid>.json` per event, as MISP's feed generator
 * and PyMISP write it) as a source. Every pull is a full pull, one batch per event in manifest
 * order: a feed event file always holds the event's whole attribute set, so reading the events
 * whose manifest timestamp moved would be an optimisation, not a different answer; it is not
 * done yet.
 *
 * @example
 * const feed = createMispFeedSource({ name: 'osint', location: 'https://feed.example/osint/', log });
 * for await (const batch of feed.pull({ mode: 'full' })) store(batch);
 */
export function createMispFeedSource(options: MispFeedOptions): Source {
  const isHttp = /^https?:\/\//i.test(options.location);
  return {
    id: feedSourceId(options.name),
    // Each event file holds the event's whole attribute set: see the comment above.
    supportsIncremental: false,
    pull: (request) => pullFeed(options, isHttp, request),
  };
}

async function* pullFeed(
  options: MispFeedOptions,
  isHttp: boolean,
  request: PullRequest,
): AsyncGenerator<readonly SourceAttribute[]> {
  const feed = options.name;
  const where = isHttp ? redactUrl(options.location) : options.location;
  if (/^https:/i.test(options.location) && options.verifyTls === false) {
    options.log.warn({ source: `feed:${feed}`, url: where }, 'TLS verification is off');
  }

  const http = isHttp ? createFeedHttpClient(options) : null;
  const read =
    http === null ? folderReader(options.location, feed) : httpReader(http, options, feed);
  const stop = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, stop.signal]) : stop.signal;
  const inFlight: Promise<ParsedFeedEvent>[] = [];
  try {
    const manifest = await readManifest(read, signal, { feed, location: where });
    const uuids = Object.keys(manifest);
    const concurrency = isHttp ? HTTP_CONCURRENCY : FOLDER_CONCURRENCY;
    let next = 0;
    let pages = 0;
    let attributes = 0;
    while (pages < uuids.length) {
      for (; inFlight.length < concurrency && next < uuids.length; next++) {
        const uuid = uuids[next] ?? '';
        const promise = readEvent(read, uuid, manifest[uuid] ?? null, signal, feed);
        // A read ahead may fail while the caller is busy; it surfaces when its turn comes.
        promise.catch(() => undefined);
        inFlight.push(promise);
      }

      const head = inFlight.shift();
      if (head === undefined) break;
      const parsed = await head;
      pages += 1;
      attributes += parsed.attributes.length;
      request.onProgress?.({ pages, attributes });
      yield parsed.attributes;
    }
  } finally {
    stop.abort();
    await Promise.allSettled(inFlight);
    await http?.destroy();
  }
}

function createFeedHttpClient(options: MispFeedOptions): HttpClient {
  return createHttpClient({
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    verifyTls: options.verifyTls ?? true,
    caFile: options.caFile,
    retries: options.retries ?? 3,
    retryBaseMs: options.retryBaseMs ?? 1000,
    errors: FEED_TRANSPORT_ERRORS,
    log: options.log,
  });
}

async function readManifest(
  read: FeedReader,
  signal: AbortSignal | undefined,
  details: ErrorDetails,
): Promise<Readonly<Record<string, JsonObject>>> {
  const text = await read('manifest.json', signal);
  if (text === null)
    throw new IocrelayError('FEED_BAD_MANIFEST', { ...details, reason: 'missing' });

  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new IocrelayError(
      'FEED_BAD_MANIFEST',
      { ...details, reason: 'invalid_json' },
      { cause: error },
    );
  }

  // MISP's manifest maps each event uuid to a summary object (info, Orgc, Tag, timestamp…).
  if (!isJsonObject(manifest)) {
    throw new IocrelayError('FEED_BAD_MANIFEST', { ...details, reason: 'not_an_object' });
  }
  for (const [key, summary] of Object.entries(manifest)) {
    if (!UUID.test(key) || !isJsonObject(summary)) {
      throw new IocrelayError('FEED_BAD_MANIFEST', {
        ...details,
        reason: 'bad_entry',
        entry: key.slice(0, 64),
      });
    }
  }
  return manifest as Readonly<Record<string, JsonObject>>;
}

async function readEvent(
  read: FeedReader,
  uuid: string,
  summary: JsonObject | null,
  signal: AbortSignal | undefined,
  feed: string,
): Promise<ParsedFeedEvent> {
  // Fail-safe: a manifest entry whose file is missing or malformed fails the whole pull, as a
  // feed missing events must never look complete.
  const text = await read(`${uuid}.json`, signal);
  if (text === null)
    throw new IocrelayError('FEED_BAD_EVENT', { feed, event: uuid, reason: 'missing' });

  try {
    return parseFeedEvent(JSON.parse(text), uuid, summary);
  } catch (error) {
    const reason =
      error instanceof MispShapeError
        ? `${error.path}: expected ${error.expected}`
        : 'invalid_json';
    throw new IocrelayError('FEED_BAD_EVENT', { feed, event: uuid, reason }, { cause: error });
  }
}

function folderReader(folder: string, feed: string): FeedReader {
  return async (file, signal) => {
    try {
      return await readFile(join(folder, file), { encoding: 'utf8', signal });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const code = (error as { code?: unknown }).code;
      // A missing file is the caller's to judge, unless the folder itself is missing.
      if (code === 'ENOENT' && (await isFolder(folder))) return null;
      const details = { feed, location: folder, reason: String(code) };
      throw new IocrelayError('FEED_UNREACHABLE', details, { cause: error });
    }
  };
}

function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

function httpReader(http: HttpClient, options: MispFeedOptions, feed: string): FeedReader {
  const base = options.location.endsWith('/') ? options.location : `${options.location}/`;
  return async (file, signal) => {
    const url = new URL(file, base).toString();
    const headers = { Accept: 'application/json', ...options.headers };
    const response = await http.send({ method: 'GET', url, headers, signal });
    if (response.status === 404 || response.status === 410) return null;
    if (response.status === 200) return response.body;

    // Redirects are not followed: feeds[].url should name the feed folder itself, and headers
    // given for this host (credentials) must not travel to another one. The target is shown.
    const location = response.headers.location;
    const details = { feed, url: redactUrl(url), status: response.status };
    throw new IocrelayError(
      'FEED_HTTP_ERROR',
      location ? { ...details, location: redactUrl(new URL(location, url).toString()) } : details,
    );
  };
}
