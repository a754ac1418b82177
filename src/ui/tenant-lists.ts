import type { LoadedConfig } from '../config/load-config.js';
import type { TenantConfig } from '../config/config-schema.js';
import type { ListRef } from '../store/dashboard-queries.js';

/**
 * Every configured tenant list.
 *
 * @example
 * configuredLists(config); // [{ tenant: 'acme', list: 'ip.txt' }, …]
 */
export function configuredLists(config: LoadedConfig, tenant?: string): ListRef[] {
  return config.tenants
    .filter((t) => tenant === undefined || t.id === tenant)
    .flatMap((t) => t.lists.map((list) => ({ tenant: t.id, list: list.file })));
}

/**
 * The tenant a query names, or the first one.
 *
 * @example
 * chosenTenant(config, query['tenant']).id; // 'acme'
 */
export function chosenTenant(config: LoadedConfig, id: string | undefined): TenantConfig {
  const tenant = config.tenants.find((t) => t.id === id) ?? config.tenants[0];
  if (tenant === undefined) throw new Error('configuration has no tenant');
  return tenant;
}
