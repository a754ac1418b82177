import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { ConfigProblem } from '../config/config-error.js';
import { maskedNetwork } from '../config/masked-network.js';
import { createClientAllowlist } from './client-allowlist.js';
import { parsePasswordHash } from './password-hash.js';

/**
 * What the feed server would refuse, found at config time: incomplete or ambiguous
 * credentials, a hash iocrelay cannot read, a user name or token shared by two tenants (it
 * would open one tenant's lists to the other's devices), a bad client address or one with host
 * bits set (it would allow the whole network), a TLS file that is unreadable, not PEM, or a
 * key that does not match the certificate. Never puts a secret in a message.
 *
 * @example
 * feedAuthProblems(config.server, config.tenants, dirname(config.file));
 */
export function feedAuthProblems(raw: unknown, baseDir: string): ConfigProblem[] {
  const root = asRecord(raw);
  const server = asRecord(root['server']);
  const tenants = Array.isArray(root['tenants']) ? (root['tenants'] as unknown[]) : [];
  const problems: ConfigProblem[] = [];
  const owners = new Map<string, string>();
  const claim = (key: string, tenant: string, path: string, what: string): void => {
    const owner = owners.get(key);
    if (owner !== undefined && owner !== tenant)
      problems.push({
        path,
        message: `${what} is also given to tenant ${owner}: give each its own`,
      });
    else if (owner !== undefined)
      problems.push({ path, message: `${what} is given twice: remove one` });
    owners.set(key, tenant);
  };

  tenants.forEach((entry, index) => {
    const tenant = asRecord(entry);
    const id = typeof tenant['id'] === 'string' ? tenant['id'] : `#${index}`;
    const at = `tenants.${index}`;
    if (tenant['feed_auth'] !== undefined) {
      const auth = readAuth(tenant['feed_auth']);
      problems.push(...credentialProblems(auth, `${at}.feed_auth`));
      if (auth.username !== undefined)
        claim(`user:${auth.username}`, id, `${at}.feed_auth.username`, 'this user name');
      auth.tokens.forEach((token, tokenIndex) =>
        claim(`token:${token}`, id, `${at}.feed_auth.tokens.${tokenIndex}`, 'this token'),
      );
    }
    const allowed = tenant['allowed_clients'];
    (Array.isArray(allowed) ? (allowed as unknown[]) : []).forEach((entry, entryIndex) => {
      if (typeof entry !== 'string') return;
      const path = `${at}.allowed_clients.${entryIndex}`;
      try {
        createClientAllowlist([entry.trim()]);
      } catch {
        problems.push({ path, message: `${entry} is not an IP or CIDR` });
        return;
      }
      const network = maskedNetwork(entry.trim());
      if (network !== null) {
        problems.push({
          path,
          message: `${entry} has host bits set, which would allow the whole network: write ${network} for the network, or the address alone for one client`,
        });
      }
    });
  });

  problems.push(...tlsProblems(asRecord(server['tls']), baseDir));
  return problems;
}

// The certificate and key as the server will load them: readable, PEM, and a pair. A key left
// from before a certificate renewal is the usual mistake, and must not wait for `serve`.
function tlsProblems(tls: Record<string, unknown>, baseDir: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const pem: { cert_file?: string; key_file?: string } = {};
  for (const key of ['cert_file', 'key_file'] as const) {
    const file = tls[key];
    if (typeof file !== 'string') continue;
    try {
      pem[key] = readFileSync(resolve(baseDir, file), 'utf8');
    } catch {
      problems.push({
        path: `server.tls.${key}`,
        message: `cannot read ${resolve(baseDir, file)}; check the path and permissions`,
      });
    }
  }
  if (pem.cert_file !== undefined) {
    try {
      new X509Certificate(pem.cert_file);
    } catch {
      problems.push({
        path: 'server.tls.cert_file',
        message: 'is not a PEM certificate (-----BEGIN CERTIFICATE-----)',
      });
      delete pem.cert_file;
    }
  }
  if (pem.key_file !== undefined) {
    try {
      createPrivateKey(pem.key_file);
    } catch {
      problems.push({
        path: 'server.tls.key_file',
        message: 'is not an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)',
      });
      delete pem.key_file;
    }
  }
  if (pem.cert_file !== undefined && pem.key_file !== undefined) {
    try {
      createSecureContext({ cert: pem.cert_file, key: pem.key_file });
    } catch {
      problems.push({
        path: 'server.tls.key_file',
        message:
          'does not match the certificate in cert_file (a key from before a renewal?); give the key the certificate was issued for',
      });
    }
  }
  return problems;
}

interface FeedAuthShape {
  readonly username?: string;
  readonly password?: string;
  readonly password_hash?: string;
  readonly tokens: readonly string[];
}

// The raw `feed_auth`, its strings only: the schema reports wrong types itself.
function readAuth(raw: unknown): FeedAuthShape {
  const auth = asRecord(raw);
  const text = (key: string): Record<string, string> =>
    typeof auth[key] === 'string' ? { [key]: auth[key] } : {};
  const tokens = Array.isArray(auth['tokens']) ? (auth['tokens'] as unknown[]) : [];
  return {
    ...text('username'),
    ...text('password'),
    ...text('password_hash'),
    tokens: tokens.filter((token): token is string => typeof token === 'string'),
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function credentialProblems(auth: FeedAuthShape, at: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const hasPassword = auth.password !== undefined;
  const hasHash = auth.password_hash !== undefined;
  if (hasPassword && hasHash)
    problems.push({
      path: `${at}.password_hash`,
      message: 'give password or password_hash, not both',
    });
  if (auth.username !== undefined && !hasPassword && !hasHash)
    problems.push({
      path: `${at}.password`,
      message: 'is required with username (or give password_hash)',
    });
  if (auth.username === undefined && (hasPassword || hasHash))
    problems.push({ path: `${at}.username`, message: 'is required with a password' });
  if (hasHash && parsePasswordHash(auth.password_hash ?? '') === null)
    problems.push({
      path: `${at}.password_hash`,
      message: 'is not a scrypt hash iocrelay reads; make one with `iocrelay hash-password`',
    });
  if (auth.username === undefined && auth.tokens.length === 0)
    problems.push({
      path: at,
      message: 'gives no credentials: set username and password, or tokens',
    });
  return problems;
}
