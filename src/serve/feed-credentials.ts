import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FeedTenant } from './feed-server-options.js';
import {
  hashPassword,
  parsePasswordHash,
  verifyParsedPassword,
  type PasswordHash,
} from './password-hash.js';

/** What an Authorization header carried, once parsed. */
export type Credentials =
  | { readonly scheme: 'basic'; readonly username: string; readonly password: string }
  | { readonly scheme: 'bearer'; readonly token: string };

/** Who a request authenticated as. `device` never holds a secret. */
export interface Authenticated {
  readonly tenant: string;
  readonly device: string;
}

/** Checks credentials against every tenant; built once from the options. */
export interface CredentialCheck {
  authenticate(credentials: Credentials | null): Promise<Authenticated | null>;
  /**
   * The Bearer part of `authenticate` on its own, without a promise: a token is checked with
   * one SHA-256 and a timingSafeEqual per stored token, nothing to wait for.
   */
  authenticateBearer(token: string): Authenticated | null;
}

interface TenantSecrets {
  readonly tenant: string;
  readonly username: string | null;
  readonly usernameDigest: Buffer | null;
  readonly password: { readonly digest: Buffer } | { readonly hash: PasswordHash } | null;
  readonly tokenDigests: readonly Buffer[];
}

/**
 * Builds the credential check. Secrets are kept as SHA-256 digests (plain passwords, tokens,
 * user names) or parsed scrypt hashes, and every comparison is timingSafeEqual over digests of
 * equal length, so neither a value nor its length shows in the answer time. All tenants are
 * checked on every request: a device of tenant A asking for tenant B's list is recognised
 * (and answered 404 by the server) rather than challenged.
 *
 * Throws when a tenant has no usable credentials or a malformed password hash.
 *
 * @example
 * const check = createCredentialCheck(tenants);
 * await check.authenticate(parseAuthorization('Bearer s3cret')); // { tenant: 'acme', device: 'token#1' }
 * check.authenticateBearer('s3cret'); // the same, without a promise
 */
export function createCredentialCheck(tenants: readonly FeedTenant[]): CredentialCheck {
  const secrets = tenants.map(compileTenant);
  const usesHashes = secrets.some(
    (tenant) => tenant.password !== null && 'hash' in tenant.password,
  );

  // A user name that matches no hashed password still costs one scrypt run, so the answer
  // time does not tell which user names exist.
  const decoy = usesHashes
    ? hashPassword('iocrelay decoy')
        .then(parsePasswordHash)
        .catch(() => null)
    : null;

  // A device polls every few minutes with the same password: its last scrypt verdict is kept
  // (keyed by an HMAC under a key of this process, so the map holds no password) for
  // VERIFIED_TTL_MS, so one scrypt run serves many fetches. Only successes are kept.
  const verified = new Map<string, { readonly found: Authenticated; readonly until: number }>();
  const cacheKey = randomBytes(32);
  const keyOf = (username: string, password: string): string =>
    createHmac('sha256', cacheKey).update(`${username}\u0000${password}`).digest('base64');

  const given = Buffer.alloc(DIGEST_BYTES);

  return {
    authenticateBearer: (token) => matchToken(secrets, digestInto(given, token)),
    async authenticate(credentials) {
      if (credentials === null) return null;
      if (credentials.scheme === 'bearer')
        return matchToken(secrets, digestInto(given, credentials.token));
      if (!usesHashes) return matchPlain(secrets, credentials.username, credentials.password);

      const key = keyOf(credentials.username, credentials.password);
      const cached = verified.get(key);
      if (cached !== undefined && cached.until > Date.now()) return cached.found;

      const found = await matchBasic(credentials.username, credentials.password);
      if (found === null) verified.delete(key);
      else {
        if (verified.size >= VERIFIED_MAX) verified.clear();
        verified.set(key, { found, until: Date.now() + VERIFIED_TTL_MS });
      }
      return found;
    },
  };

  async function matchBasic(givenUser: string, password: string): Promise<Authenticated | null> {
    const credentials = { username: givenUser, password };
    const username = digest(credentials.username);
    const candidates = secrets.filter(
      (tenant) =>
        tenant.usernameDigest !== null && timingSafeEqual(tenant.usernameDigest, username),
    );
    let found: Authenticated | null = null;
    let ranScrypt = false;
    for (const tenant of candidates) {
      if (tenant.password === null || tenant.username === null) continue;

      ranScrypt ||= 'hash' in tenant.password;
      const isMatch =
        'hash' in tenant.password
          ? await verifyParsedPassword(credentials.password, tenant.password.hash)
          : timingSafeEqual(tenant.password.digest, digest(credentials.password));
      if (isMatch && found === null) found = { tenant: tenant.tenant, device: tenant.username };
    }
    if (!ranScrypt && decoy !== null) {
      const decoyHash = await decoy;
      if (decoyHash !== null) await verifyParsedPassword(credentials.password, decoyHash);
    }
    return found;
  }
}

