import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import type { FeedVersion } from './feed-catalog.js';

/** Content-Type by extension for files the tenant does not name in `contentTypes`. */
export const DEFAULT_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.rpz': 'text/dns; charset=utf-8',
  '.zone': 'text/dns; charset=utf-8',
};

const FALLBACK_CONTENT_TYPE = 'text/plain; charset=utf-8';

/** One version of a published list, as read from disk. */
export interface FeedFile {
  readonly bytes: Buffer;
  /** SHA-256 of the bytes, hex: the ETag. */
  readonly sha256: string;
  readonly mtimeMs: number;
}

/**
 * Reads a list whole, at each request. Lists are replaced by rename, and the bytes and the
 * mtime are both taken from one open file handle, so they belong to the same version: old or
 * new, never half of one. Lists are small and devices poll every few minutes, so hashing on
 * each request costs less than a cache would in code. Null when the file does not exist.
 *
 * @example
 * const file = await readFeedFile('/srv/iocrelay/public/acme/ip.txt');
 */
export async function readFeedFile(path: string): Promise<FeedFile | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }

  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return null;
    const bytes = await handle.readFile();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return { bytes, sha256, mtimeMs: stats.mtimeMs };
  } finally {
    await handle.close();
  }
}

/**
 * The Content-Type of a list: the tenant's own entry for the file, else by extension, else
 * text/plain (every iocrelay format is text).
 *
 * @example
 * contentTypeOf('ip.txt', {}); // 'text/plain; charset=utf-8'
 */
export function contentTypeOf(file: string, byFile: Readonly<Record<string, string>>): string {
  if (Object.hasOwn(byFile, file)) return byFile[file] ?? FALLBACK_CONTENT_TYPE;

  const extension = extname(file).toLowerCase();
  return Object.hasOwn(DEFAULT_CONTENT_TYPES, extension)
    ? (DEFAULT_CONTENT_TYPES[extension] ?? FALLBACK_CONTENT_TYPE)
    : FALLBACK_CONTENT_TYPE;
}

/**
 * How a conditional request shows the device already holds this version, or null when it does
 * not (RFC 9110 §13.1.2 and §13.1.3):
 * - `tag`: If-None-Match names the version (either representation, weak comparison);
 * - `any`: If-None-Match is `*` (any version): answered 304 as the RFC says, but it proves
 *   nothing about which version the device holds;
 * - `date`: no If-None-Match, and If-Modified-Since is exactly this version's Last-Modified.
 *
 * DECISION: If-Modified-Since counts only when it equals the Last-Modified this server sent
 * for the current version, not when it is merely later (which the RFC allows): a device that
 * writes its own clock there, or whose clock runs ahead, would otherwise keep an old list
 * forever, and a missed block is worse than a resent list.
 *
 * @example
 * notModifiedBy({ 'if-none-match': version.etag }, version); // 'tag'
 */
export function notModifiedBy(
  headers: { readonly 'if-none-match'?: string; readonly 'if-modified-since'?: string },
  version: Pick<FeedVersion, 'etag' | 'gzipEtag' | 'publishedAt'>,
): 'tag' | 'any' | 'date' | null {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    // A device sends back the one tag it was given: that answer needs no parsing.
    if (ifNoneMatch === version.etag || ifNoneMatch === version.gzipEtag) return 'tag';
    let isAny = false;
    for (const entry of ifNoneMatch.split(',')) {
      const tag = entry.trim().replace(/^W\//, '');
      if (tag === version.etag || tag === version.gzipEtag) return 'tag';
      if (tag === '*') isAny = true;
    }
    return isAny ? 'any' : null;
  }

  const ifModifiedSince = headers['if-modified-since'];
  if (ifModifiedSince === undefined) return null;
  const since = Date.parse(ifModifiedSince);
  return since === Math.floor(version.publishedAt / 1000) * 1000 ? 'date' : null;
}

/**
 * Whether Accept-Encoding takes gzip (RFC 9110 §12.5.3): `gzip`, `x-gzip` or `*` with a
 * q-value above zero.
 *
 * @example
 * acceptsGzip('gzip, deflate, br'); // true
 * acceptsGzip('gzip;q=0'); // false
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined || header.length === 0) return false;

  let isAccepted = false;
  for (const entry of header.toLowerCase().split(',')) {
    const [coding = '', ...parameters] = entry.split(';').map((part) => part.trim());
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') continue;
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    // An explicit gzip entry decides over `*`.
    if (coding !== '*') return weight > 0;
    isAccepted = weight > 0;
  }
  return isAccepted;
}
