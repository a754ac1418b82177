import { BlockList, isIP } from 'node:net';

/** Whether a client address may fetch; built from a tenant's `allowedClients`. */
export type ClientAllowlist = (clientIp: string) => boolean;

/**
 * Builds the client check from IPs and CIDRs (`192.0.2.10`, `198.51.100.0/24`, `2001:db8::/32`).
 * Without entries every client is allowed. The address is the TCP peer: X-Forwarded-For is not
 * trusted, so behind a reverse proxy the proxy's address is what is checked.
 *
 * Throws on an entry that is not an IP or CIDR.
 *
 * @example
 * createClientAllowlist(['198.51.100.0/24'])('198.51.100.7'); // true
 */
export function createClientAllowlist(entries: readonly string[] | undefined): ClientAllowlist {
  if (entries === undefined) return () => true;

  const allowed = new BlockList();
  for (const entry of entries) addEntry(allowed, entry);

  return (clientIp) => {
    const ip = unmapIPv4(clientIp);
    const family = isIP(ip);
    if (family === 0) return false;
    return allowed.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/**
 * The client address as logged and recorded: an IPv4 client of a dual-stack socket shows as
 * `::ffff:192.0.2.7`; it is written `192.0.2.7`, the way allowedClients spells it.
 *
 * @example
 * unmapIPv4('::ffff:192.0.2.7'); // '192.0.2.7'
 */
export function unmapIPv4(ip: string): string {
  if (!ip.startsWith('::')) return ip;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return mapped?.[1] ?? ip;
}

function addEntry(allowed: BlockList, entry: string): void {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  const maxPrefix = family === 4 ? 32 : 128;
  const bits = prefix === undefined ? maxPrefix : Number(prefix);
  const isValid =
    family !== 0 &&
    extra === undefined &&
    (prefix === undefined || /^\d{1,3}$/.test(prefix)) &&
    bits <= maxPrefix;
  if (!isValid) throw new Error(`feed server: allowed client ${entry} is not an IP or CIDR`);

  allowed.addSubnet(address, bits, family === 4 ? 'ipv4' : 'ipv6');
}
