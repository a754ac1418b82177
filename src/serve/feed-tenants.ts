import type { LoadedConfig } from '../config/load-config.js';
import { rendererOf } from '../render/renderers.js';
import type { FeedTenant } from './feed-server-options.js';

/**
 * The tenants the feed server answers for: those with `feed_auth`. A tenant without it is
 * not served at all (its devices read the folder or S3), so a list is never open to anyone.
 * Content types come from each list's renderer.
 *
 * @example
 * const tenants = feedTenantsOf(config);
 */
export function feedTenantsOf(config: Pick<LoadedConfig, 'tenants'>): FeedTenant[] {
  return config.tenants.flatMap((tenant) => {
    const auth = tenant.feed_auth;
    if (auth === undefined) return [];

    return [
      {
        id: tenant.id,
        lists: tenant.lists.map((list) => list.file),
        auth: {
          ...(auth.username === undefined ? {} : { username: auth.username }),
          ...(auth.password === undefined ? {} : { password: auth.password }),
          ...(auth.password_hash === undefined ? {} : { passwordHash: auth.password_hash }),
          tokens: auth.tokens,
        },
        ...(tenant.allowed_clients === undefined ? {} : { allowedClients: tenant.allowed_clients }),
        contentTypes: Object.fromEntries(
          tenant.lists.map((list) => [list.file, rendererOf(list.format).contentType]),
        ),
      },
    ];
  });
}

/**
 * Entries of a list file as its format counts them, for the catalog loaded at start; null for
 * a file no configured list names.
 *
 * @example
 * const count = listEntryCounter(config)('acme', 'ip.txt', bytes);
 */
export function listEntryCounter(
  config: Pick<LoadedConfig, 'tenants'>,
): (tenant: string, file: string, bytes: Buffer) => number | null {
  const formats = new Map(
    config.tenants.flatMap((tenant) =>
      tenant.lists.map((list) => [`${tenant.id}/${list.file}`, list.format] as const),
    ),
  );
  return (tenant, file, bytes) => {
    const format = formats.get(`${tenant}/${file}`);
    return format === undefined
      ? null
      : rendererOf(format).entriesOf(bytes.toString('utf8')).length;
  };
}

/**
 * `host:port` of `server.listen` as listen options; an IPv6 host loses its brackets.
 *
 * @example
 * parseListen('[::1]:8443'); // { host: '::1', port: 8443 }
 */
export function parseListen(listen: string): { host: string; port: number } {
  const colon = listen.lastIndexOf(':');
  const host = listen.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(listen.slice(colon + 1)) };
}
