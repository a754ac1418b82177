import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import { createSelfSignedCert } from '../../test/support/self-signed-cert.js';

// Issue #4's example, word for word (its MISP part from issue #2).
const ISSUE_EXAMPLE = `
misp: { url: https://misp.example, api_key: \${MISP_API_KEY} }
server:
  listen: 127.0.0.1:8080
publish:
  dir: ./public
  s3: { bucket: blocklists, prefix: feeds/, region: us-east-1, endpoint: http://127.0.0.1:4569 }
tenants:
  - id: acme
    feed_auth:
      username: acme-fw
      password: \${ACME_FEED_PASSWORD}
      tokens: [\${ACME_FEED_TOKEN}]
    lists:
      - { file: ip.txt, types: [ip], format: paloalto }
      - { file: ip.nft, types: [ip], format: nftables }
`;
const PASSWORD = 'acme-PASSWORD-must-not-leak';
const TOKEN = 'acme-TOKEN-must-not-leak-0123456789';
const ENV = { MISP_API_KEY: 'k', ACME_FEED_PASSWORD: PASSWORD, ACME_FEED_TOKEN: TOKEN };

function load(text: string, env: Record<string, string> = ENV) {
  const dir = mkdtempSync(join(tmpdir(), 'iocrelay-feed-auth-'));
  writeFileSync(join(dir, 'iocrelay.yaml'), text);
  return loadConfig(join(dir, 'iocrelay.yaml'), env);
}

function problemsOf(text: string): string[] {
  try {
    load(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.describe().split('\n');
    throw error;
  }
  return [];
}

const tenants = (...auth: string[]): string =>
  `feeds: [{ name: f, url: ./feed }]\ntenants:\n${auth
    .map((a, i) => `  - id: t${i}\n    feed_auth: ${a}\n`)
    .join('')}`;

describe('feed_auth, server and publish.s3 in the configuration', () => {
  it("reads issue #4's example as written", () => {
    const config = load(ISSUE_EXAMPLE);
    expect(config.server).toMatchObject({
      listen: '127.0.0.1:8080',
      stale_after: 3600,
      fetch_retention: 90 * 86_400,
    });
    expect(config.publish.s3).toMatchObject({ bucket: 'blocklists', prefix: 'feeds/' });
    expect(config.tenants[0]?.feed_auth).toEqual({
      username: 'acme-fw',
      password: PASSWORD,
      tokens: [TOKEN],
    });
    expect(config.misp?.interval).toBe(300);
  });

  it('lists every credential problem at once, with no secret in any of them', () => {
    const problems = problemsOf(
      tenants(
        `{ username: a-fw }`,
        `{ password: "${PASSWORD}" }`,
        `{ username: c-fw, password: "${PASSWORD}", password_hash: "scrypt$1" }`,
        `{ tokens: [short] }`,
        `{}`,
        `{ username: a-fw, password: "${PASSWORD}", tokens: ["${TOKEN}"] }`,
        `{ tokens: ["${TOKEN}"] }`,
      ),
    );

    expect(problems).toEqual([
      'tenants.3.feed_auth.tokens.0: must be at least 20 characters (e.g. openssl rand -hex 24)',
      'tenants.0.feed_auth.password: is required with username (or give password_hash)',
      'tenants.1.feed_auth.username: is required with a password',
      'tenants.1.feed_auth: gives no credentials: set username and password, or tokens',
      'tenants.2.feed_auth.password_hash: give password or password_hash, not both',
      'tenants.2.feed_auth.password_hash: is not a scrypt hash iocrelay reads; make one with `iocrelay hash-password`',
      'tenants.4.feed_auth: gives no credentials: set username and password, or tokens',
      'tenants.5.feed_auth.username: this user name is also given to tenant t0: give each its own',
      'tenants.6.feed_auth.tokens.0: this token is also given to tenant t5: give each its own',
    ]);
    expect(problems.join('\n')).not.toContain(PASSWORD);
    expect(problems.join('\n')).not.toContain(TOKEN);
  });

  it('refuses one S3 key without the other', () => {
    expect(
      problemsOf(
        'feeds: [{ name: f, url: ./feed }]\npublish: { s3: { bucket: blocklists, access_key_id: AKIDEXAMPLE } }\n',
      ),
    ).toEqual([
      'publish.s3.secret_access_key: is required with the other key: give both, or neither to use the AWS credential chain',
    ]);
  });

  it('refuses a bad client address, listen address and unreadable TLS files', () => {
    expect(
      problemsOf(
        `feeds: [{ name: f, url: ./feed }]
server: { listen: "localhost", tls: { cert_file: ./none.pem, key_file: ./none.key } }
tenants:
  - id: acme
    feed_auth: { tokens: ["${TOKEN}"] }
    allowed_clients: [198.51.100.0/24, 198.51.100.0/33, intranet.example]
`,
      ).map((line) => line.replace(/\/tmp\/\S+\//, '<dir>/')),
    ).toEqual([
      'server.listen: must be host:port, such as 127.0.0.1:8080 or [::]:8443',
      'tenants.0.allowed_clients.1: 198.51.100.0/33 is not an IP or CIDR',
      'tenants.0.allowed_clients.2: intranet.example is not an IP or CIDR',
      'server.tls.cert_file: cannot read <dir>/none.pem; check the path and permissions',
      'server.tls.key_file: cannot read <dir>/none.key; check the path and permissions',
    ]);
  });

  it('refuses a client network with host bits set: a typo must not open a whole network', () => {
    expect(
      problemsOf(
        `feeds: [{ name: f, url: ./feed }]
tenants:
  - id: acme
    feed_auth: { tokens: ["${TOKEN}"] }
    allowed_clients: [203.0.113.5/24, 203.0.113.0/24, 198.51.100.7, 2001:db8::1/32, 2001:DB8::/32]
`,
      ),
    ).toEqual([
      'tenants.0.allowed_clients.0: 203.0.113.5/24 has host bits set, which would allow the whole network: write 203.0.113.0/24 for the network, or the address alone for one client',
      'tenants.0.allowed_clients.3: 2001:db8::1/32 has host bits set, which would allow the whole network: write 2001:db8::/32 for the network, or the address alone for one client',
    ]);
  });

  it('refuses a TLS key that does not match the certificate, and files that are not PEM', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iocrelay-tls-pair-'));
    const served = createSelfSignedCert(dir, 'IP:127.0.0.1', 'served');
    const renewed = createSelfSignedCert(dir, 'IP:127.0.0.1', 'renewed');
    writeFileSync(join(dir, 'not.pem'), 'not a pem\n');
    const config = (cert: string, key: string): string => `feeds: [{ name: f, url: ./feed }]
server: { tls: { cert_file: "${cert}", key_file: "${key}" } }
tenants:
  - id: acme
    feed_auth: { tokens: ["${TOKEN}"] }
`;

    expect(problemsOf(config(served.certFile, served.keyFile))).toEqual([]);
    expect(problemsOf(config(renewed.certFile, served.keyFile))).toEqual([
      'server.tls.key_file: does not match the certificate in cert_file (a key from before a renewal?); give the key the certificate was issued for',
    ]);
    expect(problemsOf(config(join(dir, 'not.pem'), join(dir, 'not.pem')))).toEqual([
      'server.tls.cert_file: is not a PEM certificate (-----BEGIN CERTIFICATE-----)',
      'server.tls.key_file: is not an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)',
    ]);
  });
});
