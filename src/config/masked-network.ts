import { parseIpOrCidr } from '../normalize/cidr.js';
import { formatIp } from '../normalize/normalize-ip.js';

/**
 * For a CIDR written with host bits set (`192.0.2.5/24`), the network it stands for
 * (`192.0.2.0/24`); null for an address, a clean CIDR or text that is neither. Client
 * allowlists refuse such entries: a typo must not open a whole network.
 *
 * @example
 * maskedNetwork('192.0.2.5/24'); // '192.0.2.0/24'
 * maskedNetwork('192.0.2.0/24'); // null
 */
export function maskedNetwork(entry: string): string | null {
  const slash = entry.indexOf('/');
  if (slash < 0) return null;
  const network = parseIpOrCidr(entry);
  const address = parseIpOrCidr(entry.slice(0, slash));
  if ('ok' in network || 'ok' in address) return null;

  const isClean = formatIp({ ...network, prefix: address.prefix }) === formatIp(address);
  return isClean ? null : formatIp(network);
}
