import type { ListConfig, TenantConfig } from '../config/config-schema.js';
import type { IndicatorKind } from '../normalize/indicator.js';

/** The least the policy needs to know of a stored indicator. */
export interface PolicyCandidate {
  readonly kind: IndicatorKind;
  readonly value: string;
}

/** Whether an indicator goes on a list and, when it does not, the rule that kept it off. */
export type ListDecision =
  | { readonly isListed: true }
  | { readonly isListed: false; readonly rule: string; readonly detail: string };

/**
 * Decides, for one tenant's list, whether an active indicator is on it. The list builder and
 * `iocrelay explain` both call this, so an explanation can never disagree with a list.
 * The store hands over only active indicators (present in the source, not deleted, to_ids).
 *
 * @example
 * decideListing(candidate, tenant, list); // { isListed: false, rule: 'kind', detail: '…' }
 */
export function decideListing(
  candidate: PolicyCandidate,
  _tenant: TenantConfig,
  list: ListConfig,
): ListDecision {
  if (!list.types.includes(candidate.kind)) {
    return {
      isListed: false,
      rule: 'kind',
      detail: `the list takes ${list.types.join(', ')}, not ${candidate.kind}`,
    };
  }
  return { isListed: true };
}
