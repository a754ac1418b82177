import type { ConfigProblem } from '../config/config-error.js';
import type { IndicatorKind } from '../normalize/indicator.js';
import { deviceName } from './device-name.js';
import { rendererOf } from './renderers.js';

interface ListFormat {
  readonly file: string;
  readonly types: readonly IndicatorKind[];
  readonly format: string;
}

// Formats that name a set, chain or address list on the device after the list.
const NAMED_ON_DEVICE = new Set(['mikrotik', 'nftables', 'ipset', 'iptables', 'ip6tables']);

/**
 * Lists whose kinds their format cannot carry (an nftables set holds addresses, not domains).
 *
 * @example
 * formatProblems([{ id: 'acme', lists: [{ file: 'd.nft', types: ['domain'], format: 'nftables' }] }]);
 * // [{ path: 'tenants.0.lists.0.types', message: 'format nftables carries ip only, not domain' }]
 */
export function formatProblems(
  tenants: readonly { readonly id: string; readonly lists: readonly ListFormat[] }[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  tenants.forEach((tenant, tenantIndex) => {
    const deviceNames = new Map<string, string>();
    tenant.lists.forEach((list, listIndex) => {
      if (!NAMED_ON_DEVICE.has(list.format)) return;
      const name = deviceName({ tenant: tenant.id, list: list.file, generatedAt: 0 }, 60);
      const other = deviceNames.get(name);
      if (other !== undefined) {
        problems.push({
          path: `tenants.${tenantIndex}.lists.${listIndex}.file`,
          message: `"${list.file}" and "${other}" would share the device name ${name}: rename one`,
        });
      }
      deviceNames.set(name, list.file);
    });
    tenant.lists.forEach((list, listIndex) => {
      const { kinds, format, kindsProblem } = rendererOf(list.format);
      const path = `tenants.${tenantIndex}.lists.${listIndex}.types`;
      const foreign = list.types.filter((kind) => !kinds.includes(kind));
      if (foreign.length > 0) {
        problems.push({
          path,
          message: `format ${format} carries ${kinds.join(', ')} only, not ${foreign.join(', ')}`,
        });
      }
      const problem = kindsProblem?.(list.types) ?? null;
      if (problem !== null) problems.push({ path, message: problem });
    });
  });
  return problems;
}
