import { describe, expect, it } from 'vitest';
import { deviceName } from './device-name.js';
import { splitIpFamilies } from './split-ip-families.js';

describe('deviceName', () => {
  it.each([
    ['acme', 'ip.txt', 24, 'iocrelay_acme_ip_txt'],
    ['acme-eu', 'Block-List.v4', 60, 'iocrelay_acme_eu_block_list_v4'],
    ['a_b', '..x..', 60, 'iocrelay_a_b_x'],
    ['acme', 'ip.txt', 20, 'iocrelay_acme_ip_txt'],
    // Too long: the start, then 8 hex of sha256("contoso/blocklist-ip.txt") = 4ebad5ca….
    ['contoso', 'blocklist-ip.txt', 24, 'iocrelay_contos_4ebad5ca'],
    ['contoso', 'blocklist-ip.txt', 28, 'iocrelay_contoso_bl_4ebad5ca'],
  ])('names tenant %s list %s (max %i) %s', (tenant, list, max, expected) => {
    const name = deviceName({ tenant, list, generatedAt: 0 }, max);
    expect(name).toBe(expected);
    expect(name.length).toBeLessThanOrEqual(max);
  });

  it('keeps two long names that share their start apart', () => {
    const a = deviceName({ tenant: 'contoso', list: 'blocklist-ip-a.txt', generatedAt: 0 }, 24);
    const b = deviceName({ tenant: 'contoso', list: 'blocklist-ip-b.txt', generatedAt: 0 }, 24);
    expect(a).not.toBe(b);
  });
});

describe('splitIpFamilies', () => {
  it('splits IP entries by family in list order and leaves other kinds out', () => {
    expect(
      splitIpFamilies([
        { kind: 'ip', value: '192.0.2.1' },
        { kind: 'domain', value: 'bad.example' },
        { kind: 'ip', value: '198.51.100.0/24' },
        { kind: 'ip', value: '2001:db8::1' },
        { kind: 'ip', value: '2001:db8:1::/48' },
      ]),
    ).toEqual({
      ipv4: ['192.0.2.1', '198.51.100.0/24'],
      ipv6: ['2001:db8::1', '2001:db8:1::/48'],
    });
  });
});
