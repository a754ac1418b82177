import { z } from 'zod';
import { duration } from './duration.js';

// S3 bucket naming rules (general purpose buckets): 3–63 characters, lowercase letters,
// digits, dots and hyphens, starting and ending with a letter or digit.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const s3Schema = z
  .strictObject({
    bucket: z
      .string()
      .regex(BUCKET_NAME, 'must be an S3 bucket name: 3–63 lowercase letters, digits, . or -')
      .meta({ description: 'Bucket the lists are uploaded to.', examples: ['blocklists'] }),
    prefix: z
      .string()
      .regex(/^(?:[A-Za-z0-9._-]+\/)*$/, 'must be empty or folder names each ending with /')
      .default('')
      .meta({
        description: 'Key prefix: objects land at <prefix><tenant id>/<file>.',
        examples: ['feeds/'],
      }),
    region: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'must be a region name such as us-east-1')
      .default('us-east-1')
      .meta({ description: 'Region of the bucket.', examples: ['us-east-1'] }),
    endpoint: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .optional()
      .meta({
        description:
          'Endpoint of an S3-compatible store (MinIO, Ceph…); addressed path-style. Leave out for AWS.',
        examples: ['http://127.0.0.1:4569'],
      }),
    access_key_id: z
      .string()
      .min(1, 'must not be empty: set it, or leave both keys out to use the AWS chain')
      .optional()
      .meta({
        description:
          'Access key id. Leave out (with secret_access_key) to use the standard AWS credential chain.',
        examples: ['${S3_ACCESS_KEY_ID}'],
      }),
    secret_access_key: z
      .string()
      .min(1, 'must not be empty: set it, or leave both keys out to use the AWS chain')
      .optional()
      .meta({
        description: 'Secret access key. Use ${VAR}, never the key itself.',
        examples: ['${S3_SECRET_ACCESS_KEY}'],
      }),
    public_read: z
      .boolean()
      .default(false)
      .meta({
        description:
          'Upload objects with the public-read ACL, for devices that cannot authenticate. Anyone with the URL can then read the list.',
        examples: [false],
      }),
    cache_control: z
      .string()
      .min(1)
      .default('no-cache')
      .meta({
        description: 'Cache-Control of the objects; no-cache makes a CDN or proxy revalidate.',
        examples: ['no-cache'],
      }),
    presign_expires: duration({
      min: 60,
      max: 7 * 86_400,
      default: '7d',
      description: 'Lifetime of a URL printed by `iocrelay presign` (SigV4 allows 7 days at most).',
      example: '7d',
    }),
  })
  .meta({ description: 'Upload every list to an S3 bucket as well (private by default).' });

/** `publish`: where lists go. */
export const publishSchema = z
  .strictObject({
    dir: z
      .string()
      .min(1)
      .default('./public')
      .meta({ description: 'Folder the lists are written to.', examples: ['./public'] }),
    max_shrink: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .meta({
        description:
          'A list that would lose more than this share of its entries in one run is held back (use --force to publish it).',
        examples: [0.5],
      }),
    s3: s3Schema.optional(),
  })
  .meta({ description: 'Where and how lists are published.' });

export type S3Config = z.infer<typeof s3Schema>;
