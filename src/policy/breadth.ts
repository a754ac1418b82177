import type { ConfigProblem } from '../config/config-error.js';
import { parseIpOrCidr } from '../normalize/cidr.js';
import { ipSpan, spanCovers } from '../normalize/ip-span.js';
import type { IpSpan } from '../normalize/ip-span.js';
import { isRejection } from '../normalize/rejection.js';

/**
 * How wide a listed network may be.
 *
 * @example
 * { maxIpv4Prefix: 16, maxIpv6Prefix: 32, intendedNetworks: ['198.18.0.0/15'] }
 */
export interface BreadthLimits {
  /** Widest IPv4 network listed: a CIDR with a shorter prefix is refused. */
  readonly maxIpv4Prefix: number;
  /** Widest IPv6 network listed. */
  readonly maxIpv6Prefix: number;
  /**
   * Networks the operator means to block although they are wider than the limits; they and
   * every network inside them pass. Canonical or not; check them with `intendedNetworkProblems`.
   */
  readonly intendedNetworks?: readonly string[];
}

/**
 * The defaults: nothing wider than a /16 in IPv4 (65,536 addresses, a large provider
 * block) or a /32 in IPv6 (a whole regional registry allocation to one provider).
 */
export const DEFAULT_BREADTH_LIMITS: BreadthLimits = Object.freeze({
  maxIpv4Prefix: 16,
  maxIpv6Prefix: 32,
});

/** A listed network refused for being too wide. */
export interface BreadthRefusal {
  readonly rule: 'breadth';
  readonly detail: string;
}

// IPv6 prefixes whose last 32 bits carry an IPv4 address (see protected-ranges.ts), so that
// `::ffff:198.0.0.0/104` counts as the IPv4 /8 it blocks, not as a narrow IPv6 network.
const IPV4_EMBEDDINGS: readonly { readonly name: string; readonly span: IpSpan }[] = [
  '::ffff:0.0.0.0/96',
  '::/96',
  '64:ff9b::/96',
].map((name) => {
  const span = ipSpan(name);
  if (span === null) throw new Error(`bad IPv4 embedding prefix ${name}`);
  return { name, span };
});

/**
 * Refuses an IP network wider than the limits, unless an intended network covers it. Addresses,
 * domains, URLs and hashes always pass. An IPv6 network inside an IPv4 embedding prefix is held
 * to the IPv4 limit, by the width of the IPv4 range it holds.
 *
 * @example
 * checkBreadth('198.0.0.0/8', DEFAULT_BREADTH_LIMITS);
 * // { rule: 'breadth', detail: '198.0.0.0/8 is wider than the IPv4 limit of /16' }
 * checkBreadth('198.51.0.0/16', DEFAULT_BREADTH_LIMITS); // null
 */
export function checkBreadth(
  value: string,
  limits: BreadthLimits = DEFAULT_BREADTH_LIMITS,
): BreadthRefusal | null {
  if (!value.includes('/')) return null;
  const parsed = parseIpOrCidr(value);
  if (isRejection(parsed)) return null;

  const embedding = parsed.family === 6 && parsed.prefix >= 96 ? embeddingOf(value) : null;
  const isIPv4 = parsed.family === 4 || embedding !== null;
  const prefix = embedding === null ? parsed.prefix : parsed.prefix - 96;
  const limit = isIPv4 ? limits.maxIpv4Prefix : limits.maxIpv6Prefix;
  if (prefix >= limit) return null;

  // Checked only for the rare wide network, so the intended list is read here, not compiled.
  const span = ipSpan(value);
  const intended = (limits.intendedNetworks ?? []).find((network) => {
    const outer = ipSpan(network);
    return outer !== null && span !== null && spanCovers(outer, span);
  });
  if (intended !== undefined) return null;

  const family = isIPv4 ? 'IPv4' : 'IPv6';
  const as = embedding === null ? '' : ` (a /${prefix} of IPv4 inside ${embedding})`;
  return {
    rule: 'breadth',
    detail: `${value}${as} is wider than the ${family} limit of /${limit}`,
  };
}

/**
 * One problem per intended network that is not an IP network, at `origin.index`, for
 * configuration validation.
 *
 * @example
 * intendedNetworkProblems(['198.18.0.0/15', 'nope'], 'breadth.intended');
 * // [{ path: 'breadth.intended.1', message: '"nope": not a dotted quad of octets 0-255' }]
 */
export function intendedNetworkProblems(
  networks: readonly string[],
  origin: string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  networks.forEach((network, index) => {
    const parsed = parseIpOrCidr(network);
    if (isRejection(parsed)) {
      problems.push({
        path: `${origin}.${index}`,
        message: `${JSON.stringify(network)}: ${parsed.detail}`,
      });
    }
  });
  return problems;
}

function embeddingOf(value: string): string | null {
  const span = ipSpan(value);
  if (span === null) return null;
  return IPV4_EMBEDDINGS.find((embedding) => spanCovers(embedding.span, span))?.name ?? null;
}
