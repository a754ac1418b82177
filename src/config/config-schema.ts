import { z } from 'zod';
import { duration } from './duration.js';
import { feedSchema, mispQuerySchema, retries, SUPPORTED_MISP_TYPES } from './source-schema.js';

export { SUPPORTED_MISP_TYPES } from './source-schema.js';
import { policyDefaultsSchema, tlpDefaultSchema, type PolicyDefaults } from './policy-schema.js';
import { allowSchema, tenantSchema } from './tenant-schema.js';
import { publishSchema } from './publish-schema.js';
import { serverSchema } from './server-schema.js';
import { uiSchema } from './ui-schema.js';

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
    interval: duration({
      min: 30,
      default: '5m',
      description:
        '`iocrelay serve` runs the sync this often (plus up to 10% jitter), one run at a time.',
      example: '5m',
    }),
    sightings: z
      .boolean()
      .default(false)
      .meta({
        description:
          "Ask for each attribute's sightings: the newest sighting counts as activity for expiry, an expiration sighting (type 2) expires it. Sightings do not change an attribute's timestamp, so they are read at the full reconcile.",
        examples: [true],
      }),
    decay_score: z
      .boolean()
      .default(false)
      .meta({
        description:
          "Ask for MISP's decay score (includeDecayScore): an attribute a decaying model marks decayed is not listed. Scores are refreshed at the full reconcile.",
        examples: [true],
      }),
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
  publish: publishSchema.prefault({}),
  server: serverSchema.prefault({}),
  ui: uiSchema.optional(),
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
