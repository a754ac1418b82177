import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** What a publication hands the catalog. */
export interface FeedInput {
  readonly bytes: Buffer;
  readonly contentType: string;
  /** Entries on the list, for the `X-Entry-Count` header; null when not known. */
  readonly entries: number | null;
  /** Unix milliseconds the list was published: Last-Modified. */
  readonly publishedAt: number;
}

/**
 * One form of a list as sent (plain or gzip), with its response headers built once, in the
 * order they go out, so that answering a device copies them and computes nothing.
 */
export interface FeedRepresentation {
  readonly body: Buffer;
  /**
   * A 304's headers: ETag, Cache-Control and Vary, what RFC 9110 §15.4.5 requires of a 304
   * (Date comes from node); the rest of the 200's metadata is left out, as it says.
   */
  readonly notModifiedHeaders: Readonly<Record<string, string>>;
  /**
   * A 200's headers: ETag, Cache-Control, Vary, Last-Modified, X-Published-At, X-Entry-Count,
   * Content-Type, Content-Encoding (gzip form), Content-Length.
   */
  readonly okHeaders: Readonly<Record<string, string>>;
}

/**
 * One version of a list as the feed server sends it, built once on publication: the bytes,
 * their gzip form, the validators and the header values. Never changed after it is built.
 */
export interface FeedVersion {
  readonly bytes: Buffer;
  /** The gzip form, or null when it would not be smaller. */
  readonly gzipped: Buffer | null;
  /** SHA-256 (hex) of `bytes`: what delivery tracking records and the store publishes. */
  readonly sha256: string;
  /** Strong ETag of the plain bytes, `"<sha256>"`. */
  readonly etag: string;
  /** Strong ETag of the gzip form, `"<sha256>.gz"`: another representation, another tag. */
  readonly gzipEtag: string;
  readonly contentType: string;
  readonly entries: number | null;
  readonly publishedAt: number;
  /** `publishedAt` as an HTTP date. */
  readonly lastModified: string;
  readonly plain: FeedRepresentation;
  /** The gzip form, when `gzipped` is not null. */
  readonly gzip: FeedRepresentation | null;
}

/**
 * The lists the feed server answers with, in memory. A publication replaces a list's version
 * in one step (one Map entry swapped for a new immutable object), so a request holds the old
 * version or the new one, never part of each; a failed sync leaves every version as it was.
 *
 * @example
 * const catalog = createFeedCatalog();
 * catalog.put('acme', 'ip.txt', { bytes, contentType: 'text/plain; charset=utf-8', entries: 2, publishedAt: Date.now() });
 * catalog.get('acme', 'ip.txt')?.etag;
 */
export interface FeedCatalog {
  get(tenant: string, file: string): FeedVersion | undefined;
  /**
   * Puts a list version. `unchanged` when the catalog already holds these exact bytes: the
   * held version, with its publication time, stays.
   */
  put(tenant: string, file: string, input: FeedInput): 'written' | 'unchanged';
}

// Lists under this size are sent as they are: gzip would save less than its own overhead.
const GZIP_MIN_BYTES = 1024;

/**
 * An empty catalog.
 *
 * @example
 * const catalog = createFeedCatalog();
 */
export function createFeedCatalog(): FeedCatalog {
  const versions = new Map<string, FeedVersion>();
  const keyOf = (tenant: string, file: string): string => `${tenant}/${file}`;

  return {
    get: (tenant, file) => versions.get(keyOf(tenant, file)),
    put(tenant, file, input) {
      const key = keyOf(tenant, file);
      const sha256 = createHash('sha256').update(input.bytes).digest('hex');
      const held = versions.get(key);
      if (held?.sha256 === sha256 && held.contentType === input.contentType) return 'unchanged';

      versions.set(key, buildVersion(input, sha256));
      return 'written';
    },
  };
}

function buildVersion(input: FeedInput, sha256: string): FeedVersion {
  const bytes = Buffer.from(input.bytes);
  const zipped = bytes.length >= GZIP_MIN_BYTES ? gzipSync(bytes) : null;
  const gzipped = zipped !== null && zipped.length < bytes.length ? zipped : null;
  const etag = `"${sha256}"`;
  const gzipEtag = `"${sha256}.gz"`;
  const lastModified = new Date(input.publishedAt).toUTCString();
  const metadata = {
    'last-modified': lastModified,
    'x-published-at': new Date(input.publishedAt).toISOString(),
    ...(input.entries === null ? {} : { 'x-entry-count': String(input.entries) }),
  };
  return Object.freeze({
    bytes,
    gzipped,
    sha256,
    etag,
    gzipEtag,
    contentType: input.contentType,
    entries: input.entries,
    publishedAt: input.publishedAt,
    lastModified,
    plain: representationOf(bytes, etag, metadata, { 'content-type': input.contentType }),
    gzip:
      gzipped === null
        ? null
        : representationOf(gzipped, gzipEtag, metadata, {
            'content-type': input.contentType,
            'content-encoding': 'gzip',
          }),
  });
}

// What a 304 must repeat from the 200 (RFC 9110 §15.4.5), besides the ETag and node's Date.
const CACHE_HEADERS = { 'cache-control': 'no-cache', vary: 'Accept-Encoding' } as const;

function representationOf(
  body: Buffer,
  etag: string,
  metadata: Record<string, string>,
  contentHeaders: Record<string, string>,
): FeedRepresentation {
  return Object.freeze({
    body,
    notModifiedHeaders: Object.freeze({ etag, ...CACHE_HEADERS }),
    okHeaders: Object.freeze({
      etag,
      ...CACHE_HEADERS,
      ...metadata,
      ...contentHeaders,
      'content-length': String(body.length),
    }),
  });
}
