import { S3Client } from '@aws-sdk/client-s3';
import type { S3Config } from '../config/publish-schema.js';

/**
 * Time bounds of every S3 request. A store that refuses connections fails in well under a
 * second; one that accepts none fails after 3 attempts of CONNECT_TIMEOUT_MS (about 10 s); one
 * that stops answering mid-request after 3 of IDLE_TIMEOUT_MS (about 16 s). REQUEST_TIMEOUT_MS
 * caps one attempt in total, so a trickling store cannot hold a run for minutes either.
 */
export const S3_TIMEOUTS = {
  MAX_ATTEMPTS: 3,
  CONNECT_TIMEOUT_MS: 3_000,
  IDLE_TIMEOUT_MS: 5_000,
  REQUEST_TIMEOUT_MS: 30_000,
} as const;

/**
 * The S3 client for `publish.s3`: path-style addressing when an endpoint is given (MinIO, Ceph
 * and most S3-compatible stores serve no bucket sub-domains), the configured keys or else the
 * standard AWS credential chain (environment, shared files, SSO, instance or task role), and
 * bounded time (see S3_TIMEOUTS).
 *
 * @example
 * const client = createS3Client({ ...s3, endpoint: 'http://127.0.0.1:4569' });
 */
export function createS3Client(config: S3Config): S3Client {
  const hasKeyId = config.access_key_id !== undefined;
  if (hasKeyId !== (config.secret_access_key !== undefined))
    throw new TypeError(
      'publish.s3: give access_key_id and secret_access_key together, or neither',
    );

  // The SDK warns on stderr, in plain text amid the JSON log, that its releases after January
  // 2027 will need Node 22. The lockfile pins the SDK, so that is for iocrelay's maintainers
  // (package.json engines), not for the operator; a value set in the environment still wins.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

  return new S3Client({
    region: config.region,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint, forcePathStyle: true }),
    ...(hasKeyId
      ? {
          credentials: {
            accessKeyId: config.access_key_id ?? '',
            secretAccessKey: config.secret_access_key ?? '',
          },
        }
      : {}),
    maxAttempts: S3_TIMEOUTS.MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: S3_TIMEOUTS.CONNECT_TIMEOUT_MS,
      socketTimeout: S3_TIMEOUTS.IDLE_TIMEOUT_MS,
      requestTimeout: S3_TIMEOUTS.REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
    // SDK 3.729 added CRC32 checksums to every upload by default, which S3-compatible stores
    // that predate them refuse (aws/aws-sdk-js-v3#6810). Uploads send Content-MD5 instead,
    // which S3 and every compatible store verify.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
