import type { TenantConfig } from '../config/config-schema.js';

/**
 * The id of a MISP REST source: `misp` for the shared query, `misp:<tenant>` for a tenant's
 * own. Source ids are stored with every attribute and name the cursor of each source.
 *
 * @example
 * mispSourceId('acme'); // 'misp:acme'
 */
export function mispSourceId(tenant?: string): string {
  return tenant === undefined ? 'misp' : `misp:${tenant}`;
}

/**
 * The id of a MISP-format feed source.
 *
 * @example
 * feedSourceId('osint'); // 'feed:osint'
 */
export function feedSourceId(name: string): string {
  return `feed:${name}`;
}

/**
 * The sources private to one tenant (its own MISP query and feeds), by source id, with the
 * tenant they belong to.
 *
 * @example
 * privateSourceOwners(config.tenants); // Map { 'misp:acme' => 'acme', 'feed:acme-intel' => 'acme' }
 */
export function privateSourceOwners(
  tenants: readonly Pick<TenantConfig, 'id' | 'misp' | 'feeds'>[],
): Map<string, string> {
  const owners = new Map<string, string>();
  for (const tenant of tenants) {
    if (tenant.misp !== undefined) owners.set(mispSourceId(tenant.id), tenant.id);
    for (const feed of tenant.feeds) owners.set(feedSourceId(feed.name), tenant.id);
  }
  return owners;
}
