import { createHash } from 'node:crypto';
import { bareDomain } from './entry-forms.js';
import type { RenderContext, Renderer } from './renderer.js';
import type { ListEntries } from './list-entries.js';

/** Record TTL of every policy record: short, so a removed name stops being blocked soon. */
export const RPZ_TTL = 300;

// Labels that mean a trigger other than a query name when they end an owner name
// (draft-vixie-dnsop-dns-rpz section 4); a domain ending in one would become an IP or NS rule.
const SPECIAL_LABELS = new Set(['rpz-ip', 'rpz-nsip', 'rpz-nsdname', 'rpz-client-ip']);

/**
 * A DNS response policy zone (draft-vixie-dnsop-dns-rpz) for a domain list, ready for BIND
 * `response-policy`, Unbound `rpz:`, PowerDNS Recursor and Knot Resolver. Owner names are
 * relative, so the file works under whatever zone name the resolver loads it as. Each domain
 * gets `name CNAME .` (answer NXDOMAIN) and `*.name CNAME .`: a listed domain blocks its
 * subdomains too, as most DNS firewalls do, because malware rotates
 * hostnames under a registered domain far more than it rotates domains.
 *
 * The SOA serial is taken from a hash of the records, never from the clock, so the same entries
 * give the same bytes. It changes whenever the content changes, which is what a resolver
 * reloading the file (`rndc reload`, Unbound's `zonefile:`) needs. It is not monotonic: a
 * secondary fed by zone transfer compares serials (RFC 1982) and may ignore a new version
 * whose serial is lower; serve the file from a primary that owns its serial in that setup.
 * A domain whose last label is an RPZ trigger label (`rpz-ip`, …) is left out: it would be
 * read as an IP or name-server rule. No such top-level domain exists.
 *
 * A wildcard entry `*.name` gives the same two records as `name`: prefixing it again would give
 * `*.*.name`, a wildcard that is not the first label, which DNS does not expand (RFC 4592
 * section 2.1.1; named-checkzone warns "non-terminal wildcard") and so blocks nothing. Every
 * owner name is written once, even when both `name` and `*.name` are listed: a zone holding
 * one CNAME twice is refused by some loaders and is noise for all.
 *
 * @example
 * rpzRenderer.render([{ kind: 'domain', value: 'evil.example' }], context);
 * // '$TTL 300\n@ SOA localhost. hostmaster.localhost. 1234 …\n@ NS localhost.\n
 * //  evil.example CNAME .\n*.evil.example CNAME .\n'
 */
export const rpzRenderer: Renderer = {
  format: 'rpz',
  contentType: 'text/dns; charset=utf-8',
  kinds: ['domain'],

  render(entries: ListEntries, context: RenderContext): string {
    // A Set keeps first-seen order and writes each name once (`name` and `*.name` listed).
    const names = new Set<string>();
    for (const entry of entries) {
      const name = bareDomain(entry.value);
      if (isSpecialName(name)) context.onLeftOut?.('rpz trigger label', entry);
      else names.add(name);
    }

    const records: string[] = [];
    for (const name of names) records.push(`${name} CNAME .`, `*.${name} CNAME .`);

    const body = records.length === 0 ? '' : `${records.join('\n')}\n`;
    return [
      `; iocrelay response policy zone: ${context.tenant}/${context.list}, ${names.size} names`,
      `$TTL ${RPZ_TTL}`,
      `@ SOA localhost. hostmaster.localhost. ${rpzSerial(body)} 3600 600 86400 ${RPZ_TTL}`,
      '@ NS localhost.',
      body,
    ].join('\n');
  },

  entriesOf(content: string): string[] {
    return content
      .split('\n')
      .filter((line) => line.endsWith(' CNAME .') && !line.startsWith('*.'))
      .map((line) => line.slice(0, -' CNAME .'.length));
  },
};

/**
 * The SOA serial of a zone body: the first 31 bits of its SHA-256, never 0 (0 reads as "unset"
 * to some tools), below 2^31 so RFC 1982 arithmetic never sees it as ambiguous.
 *
 * @example
 * rpzSerial('evil.example CNAME .\n'); // a number in 1 … 2^31 - 1, the same every time
 */
export function rpzSerial(body: string): number {
  const serial = createHash('sha256').update(body).digest().readUInt32BE(0) >>> 1;
  return serial === 0 ? 1 : serial;
}

function isSpecialName(name: string): boolean {
  return SPECIAL_LABELS.has(name.slice(name.lastIndexOf('.') + 1));
}
