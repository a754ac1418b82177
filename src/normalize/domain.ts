import { domainToASCII } from 'node:url';

import { reject } from './rejection.js';
import type { Rejection } from './rejection.js';

/**
 * Longest domain name in text form, without the root dot (RFC 1035 §2.3.4: 255 octets on the
 * wire, which leaves 253 characters).
 *
 * @example
 * if (name.length > MAX_DOMAIN_LENGTH) return reject('too_long', '…');
 */
export const MAX_DOMAIN_LENGTH = 253;

const MAX_LABEL_LENGTH = 63;

/**
 * Canonical form of a domain or host name, or why it is not one. The caller trims and refangs.
 * Lowercases; drops one trailing root dot; turns IDN into punycode (UTS 46, as browsers do, so
 * `bücher.test` and `xn--bcher-kva.test` are one indicator). Labels are 1–63 characters of
 * `a-z 0-9 - _` without a hyphen at either end: underscores are not valid in host names, but
 * real malicious names (`_dmarc.…`, `my_host.example`) carry them and resolvers answer for them.
 * At least two labels besides the wildcard, and a last label that is not all digits (that text
 * is an IPv4 address or a typo of one). A leading `*.` label is kept, for vendors whose lists
 * accept wildcards; `*` anywhere else, or a bare `*.tld`, is refused.
 *
 * @example
 * normalizeDomain('Bücher.Example.'); // 'xn--bcher-kva.example'
 * normalizeDomain('*.evil.test'); // '*.evil.test'
 */
export function normalizeDomain(text: string): string | Rejection {
  const name = toAscii(text);
  if (name === '' && text !== '')
    return reject('invalid_domain', 'not a valid internationalized domain name');

  const end = name.charCodeAt(name.length - 1) === 0x2e ? name.length - 1 : name.length;
  if (end > MAX_DOMAIN_LENGTH) {
    return reject('invalid_domain', `longer than ${MAX_DOMAIN_LENGTH} characters`);
  }

  const isWildcard = name.charCodeAt(0) === 0x2a && name.charCodeAt(1) === 0x2e;
  const problem = checkLabels(name, isWildcard ? 2 : 0, end);
  if (problem !== null) return reject('invalid_domain', problem);

  return end === name.length ? name : name.slice(0, end);
}

// ASCII text is only lowercased, `xn--` labels included even when their punycode does not
// decode: DNS matches labels as ASCII bytes, and such names are seen in real traffic
// (xn--29s7inly9ib.ub66.com in the Infoblox feed). domainToASCII would refuse them, and would
// also read `foo.0x7f` as an IPv4 address.
function toAscii(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return domainToASCII(text);
  }
  return text.toLowerCase();
}

function checkLabels(name: string, start: number, end: number): string | null {
  let labels = 0;
  let labelStart = start;
  let isNumeric = true;

  for (let i = start; i <= end; i++) {
    const code = i === end ? 0x2e : name.charCodeAt(i);
    if (code === 0x2e) {
      const length = i - labelStart;
      if (length === 0) return 'empty label';
      if (length > MAX_LABEL_LENGTH) return `a label is longer than ${MAX_LABEL_LENGTH} characters`;
      if (name.charCodeAt(labelStart) === 0x2d || name.charCodeAt(i - 1) === 0x2d) {
        return 'a label starts or ends with a hyphen';
      }
      labels++;
      labelStart = i + 1;
      if (i < end) isNumeric = true;
      continue;
    }

    if (code === 0x2a) return 'a wildcard is only allowed as a whole first label (*.)';
    if (!isLabelCode(code)) return `character ${JSON.stringify(name[i])} is not allowed`;
    if (code < 0x30 || code > 0x39) isNumeric = false;
  }

  if (labels < 2) return 'a domain needs at least two labels';
  if (isNumeric) return 'the last label is all digits (an IP address is not a domain)';
  return null;
}

function isLabelCode(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2d ||
    code === 0x5f
  );
}
