import { ipSpan } from '../normalize/ip-span.js';

/** Whether a login may go on to the password check, and if not, why. */
export type LoginAttempt = 'allowed' | 'throttled' | 'table-full';

/** Counts login attempts per client (an IPv4 address, an IPv6 /64). */
export interface LoginLimiter {
  /**
   * Counts an attempt as it starts, before the password check: attempts still in flight
   * count against the limit, so parallel guesses cannot all pass the check at once.
   */
  tryAttempt(address: string): LoginAttempt;
  /** A successful login clears the client's count. */
  recordSuccess(address: string): void;
}

export interface LoginLimiterOptions {
  /** Attempts allowed per window (default 10); a success clears them. */
  readonly maxAttempts?: number;
  /** Window length in milliseconds (default 15 minutes). */
  readonly windowMs?: number;
  /** Clients remembered at most (default 10,000). */
  readonly maxClients?: number;
  readonly clock?: () => number;
}

/**
 * A fixed-window counter of login attempts per client, in memory. It slows password guessing
 * from one address; many addresses (a botnet) need a rate-limiting proxy in front.
 *
 * DECISION: an IPv6 client is counted by its /64, the block a single host or customer line
 * usually gets, so rotating addresses inside it gains nothing. When the table holds
 * maxClients live windows, a client not in it is refused (fail closed) instead of evicting
 * another: eviction would let an attacker with many addresses push its own blocked entry
 * out. Windows are kept in start order, so expired ones are dropped from the front first.
 *
 * @example
 * const limiter = createLoginLimiter({ maxAttempts: 10 });
 * if (limiter.tryAttempt(ip) !== 'allowed') return reply.code(429);
 */
export function createLoginLimiter(options: LoginLimiterOptions = {}): LoginLimiter {
  const maxAttempts = options.maxAttempts ?? 10;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const maxClients = options.maxClients ?? 10_000;
  const clock = options.clock ?? Date.now;
  const windows = new Map<string, { attempts: number; startedAt: number }>();

  function dropExpired(now: number): void {
    for (const [key, window] of windows) {
      if (now - window.startedAt < windowMs) return;
      windows.delete(key);
    }
  }

  return {
    tryAttempt(address) {
      const now = clock();
      dropExpired(now);
      const key = limiterKey(address);
      const window = windows.get(key);
      if (window !== undefined) {
        if (window.attempts >= maxAttempts) return 'throttled';
        window.attempts += 1;
        return 'allowed';
      }
      if (windows.size >= maxClients) return 'table-full';
      windows.set(key, { attempts: 1, startedAt: now });
      return 'allowed';
    },
    recordSuccess(address) {
      windows.delete(limiterKey(address));
    },
  };
}

/**
 * The key a client is counted under: an IPv4 address as is, an IPv6 address by its /64.
 *
 * @example
 * limiterKey('2001:db8:1:2:aaaa::1'); // '2001:db8:1:2::/64'
 */
export function limiterKey(address: string): string {
  const span = address.includes(':') ? ipSpan(address) : null;
  if (span === null || span.family !== 6) return address;
  const prefix = span.start >> 64n;
  const groups = [48n, 32n, 16n, 0n].map((shift) => ((prefix >> shift) & 0xffffn).toString(16));
  return `${groups.join(':')}::/64`;
}
