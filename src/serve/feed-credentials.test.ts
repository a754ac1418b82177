import { describe, expect, it } from 'vitest';
import { createCredentialCheck, parseAuthorization } from './feed-credentials.js';
import { hashPassword } from './password-hash.js';
import type { FeedTenant } from './feed-server-options.js';

const basic = (pair: string): string => `Basic ${Buffer.from(pair).toString('base64')}`;

describe('parseAuthorization', () => {
  it.each([
    [basic('fw1:s3cret'), { scheme: 'basic', username: 'fw1', password: 's3cret' }],
    [
      basic('fw1:pass:with:colons'),
      { scheme: 'basic', username: 'fw1', password: 'pass:with:colons' },
    ],
    [basic('fw1:'), { scheme: 'basic', username: 'fw1', password: '' }],
    [basic('gerät:pässwort'), { scheme: 'basic', username: 'gerät', password: 'pässwort' }],
    [
      `basic ${Buffer.from('a:b').toString('base64')}`,
      { scheme: 'basic', username: 'a', password: 'b' },
    ],
    ['Bearer abc.DEF-123_~+/=', { scheme: 'bearer', token: 'abc.DEF-123_~+/=' }],
    ['bearer abc', { scheme: 'bearer', token: 'abc' }],
    [undefined, null],
    ['', null],
    [basic('no-colon'), null],
    ['Basic !!!', null],
    ['Bearer', null],
    ['Bearer two words', null],
    ['Digest username="fw1"', null],
  ])('reads %j', (header, expected) => {
    expect(parseAuthorization(header)).toEqual(expected);
  });
});

describe('createCredentialCheck', () => {
  const tenant = (id: string, auth: FeedTenant['auth']): FeedTenant => ({ id, lists: [], auth });

  it.each([
    ['no credentials', { tokens: [] }, 'tenant acme has no feed credentials'],
    [
      'a username only',
      { username: 'fw', tokens: [] },
      'tenant acme has a username but no password',
    ],
    [
      'a password only',
      { password: 'p', tokens: ['t'] },
      'tenant acme has a password but no username',
    ],
    [
      'both password forms',
      {
        username: 'fw',
        password: 'p',
        passwordHash: 'scrypt$2$1$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==',
        tokens: [],
      },
      'tenant acme has both password and password hash',
    ],
    [
      'a malformed hash',
      { username: 'fw', passwordHash: 'sha256$abc', tokens: [] },
      'tenant acme has a password hash that is not scrypt$N$r$p$salt$hash',
    ],
    [
      'a token with a space',
      { tokens: ['two words'] },
      'tenant acme has a token that is not RFC 6750 token68',
    ],
  ])('refuses a tenant with %s at build time', (_case, auth, message) => {
    expect(() => createCredentialCheck([tenant('acme', auth)])).toThrow(`feed server: ${message}`);
  });

  it('names the device by user name or token position, whichever tenant it belongs to', async () => {
    const check = createCredentialCheck([
      tenant('acme', { username: 'fw-acme', password: 'pw-a', tokens: ['tok-a1', 'tok-a2'] }),
      tenant('globex', { tokens: ['tok-g1'] }),
    ]);

    expect(await check.authenticate(parseAuthorization(basic('fw-acme:pw-a')))).toEqual({
      tenant: 'acme',
      device: 'fw-acme',
    });
    expect(await check.authenticate(parseAuthorization('Bearer tok-a2'))).toEqual({
      tenant: 'acme',
      device: 'token#2',
    });
    expect(await check.authenticate(parseAuthorization('Bearer tok-g1'))).toEqual({
      tenant: 'globex',
      device: 'token#1',
    });
    expect(await check.authenticate(parseAuthorization(basic('fw-acme:tok-a1')))).toBeNull();
    expect(await check.authenticate(parseAuthorization('Bearer tok-a'))).toBeNull();
    expect(await check.authenticate(null)).toBeNull();
  });

  it('checks a Bearer token synchronously with the same answers, while a Basic check waits on scrypt', async () => {
    const check = createCredentialCheck([
      tenant('acme', {
        username: 'fw-acme',
        passwordHash: await hashPassword('acme-feed-password'),
        tokens: ['tok-a1-0123456789abcdef', 'tok-a2-0123456789abcdef'],
      }),
      tenant('globex', { tokens: ['tok-g1-0123456789abcdef'] }),
    ]);

    // Start a Basic check (scrypt, asynchronous), then check tokens before it settles: the
    // digest buffer the Bearer path reuses must not leak into the Basic answer or the reverse.
    const basicAnswer = check.authenticate(parseAuthorization(basic('fw-acme:acme-feed-password')));
    expect(check.authenticateBearer('tok-g1-0123456789abcdef')).toEqual({
      tenant: 'globex',
      device: 'token#1',
    });
    expect(check.authenticateBearer('tok-a2-0123456789abcdef')).toEqual({
      tenant: 'acme',
      device: 'token#2',
    });
    expect(check.authenticateBearer('tok-a2-0123456789abcdeF')).toBeNull();
    expect(check.authenticateBearer('')).toBeNull();
    expect(check.authenticateBearer('tok-a2-0123456789abcdef0')).toBeNull();
    expect(await basicAnswer).toEqual({ tenant: 'acme', device: 'fw-acme' });
    expect(
      await check.authenticate(parseAuthorization(basic('fw-acme:acme-feed-passwore'))),
    ).toBeNull();
  });
});
