import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Config } from '../config/publish-schema.js';
import { IocrelayError } from '../errors/iocrelay-error.js';
import { createS3Client } from './s3-client.js';
import { describeS3Failure, s3ObjectKey } from './s3-publisher.js';

/**
 * A presigned GET URL of a tenant's list in the bucket, valid `presign_expires` seconds: a
 * device that cannot sign requests fetches its private list with it. The URL is signed
 * locally, without a request to S3, so it is handed out whether or not the list was already
 * published. Signed with temporary credentials (a role, SSO), it stops working when they
 * expire, however long `presign_expires` is.
 *
 * @example
 * const url = await presignListUrl(config.publish.s3, 'acme', 'ip.txt');
 */
export async function presignListUrl(
  config: S3Config,
  tenant: string,
  file: string,
  client: S3Client = createS3Client(config),
): Promise<string> {
  const key = s3ObjectKey(config, tenant, file);
  try {
    return await getSignedUrl(client, new GetObjectCommand({ Bucket: config.bucket, Key: key }), {
      expiresIn: config.presign_expires,
    });
  } catch (error) {
    // Only the credential chain can fail here (no keys found): same code as an upload.
    throw new IocrelayError(
      'PUBLISH_S3_FAILED',
      { bucket: config.bucket, key, operation: 'presign', reason: describeS3Failure(error) },
      { cause: error },
    );
  }
}
