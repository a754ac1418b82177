import type { ConfigProblem } from '../config/config-error.js';
import type { IndicatorKind } from '../normalize/indicator.js';
import { rendererOf } from './renderers.js';

interface ListFormat {
  readonly types: readonly IndicatorKind[];
  readonly format: string;
}

/**
 * Lists whose kinds their format cannot carry (an nftables set holds addresses, not domains).
 *
 * @example
 * formatProblems([{ lists: [{ types: ['domain'], format: 'nftables' }] }]);
 * // [{ path: 'tenants.0.lists.0.types', message: 'format nftables carries ip only, not domain' }]
 */
export function formatProblems(
  tenants: readonly { readonly lists: readonly ListFormat[] }[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  tenants.forEach((tenant, tenantIndex) => {
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
