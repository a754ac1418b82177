import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import type { ConfigProblem } from '../config/config-error.js';
import type { FeedAuthConfig, ServerConfig } from '../config/server-schema.js';
import { createClientAllowlist } from './client-allowlist.js';
import { parsePasswordHash } from './password-hash.js';

interface TenantFeedConfig {
  readonly id: string;
  readonly feed_auth?: FeedAuthConfig | undefined;
  readonly allowed_clients?: readonly string[] | undefined;
}

/**
 * What the feed server would refuse, found at config time: incomplete or ambiguous
 * credentials, a hash iocrelay cannot read, a user name or token shared by two tenants (it
 * would open one tenant's lists to the other's devices), a bad client address, an unreadable
 * TLS file. Never puts a secret in a message.
 *
 * @example
 * feedAuthProblems(config.server, config.tenants, dirname(config.file));
 */
export function feedAuthProblems(
  server: ServerConfig,
  tenants: readonly TenantFeedConfig[],
  baseDir: string,
): ConfigProblem[] {
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

  tenants.forEach((tenant, index) => {
    const at = `tenants.${index}`;
    const auth = tenant.feed_auth;
    if (auth !== undefined) {
      problems.push(...credentialProblems(auth, `${at}.feed_auth`));
      if (auth.username !== undefined)
        claim(`user:${auth.username}`, tenant.id, `${at}.feed_auth.username`, 'this user name');
      auth.tokens.forEach((token, tokenIndex) =>
        claim(`token:${token}`, tenant.id, `${at}.feed_auth.tokens.${tokenIndex}`, 'this token'),
      );
    }
    tenant.allowed_clients?.forEach((entry, entryIndex) => {
      try {
        createClientAllowlist([entry]);
      } catch {
        problems.push({
          path: `${at}.allowed_clients.${entryIndex}`,
          message: `${entry} is not an IP or CIDR`,
        });
      }
    });
  });

  for (const key of ['cert_file', 'key_file'] as const) {
    const file = server.tls?.[key];
    if (file === undefined) continue;
    try {
      accessSync(resolve(baseDir, file), constants.R_OK);
    } catch {
      problems.push({
        path: `server.tls.${key}`,
        message: `cannot read ${resolve(baseDir, file)}; check the path and permissions`,
      });
    }
  }
  return problems;
}

function credentialProblems(auth: FeedAuthConfig, at: string): ConfigProblem[] {
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