const VERIFIED_TTL_MS = 10 * 60_000;
const VERIFIED_MAX = 4096;
const DIGEST_BYTES = 32;

// Without any hashed password the check is a few SHA-256 digests: nothing worth keeping.
function matchPlain(
  secrets: readonly TenantSecrets[],
  username: string,
  password: string,
): Authenticated | null {
  const userDigest = digest(username);
  const passwordDigest = digest(password);
  let found: Authenticated | null = null;
  for (const tenant of secrets) {
    if (
      tenant.usernameDigest === null ||
      tenant.password === null ||
      !('digest' in tenant.password)
    )
      continue;
    const isUser = timingSafeEqual(tenant.usernameDigest, userDigest);
    const isPassword = timingSafeEqual(tenant.password.digest, passwordDigest);
    if (isUser && isPassword && found === null && tenant.username !== null)
      found = { tenant: tenant.tenant, device: tenant.username };
  }
  return found;
}

/**
 * Reads `Authorization: Basic <base64 user:password>` (RFC 7617, UTF-8) or
 * `Authorization: Bearer <token>` (RFC 6750 §2.1); anything else is null.
 *
 * @example
 * parseAuthorization('Basic dXNlcjpwYXNz'); // { scheme: 'basic', username: 'user', password: 'pass' }
 */
export function parseAuthorization(header: string | undefined): Credentials | null {
  if (header === undefined) return null;

  const basic = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (basic?.[1] !== undefined) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    return {
      scheme: 'basic',
      username: decoded.slice(0, colon),
      password: decoded.slice(colon + 1),
    };
  }

  const bearer = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  if (bearer?.[1] !== undefined) return { scheme: 'bearer', token: bearer[1] };

  return null;
}

function compileTenant(tenant: FeedTenant): TenantSecrets {
  const { username, password, passwordHash, tokens } = tenant.auth;
  const hasPassword = password !== undefined || passwordHash !== undefined;
  if (username === undefined && hasPassword)
    throw new Error(`feed server: tenant ${tenant.id} has a password but no username`);
  if (username !== undefined && password !== undefined && passwordHash !== undefined)
    throw new Error(`feed server: tenant ${tenant.id} has both password and password hash`);
  if (username !== undefined && !hasPassword)
    throw new Error(`feed server: tenant ${tenant.id} has a username but no password`);
  if (username === undefined && tokens.length === 0)
    throw new Error(`feed server: tenant ${tenant.id} has no feed credentials`);
  if (tokens.some((token) => parseAuthorization(`Bearer ${token}`) === null))
    throw new Error(`feed server: tenant ${tenant.id} has a token that is not RFC 6750 token68`);

  return {
    tenant: tenant.id,
    username: username ?? null,
    usernameDigest: username === undefined ? null : digest(username),
    password: compilePassword(tenant.id, password, passwordHash),
    tokenDigests: tokens.map(digest),
  };
}

function compilePassword(
  tenant: string,
  password: string | undefined,
  passwordHash: string | undefined,
): TenantSecrets['password'] {
  if (password !== undefined) return { digest: digest(password) };
  if (passwordHash === undefined) return null;

  const hash = parsePasswordHash(passwordHash);
  if (hash === null)
    throw new Error(
      `feed server: tenant ${tenant} has a password hash that is not scrypt$N$r$p$salt$hash`,
    );
  return { hash };
}

function matchToken(secrets: readonly TenantSecrets[], given: Buffer): Authenticated | null {
  let found: Authenticated | null = null;

  // No early exit: every token is compared, so the time does not tell which one matched.
  for (const tenant of secrets) {
    for (const [index, stored] of tenant.tokenDigests.entries()) {
      if (timingSafeEqual(stored, given) && found === null)
        found = { tenant: tenant.tenant, device: `token#${index + 1}` };
    }
  }
  return found;
}

// crypto.hash is the one-shot form of createHash: no Hash object per call, which under load
// costs more in garbage collection than the hashing itself.
function digest(value: string): Buffer {
  return digestInto(Buffer.alloc(DIGEST_BYTES), value);
}

// Writes into `target`, which the Bearer check reuses on every request: the digest is taken
// and compared synchronously, so no other request can overwrite it in between.
function digestInto(target: Buffer, value: string): Buffer {
  target.write(hash('sha256', value.normalize('NFC'), 'hex'), 'hex');
  return target;
}
