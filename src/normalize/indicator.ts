/**
 * Indicator kinds, as a tenant's list names them in `types:`. `ip` holds IPv4 and IPv6
 * addresses and CIDRs of both; `domain` holds domains and hostnames.
 */
export const INDICATOR_KINDS = ['ip', 'domain', 'url', 'md5', 'sha1', 'sha256'] as const;

export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

/**
 * One value in canonical form, ready for a list.
 *
 * @example
 * { kind: 'ip', value: '2001:db8::/32', sortKey: '6…' }
 */
export interface Indicator {
  readonly kind: IndicatorKind;
  /** Canonical text: what a list carries. */
  readonly value: string;
  /**
   * A string whose plain (code unit) order is the list order: IPs by family, then address,
   * then prefix length; every other kind by its value.
   */
  readonly sortKey: string;
}

/** Why a value was refused. Counted per reason; stable names, used in logs and metrics. */
export const REJECT_REASONS = [
  'empty',
  'control_character',
  'inner_space',
  'too_long',
  'unsupported_type',
  'invalid_ipv4',
  'ipv4_leading_zero',
  'invalid_ipv6',
  'invalid_cidr',
  'prefix_out_of_range',
  'whole_address_space',
  'invalid_domain',
  'invalid_url',
  'invalid_hash',
  'invalid_port',
  'missing_part',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

/** What normalizing one MISP attribute value gives: its indicators, or why it gave none. */
export type NormalizeResult =
  | { readonly ok: true; readonly indicators: readonly Indicator[] }
  | { readonly ok: false; readonly reason: RejectReason; readonly detail: string };

export function isIndicatorKind(value: string): value is IndicatorKind {
  return (INDICATOR_KINDS as readonly string[]).includes(value);
}
