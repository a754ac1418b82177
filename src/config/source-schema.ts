import { z } from 'zod';

import { duration } from './duration.js';
import { TENANT_ID } from './tenant-id.js';

/**
 * MISP attribute types iocrelay turns into indicators, as literals for the schema; a test keeps
 * them equal to the normalizer's SUPPORTED_ATTRIBUTE_TYPES.
 */
export const SUPPORTED_MISP_TYPES = [
  'ip-src',
  'ip-dst',
  'ip-src|port',
  'ip-dst|port',
  'domain',
  'hostname',
  'domain|ip',
  'hostname|port',
  'url',
  'md5',
  'sha1',
  'sha256',
  'filename|md5',
  'filename|sha1',
  'filename|sha256',
] as const;

export const mispQuerySchema = z
  .looseObject({
    type: z
      .array(z.enum(SUPPORTED_MISP_TYPES))
      .min(1)
      .default([...SUPPORTED_MISP_TYPES])
      .meta({ description: 'MISP attribute types to pull.', examples: [['ip-dst', 'domain']] }),
    to_ids: z
      .boolean()
      .optional()
      .meta({ description: 'Only attributes flagged for detection (to_ids).', examples: [true] }),
    published: z
      .boolean()
      .optional()
      .meta({ description: 'Only attributes of published events.', examples: [true] }),
  })
  .meta({
    description:
      "Filters sent to /attributes/restSearch. Other restSearch filters (tags, org, last…) pass through unchanged; paging keys are iocrelay's own.",
  });

export const feedSchema = z
  .strictObject({
    name: z
      .string()
      .regex(TENANT_ID, 'must be lowercase letters, digits, - or _')
      .meta({
        description: 'Short name; the source id is feed:<name>.',
        examples: ['circl-osint'],
      }),
    url: z
      .string()
      .min(1)
      .refine(
        (location) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(location) || /^https?:\/\//i.test(location),
        {
          message: 'must be a folder path or an http(s) URL',
        },
      )
      .meta({
        description:
          'Folder path or http(s) URL holding manifest.json and one <uuid>.json per event.',
        examples: ['./feeds/osint'],
      }),
    verify_tls: z
      .boolean()
      .default(true)
      .meta({ description: 'Verify TLS for an https feed.', examples: [true] }),
    ca_file: z
      .string()
      .optional()
      .meta({
        description: 'PEM CA file for an https feed.',
        examples: ['/etc/iocrelay/feed-ca.pem'],
      }),
    timeout: duration({
      min: 1,
      max: 3600,
      default: '60s',
      description: 'Time allowed for one feed request.',
      example: '60s',
    }),
    headers: z
      .record(z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name'), z.string())
      .default({})
      .meta({
        description:
          'HTTP headers sent with every request of an http(s) feed, such as an Authorization for a private feed. Use ${VAR} for secrets; never logged.',
        examples: [{ Authorization: '${FEED_TOKEN}' }],
      }),
    retries: retries('a feed request'),
  })
  .meta({ description: 'A MISP-format feed: a folder or URL with manifest.json and event files.' });

/**
 * Retries of a request, for MISP and feeds alike.
 *
 * @example
 * retries('a request').parse(undefined); // 3
 */
export function retries(what: string) {
  return z
    .number()
    .int()
    .min(0)
    .max(10)
    .default(3)
    .meta({
      description: `Retries of ${what} that failed with a 5xx, a timeout or a network error.`,
      examples: [3],
    });
}
