import { randomBytes, timingSafeEqual } from 'node:crypto';

/** One logged-in admin. */
export interface AdminSession {
  /** 256 random bits, base64url: the cookie value. */
  readonly id: string;
  readonly username: string;
  /** The synchronizer token every POST of this session must carry. */
  readonly csrfToken: string;
  /** Unix milliseconds. */
  readonly expiresAt: number;
}

/** The server-side sessions of the dashboard, in memory: a restart logs every admin out. */
export interface AdminSessions {
  create(username: string): AdminSession;
  /** The live session of a cookie value, or null (unknown or expired, which is dropped). */
  get(id: string | undefined): AdminSession | null;
  destroy(id: string): void;
  readonly size: number;
}

// A flood of logins must not grow the map without bound; the oldest session goes first.
const MAX_SESSIONS = 1000;

/**
 * Sessions that end `ttlS` seconds after login.
 *
 * @example
 * const sessions = createAdminSessions(8 * 3600);
 * const session = sessions.create('alice');
 * sessions.get(session.id)?.username; // 'alice'
 */
export function createAdminSessions(ttlS: number, clock: () => number = Date.now): AdminSessions {
  const sessions = new Map<string, AdminSession>();

  function sweep(now: number): void {
    for (const [id, session] of sessions) if (session.expiresAt <= now) sessions.delete(id);
    while (sessions.size >= MAX_SESSIONS) {
      const oldest = sessions.keys().next();
      if (oldest.done === true) break;
      sessions.delete(oldest.value);
    }
  }

  return {
    create(username) {
      const now = clock();
      sweep(now);
      const session: AdminSession = Object.freeze({
        id: randomToken(),
        username,
        csrfToken: randomToken(),
        expiresAt: now + ttlS * 1000,
      });
      sessions.set(session.id, session);
      return session;
    },
    get(id) {
      if (id === undefined) return null;
      const session = sessions.get(id);
      if (session === undefined) return null;
      if (session.expiresAt > clock()) return session;

      sessions.delete(id);
      return null;
    },
    destroy(id) {
      sessions.delete(id);
    },
    get size() {
      return sessions.size;
    },
  };
}

/**
 * 256 random bits, base64url.
 *
 * @example
 * randomToken(); // 'q3Xo…' (43 characters)
 */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Whether a token sent with a form equals the expected one, in constant time.
 *
 * @example
 * isSameToken(form.csrf, session.csrfToken);
 */
export function isSameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
