import { createHash } from 'node:crypto';

/**
 * A name-based UUID (RFC 9562 section 5.5, SHA-1, version 5): the same namespace and name
 * always give the same UUID, which is what keeps STIX ids stable from one run to the next.
 *
 * @example
 * uuidV5('6ba7b811-9dad-11d1-80b4-00c04fd430c8', 'http://www.example.com/');
 * // 'fcde3c85-2270-590f-9e7c-ee003d65e0e2'
 */
export function uuidV5(namespace: string, name: string): string {
  const namespaceBytes = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  if (namespaceBytes.length !== 16) throw new Error(`uuidV5: ${namespace} is not a UUID`);

  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();

  // Version in the high nibble of byte 6, RFC 4122 variant in the two high bits of byte 8.
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;

  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
