import { z } from 'zod';
import { duration } from './duration.js';
import { policyDefaultsSchema, tlpDefaultSchema, type PolicyDefaults } from './policy-schema.js';
import { allowSchema, TENANT_ID, tenantSchema } from './tenant-schema.js';

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

const mispQuerySchema = z
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

const mispSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL of the MISP instance' })
      .meta({ description: 'Base URL of the MISP instance.', examples: ['https://misp.example'] }),
    api_key: z
      .string()
      .min(1, 'must not be empty: set it, or give api_key_file')
      .optional()
      .meta({
        description: 'MISP automation key. Use ${MISP_API_KEY}, never the key itself.',
        examples: ['${MISP_API_KEY}'],
      }),
    api_key_file: z
      .string()
      .optional()
      .meta({
        description: 'File holding the key (a Docker or systemd secret); read at start.',
        examples: ['/run/secrets/misp_key'],
      }),
    query: mispQuerySchema.default({ type: [...SUPPORTED_MISP_TYPES] }),
    verify_tls: z
      .boolean()
      .default(true)
      .meta({
        description: 'Verify the MISP TLS certificate. Turning it off logs a warning at every run.',
        examples: [true],
      }),
    ca_file: z
      .string()
      .optional()
      .meta({
        description: 'PEM file of the CA that signed the MISP certificate (private PKI).',
        examples: ['/etc/iocrelay/misp-ca.pem'],
      }),
    page_size: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(5000)
      .meta({
        description: 'Attributes per restSearch page. Lower it if MISP runs out of memory.',
        examples: [5000],
      }),
    timeout: duration({
      min: 1,
      max: 3600,
      default: '60s',
      description: 'Time allowed for one MISP request.',
      example: '60s',
    }),
    retries: retries('a request'),
    full_sync_interval: duration({
      min: 60,
      default: '24h',
      description: 'How often a run pulls everything (reconcile) instead of changes only.',
      example: '24h',
    }),
    incremental_overlap: duration({
      min: 0,
      max: 86_400,
      default: '5m',
      description:
        'An incremental pull starts this long before the last attribute timestamp seen, to absorb clock skew.',
      example: '5m',
    }),
  })
  .meta({ description: 'The MISP instance to pull attributes from over its REST API.' });

const feedSchema = z
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

const warninglistsSchema = z
  .strictObject({
    dir: z
      .string()
      .min(1)
      .meta({
        description:
          'Folder of misp-warninglists lists (<name>/list.json), such as a clone of the repository.',
        examples: ['./warninglists'],
      }),
    lists: z
      .array(z.string().min(1))
      .optional()
      .meta({
        description: 'Names of the lists applied to every tenant; all lists in dir when left out.',
        examples: [['List of known IPv4 public DNS resolvers']],
      }),
  })
  .meta({
    description:
      'MISP warninglists: values on them (well-known services, public resolvers…) are never listed.',
  });

const publishSchema = z
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
  })
  .meta({ description: 'Where and how lists are published.' });

/**
 * The configuration file, as validated at start. Relative paths are resolved against the
 * folder of the configuration file.
 */
export const configSchema = z.strictObject({
  database: z
    .string()
    .min(1)
    .default('./var/iocrelay.db')
    .meta({
      description: 'SQLite database file; its folder is created.',
      examples: ['./var/iocrelay.db'],
    }),
  log_level: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .meta({ description: 'Log level; --log-level overrides it.', examples: ['info'] }),
  misp: mispSchema.optional(),
  feeds: z
    .array(feedSchema)
    .default([])
    .meta({ description: 'MISP-format feeds to pull besides (or instead of) MISP.' }),
  publish: publishSchema.default({ dir: './public', max_shrink: 0.5 }),
  tlp_default: tlpDefaultSchema,
  warninglists: warninglistsSchema.optional(),
  allow: allowSchema('Values never listed for any tenant.'),
  policy: policyDefaultsSchema.prefault({}),
  tenants: z
    .array(tenantSchema)
    .min(1)
    .prefault([{ id: 'default' }])
    .meta({
      description: 'Tenants. Without this key one tenant `default` gets one list per kind.',
    }),
});

export type Config = Omit<z.output<typeof configSchema>, 'policy'> & {
  readonly policy: PolicyDefaults;
};
export type TenantConfig = Config['tenants'][number];
export type ListConfig = TenantConfig['lists'][number];
export type MispConfig = NonNullable<Config['misp']>;
export type FeedConfig = Config['feeds'][number];

function retries(what: string) {
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
