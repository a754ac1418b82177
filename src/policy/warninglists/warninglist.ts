import type { IndicatorKind } from '../../normalize/indicator.js';

/**
 * How a warninglist compares its entries with a value, as MISP names it (misp-warninglists
 * schema.json, `type`).
 */
export const WARNINGLIST_TYPES = ['cidr', 'hostname', 'string', 'substring', 'regex'] as const;

export type WarninglistType = (typeof WARNINGLIST_TYPES)[number];

/**
 * One MISP warninglist as read from its list.json: values known to be harmless (CDN ranges,
 * top sites, public resolvers) that should not end up on a blocklist.
 *
 * @example
 * {
 *   name: 'List of RFC 5737 CIDR blocks',
 *   description: 'Documentation ranges',
 *   version: 2,
 *   type: 'cidr',
 *   matchingAttributes: ['ip-src', 'ip-dst'],
 *   entries: ['192.0.2.0/24'],
 *   file: '/srv/warninglists/rfc5737/list.json',
 * }
 */
export interface Warninglist {
  /** Unique among the loaded lists; configuration picks lists by it. */
  readonly name: string;
  readonly description: string;
  readonly version: number;
  readonly type: WarninglistType;
  /** MISP attribute types the list applies to; empty means every type (MISP's `ALL`). */
  readonly matchingAttributes: readonly string[];
  /** The `list` array, as written in the file. */
  readonly entries: readonly string[];
  /** The list.json the list was read from. */
  readonly file: string;
}

/**
 * An indicator to check against the warninglists: its canonical form and the MISP attribute
 * types that gave it (a list applies when one of them is in its `matchingAttributes`).
 *
 * @example
 * { kind: 'domain', value: 'www.example', types: ['domain|ip'] }
 */
export interface WarninglistCandidate {
  readonly kind: IndicatorKind;
  readonly value: string;
  readonly types: readonly string[];
}

/**
 * The first warninglist entry that covers a candidate. `entry` is the entry as written in the
 * list file, so that an operator can find it there.
 *
 * @example
 * { list: 'List of RFC 5737 CIDR blocks', entry: '192.0.2.0/24' }
 */
export interface WarninglistHit {
  readonly list: string;
  readonly entry: string;
}
