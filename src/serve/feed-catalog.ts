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
  const gzipped = bytes.length >= GZIP_MIN_BYTES ? gzipSync(bytes) : null;
  return Object.freeze({
    bytes,
    gzipped: gzipped !== null && gzipped.length < bytes.length ? gzipped : null,
    sha256,
    etag: `"${sha256}"`,
    gzipEtag: `"${sha256}.gz"`,
    contentType: input.contentType,
    entries: input.entries,
    publishedAt: input.publishedAt,
    lastModified: new Date(input.publishedAt).toUTCString(),
  });
}
