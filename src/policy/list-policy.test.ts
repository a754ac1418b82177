import { describe, expect, it } from 'vitest';
import { decideListing } from './list-policy.js';

const tenant = { id: 'acme', lists: [] };
const ipList = { file: 'ip.txt', types: ['ip' as const] };
const urlList = { file: 'url.txt', types: ['url' as const] };
const green = [{ tlp: 'green' as const }];

describe('decideListing', () => {
  it.each([
    ['ip', '198.51.100.7', ipList, green, 'listed'],
    ['domain', 'evil.example', ipList, green, 'kind: the list takes ip, not domain'],
    [
      'ip',
      '198.51.100.7',
      ipList,
      [{ tlp: 'red' as const }],
      'tlp: TLP:RED never leaves the store',
    ],
    ['ip', '198.51.100.7', ipList, [{ tlp: 'red' as const }, { tlp: null }], 'listed'],
    ['ip', '10.1.2.3', ipList, green, 'protected: overlaps the protected range 10.0.0.0/8'],
    [
      'url',
      'http://127.0.0.1/x',
      urlList,
      green,
      'protected: overlaps the protected range 127.0.0.0/8',
    ],
    [
      'url',
      'http://user@[::1]:8080/x',
      urlList,
      green,
      'protected: overlaps the protected range ::1/128',
    ],
    [
      'url',
      'https://192.168.1.1:8443',
      urlList,
      green,
      'protected: overlaps the protected range 192.168.0.0/16',
    ],
    ['url', 'http://198.51.100.7/x', urlList, green, 'listed'],
    ['url', 'http://10.example/x', urlList, green, 'listed'],
  ] as const)('%s %s on %o', (kind, value, list, attributes, expected) => {
    const decision = decideListing({ kind, value, attributes }, tenant, list);
    expect(decision.isListed ? 'listed' : `${decision.rule}: ${decision.detail}`).toBe(expected);
  });
});
