import type { ListConfig, TenantConfig } from '../config/config-schema.js';
import type { IndicatorKind } from '../normalize/indicator.js';
import { urlHost } from '../normalize/url.js';
import { protectedRangeOf } from './protected-ranges.js';
import type { Tlp } from './tlp.js';

/** The least the policy needs to know of a stored indicator and its active attributes. */
export interface PolicyCandidate {
  readonly kind: IndicatorKind;
  readonly value: string;
  /** Attributes present at their source, not deleted, to_ids. */
  readonly attributes: readonly { readonly tlp: Tlp | null }[];
}

/** Whether an indicator goes on a list and, when it does not, the rule that kept it off. */
export type ListDecision =
  | { readonly isListed: true }
  | { readonly isListed: false; readonly rule: string; readonly detail: string };

const LISTED: ListDecision = Object.freeze({ isListed: true });

/**
 * Decides, for one tenant's list, whether an active indicator is on it. The list builder and
 * `iocrelay explain` both call this, so an explanation can never disagree with a list.
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

  // FIRST TLP 2.0: TLP:RED is for the named recipients only, so a red indicator never leaves
  // the store. It is listed only if another, shareable attribute gives the same value.
  if (candidate.attributes.length > 0 && candidate.attributes.every((a) => a.tlp === 'red')) {
    return { isListed: false, rule: 'tlp', detail: 'TLP:RED never leaves the store' };
  }

  // Built-in and always on: a list that blocked loopback, RFC 1918 or multicast space would
  // cut the customer off from itself, whoever recorded the value.
  // A URL list blocks by host too, so a protected address must not reach it that way either;
  // a host name simply matches no protected range.
  const address =
    candidate.kind === 'ip'
      ? candidate.value
      : candidate.kind === 'url'
        ? urlHost(candidate.value)
        : null;
  if (address !== null) {
    const range = protectedRangeOf(address);
    if (range !== null) {
      return {
        isListed: false,
        rule: 'protected',
        detail: `overlaps the protected range ${range}`,
      };
    }
  }

  return LISTED;
}
