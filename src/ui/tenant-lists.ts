import type { LoadedConfig } from '../config/load-config.js';
import type { TenantConfig } from '../config/config-schema.js';
import type { ListRef } from '../store/dashboard-queries.js';
import type { SafeHtml } from './html.js';
import { layout, notice, type UiPageId } from './layout.js';
import type { UiContext, UiRequest } from './ui-context.js';

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
 * The tenant a query names, the first one when it names none, or null when it names a tenant
 * the configuration does not have (showing another tenant instead would mislead).
 *
 * @example
 * chosenTenant(config, query['tenant'])?.id; // 'acme'
 */
export function chosenTenant(config: LoadedConfig, id: string | undefined): TenantConfig | null {
  if (id !== undefined && id !== '') return config.tenants.find((t) => t.id === id) ?? null;
  const tenant = config.tenants[0];
  if (tenant === undefined) throw new Error('configuration has no tenant');
  return tenant;
}

/**
 * The 404 page for a `?tenant=` the configuration does not have.
 *
 * @example
 * if (tenant === null) return unknownTenantPage(context, request, 'tenants');
 */
export function unknownTenantPage(
  context: UiContext,
  { reply, session }: UiRequest,
  active: UiPageId,
): SafeHtml {
  void reply.code(404);
  const known = context.serve.config.tenants.map((t) => t.id).join(', ');
  return layout({
    title: 'Unknown tenant',
    assets: context.assets,
    active,
    admin: session,
    body: notice('error', `Unknown tenant: no tenant has that id. The tenants are: ${known}.`),
  });
}
