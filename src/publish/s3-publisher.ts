import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3ServiceException,
  type HeadObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { S3Config } from '../config/publish-schema.js';
import { IocrelayError } from '../errors/iocrelay-error.js';
import { silentLogger, type Logger } from '../log/logger.js';
import type { PublishItem, PublishOutcome, Publisher } from './publisher.js';
import { createS3Client } from './s3-client.js';

export interface S3PublisherOptions {
  /** A client of one's own (tests, a shared client); by default one from createS3Client. */
  readonly client?: S3Client;
  readonly log?: Logger;
}

/**
 * Publishes to `s3://<bucket>/<prefix><tenant>/<file>`. S3 replaces an object whole on PUT, so
 * a device reads the old list or the new one, never a mix. Before uploading, HeadObject tells
 * whether the object already holds these bytes (its `x-amz-meta-sha256`) with the same
 * Content-Type, Cache-Control and access: then nothing is sent, and the object keeps its
 * Last-Modified and ETag, so HTTP caches stay valid. After an upload the object is read back
 * with HeadObject and its SHA-256 and length checked. Objects are private unless
 * `public_read` is on.
 *
 * @example
 * const s3 = createS3Publisher(config.publish.s3, { log });
 * await s3.publish(item); // { status: 'written', location: 's3://blocklists/feeds/acme/ip.txt' }
 */
export function createS3Publisher(config: S3Config, options: S3PublisherOptions = {}): Publisher {
  const client = options.client ?? createS3Client(config);
  const log = (options.log ?? silentLogger()).child({ component: 's3' });
  const bucket = config.bucket;
  const access = config.public_read ? 'public-read' : 'private';

  return {
    name: 's3',

    async publish(item: PublishItem): Promise<PublishOutcome> {
      const key = s3ObjectKey(config, item.tenant, item.file);
      const location = `s3://${bucket}/${key}`;
      const call = <T>(operation: string, run: () => Promise<T>) =>
        callS3(operation, bucket, key, run);

      const current = await call('HeadObject', () => headObject(client, bucket, key));
      if (current !== null && holds(current, item, config.cache_control, access)) {
        log.debug({ bucket, key }, 'object unchanged');
        return { status: 'unchanged', location };
      }

      await call('PutObject', () =>
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: item.content,
            ContentLength: item.content.length,
            ContentMD5: createHash('md5').update(item.content).digest('base64'),
            ContentType: item.contentType,
            CacheControl: config.cache_control,
            Metadata: { sha256: item.sha256, access },
            // No ACL header when private: a bucket with ACLs disabled (S3 Object Ownership
            // "bucket owner enforced", the default since April 2023) refuses any ACL header.
            ...(config.public_read ? { ACL: 'public-read' } : {}),
          }),
        ),
      );

      const stored = await call('HeadObject', () => headObject(client, bucket, key));
      if (stored?.Metadata?.['sha256'] !== item.sha256)
        throw failure('HeadObject', bucket, key, 'stored object has another sha256');
      if (stored.ContentLength !== item.content.length)
        throw failure('HeadObject', bucket, key, 'stored object has another length');

      log.debug({ bucket, key, bytes: item.content.length }, 'object uploaded');
      return { status: 'written', location };
    },

    async read(tenant: string, file: string): Promise<Buffer | null> {
      const key = s3ObjectKey(config, tenant, file);
      return callS3('GetObject', bucket, key, async () => {
        try {
          const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          return Buffer.from((await response.Body?.transformToByteArray()) ?? []);
        } catch (error) {
          if (error instanceof S3ServiceException && error.name === 'NoSuchKey') return null;
          throw error;
        }
      });
    },
  };
}

/**
 * The object key of a tenant's list: `<prefix><tenant>/<file>`.
 *
 * @example
 * s3ObjectKey({ ...s3, prefix: 'feeds/' }, 'acme', 'ip.txt'); // 'feeds/acme/ip.txt'
 */
export function s3ObjectKey(config: Pick<S3Config, 'prefix'>, tenant: string, file: string) {
  return `${config.prefix}${tenant}/${file}`;
}

/**
 * The short reason of an S3 failure for error details: the S3 error name with its HTTP status,
 * or the network error code. Never the message, which may quote a signed request.
 *
 * @example
 * describeS3Failure(error); // 'NoSuchBucket (HTTP 404)', 'ECONNREFUSED'
 */
export function describeS3Failure(error: unknown): string {
  if (error instanceof S3ServiceException)
    return `${error.name} (HTTP ${error.$metadata.httpStatusCode ?? 'unknown'})`;

  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (typeof code === 'string') return code;
  if (typeof name === 'string' && name !== 'Error') return name;
  return 'unknown';
}

async function callS3<T>(
  operation: string,
  bucket: string,
  key: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof IocrelayError) throw error;
    throw failure(operation, bucket, key, describeS3Failure(error), error);
  }
}

function failure(
  operation: string,
  bucket: string,
  key: string,
  reason: string,
  cause?: unknown,
): IocrelayError {
  return new IocrelayError('PUBLISH_S3_FAILED', { bucket, key, operation, reason }, { cause });
}

// HeadObject answers a missing object with a bare 404 (no error body, so no NoSuchKey name).
async function headObject(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<HeadObjectCommandOutput | null> {
  try {
    return await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return null;
    throw error;
  }
}

function holds(
  object: HeadObjectCommandOutput,
  item: PublishItem,
  cacheControl: string,
  access: string,
): boolean {
  return (
    object.Metadata?.['sha256'] === item.sha256 &&
    object.ContentLength === item.content.length &&
    object.ContentType === item.contentType &&
    object.CacheControl === cacheControl &&
    object.Metadata['access'] === access
  );
}
