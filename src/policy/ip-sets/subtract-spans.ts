import { ipSpan } from '../../normalize/ip-span.js';
import type { IpSpan } from '../../normalize/ip-span.js';
import { pushIPv4RangeCidrs, pushIPv6RangeCidrs } from './range-to-cidrs.js';

/**
 * CIDR subtraction: the fewest CIDRs, in address order, covering what is left of `value` (an
 * IP or CIDR of either family) once every address of `holes` is taken out. `[]` when the holes
 * cover it all; `[value]`, the very string, when no hole touches it. Holes may be any ranges
 * (not only CIDRs), overlap each other and come in any order; holes of the other family are
 * ignored. Throws on a `value` that is not an IP or CIDR, which means a bug upstream.
 *
 * @example
 * subtractSpans('8.0.0.0/5', [ipSpan('10.0.0.0/8')!]);
 * // ['8.0.0.0/7', '11.0.0.0/8', '12.0.0.0/6']
 * subtractSpans('198.51.100.7', [ipSpan('10.0.0.0/8')!]); // ['198.51.100.7']
 */
export function subtractSpans(value: string, holes: readonly IpSpan[]): string[] {
  const span = ipSpan(value);
  if (span === null) throw new TypeError(`subtractSpans: ${value} is not an IP or CIDR`);

  // Most values touch no hole: find that out without allocating.
  if (!holes.some((hole) => overlaps(span, hole))) return [value];
  const cutting = holes.filter((hole) => overlaps(span, hole)).sort(byStart);

  const out: string[] = [];
  let next = span.start;
  for (const hole of cutting) {
    if (hole.start > next) pushRange(span.family, next, hole.start - 1n, out);
    if (hole.end >= next) next = hole.end + 1n;
  }

  if (next <= span.end) pushRange(span.family, next, span.end, out);
  return out;
}

function overlaps(span: IpSpan, hole: IpSpan): boolean {
  return hole.family === span.family && hole.start <= span.end && span.start <= hole.end;
}

function byStart(a: IpSpan, b: IpSpan): number {
  return a.start < b.start ? -1 : a.start > b.start ? 1 : 0;
}

function pushRange(family: 4 | 6, start: bigint, end: bigint, out: string[]): void {
  if (family === 4) pushIPv4RangeCidrs(Number(start), Number(end), out);
  else pushIPv6RangeCidrs(start, end, out);
}
