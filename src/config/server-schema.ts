import { isIP } from 'node:net';
import { z } from 'zod';
import { duration, optionalDuration } from './duration.js';

// host:port, with an IPv6 host in brackets.
const LISTEN = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

/** Who may read /metrics, /healthz and /readyz without a token: the host itself. */
export const DEFAULT_OPS_ALLOW = ['127.0.0.1/32', '::1/128'] as const;

/** `server`: the feed server of `iocrelay serve`. */
export const serverSchema = z
  .strictObject({
    listen: z
      .string()
      .regex(LISTEN, 'must be host:port, such as 127.0.0.1:8080 or [::]:8443')
      .refine(
        (text) => !LISTEN.test(text) || Number(text.slice(text.lastIndexOf(':') + 1)) <= 65_535,
        {
          message: 'port must be at most 65535',
        },
      )
      .default('127.0.0.1:8080')
      .meta({
        description: 'Address and port the feed server listens on.',
        examples: ['127.0.0.1:8080'],
      }),
    tls: z
      .strictObject({
        cert_file: z
          .string()
          .min(1)
          .meta({
            description: 'PEM certificate chain.',
            examples: ['/etc/iocrelay/tls/cert.pem'],
          }),
        key_file: z
          .string()
          .min(1)
          .meta({
            description: 'PEM private key.',
            examples: ['/etc/iocrelay/tls/key.pem'],
          }),
      })
      .optional()
      .meta({ description: 'Serve HTTPS only, with this certificate and key.' }),
    stale_after: duration({
      min: 60,
      default: '1h',
      description:
        'A device that has not fetched a list for longer than this is reported stale by `iocrelay status`.',
      example: '1h',
    }),
    fetch_retention: duration({
      min: 3600,
      default: '90d',
      description:
        'How long device fetch records are kept for delivery tracking; older ones are deleted once a day by `iocrelay serve`.',
      example: '90d',
    }),
    sync_interval: optionalDuration({
      min: 30,
      description:
        'How often `iocrelay serve` syncs, plus up to 10% jitter. Default: `misp.interval`. Set it for a configuration with feeds only, which has no `misp:` section.',
      example: '10m',
    }),
    metrics: z
      .strictObject({
        allow: z
          .array(
            z.string().trim().refine(isIpOrCidr, 'must be an IP or a CIDR, such as 10.0.0.0/8'),
          )
          .default([...DEFAULT_OPS_ALLOW])
          .meta({
            description:
              'Client addresses (IPs, CIDRs) that may read /metrics, /healthz and /readyz without a token. The TCP peer is checked; X-Forwarded-For is not trusted.',
            examples: [['127.0.0.1/32', '::1/128', '192.0.2.0/28']],
          }),
        token: z
          .string()
          .min(20, 'must be at least 20 characters (e.g. openssl rand -hex 24)')
          .optional()
          .meta({
            description:
              'Bearer token that opens /metrics, /healthz and /readyz from any address. Use ${VAR}, never the token itself.',
            examples: ['${IOCRELAY_METRICS_TOKEN}'],
          }),
      })
      .prefault({})
      .meta({ description: 'Who may read the operations endpoints /metrics, /healthz, /readyz.' }),
    ready_max_age: optionalDuration({
      min: 60,
      description:
        '/readyz answers 503 when the last successful sync is older than this. Default: 3 × misp.interval, at least 15m (two missed runs at the default 5m interval). Must be at least misp.interval.',
      example: '30m',
    }),
  })
  .meta({ description: 'The feed server of `iocrelay serve`.' });

/** `tenants[].feed_auth`: how the tenant's devices authenticate to the feed server. */
export const feedAuthSchema = z
  .strictObject({
    username: z
      .string()
      .regex(/^[^:\s]{1,128}$/, 'must be 1–128 characters without a colon or a space')
      .optional()
      .meta({ description: 'HTTP Basic user name.', examples: ['acme-fw'] }),
    password: z
      .string()
      .min(12, 'must be at least 12 characters (or give password_hash)')
      .optional()
      .meta({
        description: 'HTTP Basic password. Use ${VAR}, never the password itself.',
        examples: ['${ACME_FEED_PASSWORD}'],
      }),
    password_hash: z
      .string()
      .min(1)
      .optional()
      .meta({
        description: 'HTTP Basic password as a scrypt hash from `iocrelay hash-password`.',
        examples: ['scrypt$16384$8$1$…$…'],
      }),
    tokens: z
      .array(z.string().min(20, 'must be at least 20 characters (e.g. openssl rand -hex 24)'))
      .default([])
      .meta({
        description: 'Bearer tokens, one per device or rotation. Use ${VAR}.',
        examples: [['${ACME_FEED_TOKEN}']],
      }),
  })
  .meta({ description: 'Credentials of the tenant’s devices on the feed server.' });

export type ServerConfig = z.infer<typeof serverSchema>;

/** Readiness age when `server.ready_max_age` is not set: 3 runs, at least 15 minutes. */
export function defaultReadyMaxAge(intervalS: number): number {
  return Math.max(900, 3 * intervalS);
}
export type FeedAuthConfig = z.infer<typeof feedAuthSchema>;

/** `misp.interval` when the file leaves it out. */
export const DEFAULT_SYNC_INTERVAL_S = 300;

/**
 * How often `iocrelay serve` syncs, in seconds: `server.sync_interval`, else `misp.interval`,
 * else 5 minutes (a configuration with feeds only).
 *
 * @example
 * syncIntervalOf(config); // 300
 */
export function syncIntervalOf(config: {
  readonly server: Pick<ServerConfig, 'sync_interval'>;
  readonly misp?: { readonly interval: number } | undefined;
}): number {
  return config.server.sync_interval ?? config.misp?.interval ?? DEFAULT_SYNC_INTERVAL_S;
}

function isIpOrCidr(text: string): boolean {
  const [address = '', prefix, extra] = text.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;

  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
