import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { configSchema, type Config } from '../config/config-schema.js';
import { ipSpan, type IpSpan } from '../normalize/ip-span.js';
import { normalizeAttribute } from '../normalize/normalize-attribute.js';
import { compileTenantPolicy } from './compile-policies.js';
import { decideListing, type PolicyCandidate } from './list-policy.js';
import { protectedRangeOf } from './protected-ranges.js';
import type { Warninglist } from './warninglists/warninglist.js';

const NOW = 1_800_000_000;

// A small address universe, so that random values, allowlists and warninglists overlap
// often: documentation ranges next to protected ones.
const BLOCKS = ['192.0.2', '198.51.100', '203.0.113', '10.1.2', '127.0.0', '192.168.1', '224.0.0'];

const ipv4Value = fc
  .record({
    block: fc.constantFrom(...BLOCKS),
    host: fc.integer({ min: 0, max: 255 }),
    prefix: fc.integer({ min: 22, max: 32 }),
  })
  .map(({ block, host, prefix }) => canonical(`${block}.${host}/${prefix}`));

function canonical(value: string): string {
  const result = normalizeAttribute('ip-dst', value);
  if (!result.ok) throw new Error(`bad generated value ${value}`);
  return (result.indicators[0] as { value: string }).value;
}

function spanOf(value: string): IpSpan {
  const span = ipSpan(value);
  if (span === null) throw new Error(`no span for ${value}`);
  return span;
}

function overlaps(a: IpSpan, b: IpSpan): boolean {
  return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

function addressesOf(spans: readonly IpSpan[]): Set<bigint> {
  const out = new Set<bigint>();
  for (const span of spans) for (let a = span.start; a <= span.end; a++) out.add(a);
  return out;
}

function policyWith(allow: readonly string[], warned: readonly string[]) {
  const config = configSchema.parse({
    allow,
    tenants: [{ id: 'acme', lists: [{ file: 'ip.txt', types: ['ip'] }] }],
  }) as Config;
  const tenant = config.tenants[0];
  if (tenant === undefined) throw new Error('no tenant');
  const warninglist: Warninglist = {
    name: 'Random test ranges',
    description: 'generated',
    version: 1,
    type: 'cidr',
    matchingAttributes: [],
    entries: warned,
    file: '/generated/list.json',
  };
  const policy = compileTenantPolicy(config, tenant, warned.length > 0 ? [warninglist] : null);
  const list = tenant.lists[0];
  if (list === undefined) throw new Error('no list');
  return { policy, list };
}

function candidateOf(value: string): PolicyCandidate {
  return {
    kind: 'ip',
    value,
    attributes: [
      {
        source: 'misp',
        type: 'ip-dst',
        tags: [],
        tlp: 'green',
        toIds: true,
        timestamp: NOW - 60,
        lastSeen: null,
        event: { tags: [], tlp: 'green', threatLevel: 2 },
      },
    ],
  };
}

describe('decideListing, property-based', () => {
  it('never lists an address that is protected, allowlisted or on a warninglist, and lists every other address of the value', () => {
    fc.assert(
      fc.property(
        ipv4Value,
        fc.array(ipv4Value, { maxLength: 4 }),
        fc.array(ipv4Value, { maxLength: 3 }),
        (value, allow, warned) => {
          const { policy, list } = policyWith(allow, warned);
          const decision = decideListing(candidateOf(value), policy, list, NOW);
          const span = spanOf(value);
          const allowSpans = allow.map(spanOf);
          const warnSpans = warned.map(spanOf);

          if (decision.isListed) {
            const listed = (decision.values ?? [value]).map(spanOf);
            for (const entry of listed) {
              expect(protectedRangeOf(value)).toBeNull();
              expect(allowSpans.some((hole) => overlaps(hole, entry))).toBe(false);
              expect(warnSpans.some((warn) => overlaps(warn, entry))).toBe(false);
            }
            // Exactly the value minus the allowlisted addresses: nothing more, nothing less.
            const expected = addressesOf([span]);
            for (const address of addressesOf(allowSpans)) expected.delete(address);
            expect(addressesOf(listed)).toEqual(expected);
          } else {
            // Refused only for a reason that really applies to it.
            const applies =
              protectedRangeOf(value) !== null ||
              warnSpans.some((warn) => overlaps(warn, span)) ||
              allowSpans.some((hole) => overlaps(hole, span));
            expect({ value, rule: decision.rule, applies }).toEqual({
              value,
              rule: decision.rule,
              applies: true,
            });
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
