import { describe, expect, it } from 'vitest';
import { feedNamesOf } from './feed-url.js';

describe('feedNamesOf', () => {
  it.each([
    ['/feeds/acme/ip.txt', { tenant: 'acme', file: 'ip.txt' }],
    ['/feeds/acme/ip.txt?x=1&y=%zz', { tenant: 'acme', file: 'ip.txt' }],
    ['/feeds/%61cme/ip%2Etxt', { tenant: 'acme', file: 'ip.txt' }],
    ['/feeds/acme/..%2Fglobex%2Fip.txt', { tenant: 'acme', file: '../globex/ip.txt' }],
    ['/feeds/acme/ip.txt%00', { tenant: 'acme', file: 'ip.txt\u0000' }],
    ['/feeds/acme/ip.txt#top', { tenant: 'acme', file: 'ip.txt' }],
    ['http://feeds.example/feeds/acme/ip.txt', { tenant: 'acme', file: 'ip.txt' }],
    ['HTTPS://feeds.example:8443/feeds/acme/ip.txt?x', { tenant: 'acme', file: 'ip.txt' }],
  ])('reads %s', (url, names) => {
    expect(feedNamesOf(url)).toEqual(names);
  });

  it.each([
    '/feeds/acme',
    '/feeds/acme/',
    '/feeds//ip.txt',
    '/feeds/acme/ip.txt/',
    '/feeds/acme/sub/ip.txt',
    '//feeds/acme/ip.txt',
    '/feedsx/acme/ip.txt',
    '/healthz',
    'http://feeds.example/healthz',
    'http://feeds.example',
    'ftp://feeds.example/feeds/acme/ip.txt',
    '*',
  ])('leaves %s to the router (not a feed URL)', (url) => {
    expect(feedNamesOf(url)).toBeUndefined();
  });

  it.each(['/feeds/acme/%zz', '/feeds/%E0%A4%A/ip.txt'])('gives null for %s', (url) => {
    expect(feedNamesOf(url)).toBeNull();
  });
});
