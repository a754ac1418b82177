import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIPv4 } from '../src/normalize/ipv4.js';
import { aggregateIps } from '../src/policy/ip-sets/aggregate-ips.js';

// aggregateIps promises, for IPv4, exactly the lines `iprange --optimize` prints (FireHOL's
// tool, the reference for blocklist aggregation). iprange writes a single address without
// `/32`, as iocrelay does, so the two outputs are compared as they are, with no normalising.
//
// One input is kept out on purpose: iprange 1.0.4 appends an entry that starts right after
// the previous one as a merge while its input is still in order, and for an entry ending at
// 255.255.255.255 "right after" wraps to 0.0.0.0 (uint32 overflow in ipset_added_entry), so
// `255.255.255.0/24` followed by `0.0.0.0/8` comes out as one reversed range and junk. Random
// inputs with that pair are skipped; aggregate-ips.test.ts holds the right answer for it.

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BLOCKLISTS = join(REPO_ROOT, '..', 'shared', 'data', 'blocklists');
const IPRANGE = 'iprange';

// iprange 1.0.4 exits 1 after printing its version, so only a failed spawn means it is absent.
const hasIprange = spawnSync(IPRANGE, ['--version']).error === undefined;
const hasData = existsSync(BLOCKLISTS);
const missing = [
  ...(hasIprange ? [] : ['iprange is not installed (apt-get install iprange)']),
  ...(hasData ? [] : [`${BLOCKLISTS} is missing`]),
];
if (missing.length > 0) console.warn(`aggregate-iprange.test.ts skips: ${missing.join('; ')}`);

describe('aggregateIps against iprange --optimize', () => {
  const files = hasData ? blocklistFiles(BLOCKLISTS) : [];

  it.skipIf(!hasIprange)(
    `random IPv4 sets near the edges of the space${hasIprange ? '' : ' (skipped: no iprange)'}`,
    () => {
      const address = fc.oneof(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 511 }),
        fc.integer({ min: 0x7fffff00, max: 0x800000ff }),
        fc.integer({ min: 0xfffffe00, max: 0xffffffff }),
      );
      const entry = fc
        .tuple(address, fc.oneof(fc.constant(32), fc.integer({ min: 1, max: 32 })))
        .map(([value, prefix]) =>
          prefix === 32 ? formatIPv4(value) : `${formatIPv4(value)}/${prefix}`,
        );

      fc.assert(
        fc.property(fc.array(entry, { minLength: 1, maxLength: 80 }), (values) => {
          fc.pre(!hasWrapPair(values));
          expect(aggregateIps(values)).toEqual(iprangeOptimize(values));
        }),
        { numRuns: 150 },
      );
    },
  );

  it.skipIf(!hasIprange)(
    `single addresses are printed plain by both${hasIprange ? '' : ' (skipped: no iprange)'}`,
    () => {
      const values = ['192.0.2.1/32', '198.51.100.7', '203.0.113.0/31', '203.0.113.2'];
      const expected = ['192.0.2.1', '198.51.100.7', '203.0.113.0/31', '203.0.113.2'];
      expect(iprangeOptimize(values)).toEqual(expected);
      expect(aggregateIps(values)).toEqual(expected);
    },
  );

  if (!hasIprange || files.length === 0) {
    it.skip(`each real blocklist (skipped: ${missing.join('; ') || 'no blocklist files'})`, () => {});
    return;
  }

  it.each(files.map((file) => relative(BLOCKLISTS, file)))('blocklist %s', (name) => {
    const values = entriesOf(readFileSync(join(BLOCKLISTS, name), 'utf8'));
    const expected = iprangeOptimize(values);

    expect(aggregateIps(values)).toEqual(expected);
    expect(expected.length > 0 || values.length === 0).toBe(true);
  });
});

function iprangeOptimize(values: readonly string[]): string[] {
  const result = spawnSync(IPRANGE, ['--optimize'], {
    input: `${values.join('\n')}\n`,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (result.status !== 0 || result.stderr !== '') {
    throw new Error(`iprange failed (${result.status}): ${result.stderr}`);
  }
  return result.stdout === '' ? [] : result.stdout.trimEnd().split('\n');
}

// The netset, ipset and txt files: one IP or CIDR a line, `#` comments; ipsum.txt adds a tab
// and the number of lists after the address.
function entriesOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.split('\t')[0]!.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function blocklistFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return blocklistFiles(path);
      return /\.(netset|ipset|txt)$/.test(entry.name) ? [path] : [];
    })
    .sort();
}

// An entry ending at 255.255.255.255 straight before one starting at 0.0.0.0 (see the top).
function hasWrapPair(values: readonly string[]): boolean {
  const bounds = values.map((value) => {
    const [address = '', prefix = '32'] = value.split('/');
    const start = address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
    const size = 2 ** (32 - Number(prefix));
    return { start: start - (start % size), end: start - (start % size) + size - 1 };
  });
  return bounds.some((b, i) => i > 0 && b.start === 0 && bounds[i - 1]!.end === 0xffffffff);
}
