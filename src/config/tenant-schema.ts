import { z } from 'zod';

import { INDICATOR_KINDS } from '../normalize/indicator.js';
import { FORMATS } from '../render/renderers.js';
import { policyOverrideSchema } from './policy-schema.js';
import { feedAuthSchema } from './server-schema.js';

import { TENANT_ID } from './tenant-id.js';
import { feedSchema, mispQuerySchema } from './source-schema.js';
const LIST_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** What a tenant gets when the config names no lists: one list per kind. */
export const DEFAULT_LISTS = INDICATOR_KINDS.map((kind) => ({
  file: `${kind}.txt`,
  types: [kind],
  format: 'plain',
  aggregate: false,
}));

/**
 * An allowlist: IPs, CIDRs, domains (covering their subdomains) and URL prefixes. Entries are
 * checked by the policy compiler, which reports a bad one with its index.
 *
 * @example
 * allowSchema('Values never listed for any tenant.').parse(['192.0.2.10', 'intranet.example']);
 */
export function allowSchema(description: string) {
  return z
    .array(z.string().trim().min(1, 'must not be empty'))
    .default([])
    .meta({
      description: `${description} IPs, CIDRs (a listed network is split around them), domains (with their subdomains) and URL prefixes.`,
      examples: [['192.0.2.10', '198.51.100.0/28', 'intranet.example']],
    });
}

const listSchema = z
  .strictObject({
    file: z
      .string()
      .regex(LIST_FILE, 'must be a plain file name (letters, digits, . _ -), no folders')
      .meta({ description: 'File name under <publish.dir>/<tenant id>/.', examples: ['ip.txt'] }),
    types: z
      .array(z.enum(INDICATOR_KINDS))
      .min(1)
      .meta({
        description: 'Indicator kinds on the list: ip, domain, url, md5, sha1, sha256.',
        examples: [['ip']],
      }),
    format: z
      .enum(FORMATS)
      .default('plain')
      .meta({
        description:
          'Device format of the file: plain (one entry per line); the other formats are listed in docs/formats.md.',
        examples: ['plain'],
      }),
    aggregate: z
      .boolean()
      .default(false)
      .meta({
        description:
          'Collapse IP entries into the fewest CIDRs covering exactly the same addresses, after every filter.',
        examples: [true],
      }),
    max_entries: z
      .number()
      .int()
      .min(1)
      .optional()
      .meta({
        description:
          'Most entries the device takes (PAN-OS: 50000 or 150000). Beyond it, entries are left out by priority (see docs/policy.md), with a warning.',
        examples: [50000],
      }),
  })
  .meta({ description: 'One published list.' });

export const tenantSchema = z
  .strictObject({
    id: z
      .string()
      .regex(TENANT_ID, 'must be lowercase letters, digits, - or _ (it becomes a folder name)')
      .meta({
        description: 'Tenant id; its lists land in <publish.dir>/<id>/.',
        examples: ['acme'],
      }),
    owner_tag: z
      .string()
      .trim()
      .min(1)
      .regex(
        /^[^*]+$/,
        "must be one exact tag: a pattern could hand one tenant's indicators to another",
      )
      .optional()
      .meta({
        description:
          'MISP tag (on the event or the attribute) naming the indicators that belong to this tenant: TLP:AMBER ones go to it alone.',
        examples: ['customer:acme'],
      }),
    allow: allowSchema("The tenant's own allowlist, on top of the global one."),
    warninglists: z
      .array(z.string().min(1))
      .optional()
      .meta({
        description:
          'Names of the warninglists applied to this tenant, instead of warninglists.lists.',
        examples: [['List of known IPv4 public DNS resolvers']],
      }),
    policy: policyOverrideSchema.optional(),
    misp: z.strictObject({ query: mispQuerySchema }).optional().meta({
      description:
        'An extra restSearch query on the configured MISP, private to this tenant (source id misp:<tenant id>): its indicators go to this tenant alone, as its own.',
    }),
    feeds: z.array(feedSchema).default([]).meta({
      description:
        'Feeds private to this tenant: their indicators go to this tenant alone, as its own.',
    }),
    feed_auth: feedAuthSchema.optional(),
    allowed_clients: z
      .array(z.string().trim().min(1))
      .optional()
      .meta({
        description:
          'IPs and CIDRs allowed to fetch this tenant’s lists from the feed server; any address when left out.',
        examples: [['198.51.100.0/28', '2001:db8:1::/48']],
      }),
    lists: z
      .array(listSchema)
      .min(1)
      .default(DEFAULT_LISTS)
      .meta({ description: "The tenant's lists." }),
  })
  .meta({ description: 'A customer of the SOC, with its own set of lists.' });
