import { z } from 'zod';

import { INDICATOR_KINDS } from '../normalize/indicator.js';
import { parseDuration } from './duration.js';

/** TLP levels a config may name; `white` is TLP 1.0's name of `clear`. */
const TLP_NAMES = ['clear', 'white', 'green', 'amber', 'amber+strict', 'red'] as const;

/** MISP threat levels, most severe first (threat_level_id 1 to 3). */
export const THREAT_LEVELS = ['high', 'medium', 'low'] as const;
export type ThreatLevelName = (typeof THREAT_LEVELS)[number];

const TAG_PATTERN = /^[^*]+\*?$/;

const tagPatterns = (description: string) =>
  z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .regex(TAG_PATTERN, 'must be a tag name, or a prefix ending in * (e.g. "osint:*")'),
    )
    .meta({ description, examples: [['customer:*', 'tlp:green']] });

/**
 * A lifetime: a duration, or `never`. Parsed to seconds, null for never.
 *
 * @example
 * lifetime('90d', 'Domains.').parse('never'); // null
 */
function lifetime(fallback: string, what: string) {
  return z
    .union([z.number(), z.string()])
    .meta({
      description: `${what} A duration (like 30d) or never.`,
      examples: [fallback],
      default: fallback,
    })
    .transform((input, ctx): number | null => {
      if (input === 'never') return null;
      const seconds = typeof input === 'number' ? input : parseDuration(input);
      if (seconds === null || !Number.isInteger(seconds) || seconds < 60) {
        ctx.addIssue({
          code: 'custom',
          message: `must be never or a duration of at least 60s, like 30d (got ${JSON.stringify(input)})`,
        });
        return z.NEVER;
      }
      return seconds;
    });
}

function expirySchema(withDefaults: boolean) {
  const kind = (fallback: string, what: string) => {
    const schema = lifetime(fallback, what);
    return withDefaults ? schema.prefault(fallback) : schema.optional();
  };
  return z
    .strictObject({
      ip: kind('30d', 'IPs and networks.'),
      domain: kind('90d', 'Domains and host names.'),
      url: kind('180d', 'URLs.'),
      md5: kind('never', 'MD5 hashes.'),
      sha1: kind('never', 'SHA-1 hashes.'),
      sha256: kind('never', 'SHA-256 hashes.'),
    })
    .meta({
      description:
        "How long an indicator stays listed, counted per kind from the newest of its attributes' MISP last_seen and timestamp. An indicator MISP updates again comes back.",
    });
}

function breadthSchema(withDefaults: boolean) {
  const maybe = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
    withDefaults ? schema.prefault(fallback) : schema.optional();
  return z
    .strictObject({
      max_ipv4_prefix: maybe(
        z
          .number()
          .int()
          .min(0)
          .max(32)
          .meta({
            description: 'No IPv4 network wider than this prefix is listed (16: a /15 is refused).',
            examples: [16],
          }),
        16,
      ),
      max_ipv6_prefix: maybe(
        z
          .number()
          .int()
          .min(0)
          .max(128)
          .meta({
            description: 'No IPv6 network wider than this prefix is listed.',
            examples: [32],
          }),
        32,
      ),
      intended: maybe(
        z.array(z.string().trim().min(1)).meta({
          description:
            'Networks wider than the limits that may still be listed, written as MISP holds them.',
          examples: [['198.18.0.0/15']],
        }),
        [],
      ),
    })
    .meta({ description: 'Breadth limits: how wide a listed network may be.' });
}

function tagsSchema(withDefaults: boolean) {
  const maybe = (schema: ReturnType<typeof tagPatterns>) =>
    withDefaults ? schema.prefault([]) : schema.optional();
  return z
    .strictObject({
      require: maybe(tagPatterns('Every one of these must be on the attribute or its event.')),
      accept: maybe(
        tagPatterns('When set, at least one of these must be on the attribute or its event.'),
      ),
      exclude: maybe(tagPatterns('None of these may be on the attribute or its event.')),
    })
    .meta({ description: 'MISP tag filters; `prefix*` matches every tag starting so.' });
}

/**
 * Who gets which indicator: the keys a tenant's `policy` sets and the top-level `policy` gives
 * every tenant by default. `withDefaults: false` gives the tenant form, where a missing key
 * means "as the defaults say".
 */
function policyFields<D extends boolean>(withDefaults: D) {
  const maybe = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
    withDefaults ? schema.prefault(fallback) : schema.optional();

  return {
    shared: maybe(
      z.boolean().meta({
        description:
          'Takes shared indicators: TLP:CLEAR (or WHITE) and TLP:GREEN, and AMBER ones with no owner tag when tlp_default says so.',
        examples: [true],
      }),
      true,
    ),
    tags: maybe(tagsSchema(withDefaults), {}),
    min_threat_level: maybe(
      z
        .enum(THREAT_LEVELS)
        .nullable()
        .meta({
          description:
            "Lowest MISP event threat level taken (high, medium, low); null takes every level, 'undefined' included.",
          examples: ['medium'],
        }),
      null,
    ),
    to_ids_only: maybe(
      z.boolean().meta({
        description:
          'Only attributes flagged for detection (to_ids). The MISP query decides what is pulled at all.',
        examples: [true],
      }),
      true,
    ),
    kinds: maybe(
      z
        .array(z.enum(INDICATOR_KINDS))
        .min(1)
        .meta({
          description: 'Indicator kinds the tenant takes at all (its lists narrow it further).',
          examples: [['ip', 'domain']],
        }),
      [...INDICATOR_KINDS],
    ),
    sources: maybe(
      z.array(z.string().min(1)).meta({
        description: 'Source ids taken (misp, feed:<name>); empty takes every shared source.',
        examples: [['misp']],
      }),
      [],
    ),
    max_age: maybe(
      lifetime(
        'never',
        'No indicator whose newest activity is older than this, whatever its kind.',
      ),
      'never',
    ),
    expiry: maybe(expirySchema(withDefaults), {}),
    breadth: maybe(breadthSchema(withDefaults), {}),
  };
}

export const policyDefaultsSchema = z
  .strictObject(policyFields(true))
  .meta({ description: 'Selection and expiry rules every tenant gets unless it sets its own.' });

export const policyOverrideSchema = z
  .strictObject(policyFields(false))
  .meta({ description: "The tenant's own selection rules; a key left out takes `policy`'s." });

export const tlpDefaultSchema = z
  .enum(TLP_NAMES)
  .default('amber')
  .meta({
    description:
      'TLP assumed for an attribute whose attribute and event carry no TLP tag (amber: it goes only to the tenant its owner tag names).',
    examples: ['amber'],
  });

/**
 * The defaults as parsed. Every key has a prefault there, which the shared field builder's
 * union type cannot show, so the type says it.
 */
export type PolicyDefaults = Defaulted<z.output<typeof policyDefaultsSchema>>;
export type PolicyOverride = z.output<typeof policyOverrideSchema>;

type Defaulted<T> = {
  readonly [K in keyof T]-?: Exclude<T[K], undefined> extends infer V
    ? V extends readonly unknown[]
      ? V
      : V extends object
        ? Defaulted<V>
        : V
    : never;
};
