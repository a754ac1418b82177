import type { ListEntries } from './list-entries.js';

/** The IP entries of a list, by family, each in list order. */
export interface IpFamilies {
  readonly ipv4: readonly string[];
  readonly ipv6: readonly string[];
}

/**
 * Splits a list's IP entries into IPv4 and IPv6 values (addresses and CIDRs), keeping list
 * order. Entries of other kinds are left out: a firewall format carries IPs only, and a list
 * with other kinds bound to such a format is refused by the configuration before rendering.
 *
 * @example
 * splitIpFamilies([{ kind: 'ip', value: '2001:db8::1' }, { kind: 'ip', value: '192.0.2.1' }]);
 * // { ipv4: ['192.0.2.1'], ipv6: ['2001:db8::1'] }
 */
export function splitIpFamilies(entries: ListEntries): IpFamilies {
  const ipv4: string[] = [];
  const ipv6: string[] = [];

  for (const entry of entries) {
    if (entry.kind !== 'ip') continue;
    // Canonical IPv4 never holds a colon and canonical IPv6 always does.
    if (entry.value.includes(':')) ipv6.push(entry.value);
    else ipv4.push(entry.value);
  }

  return { ipv4, ipv6 };
}
