/** Counts failed logins per client address. */
export interface LoginLimiter {
  /** Whether the address has used up its failed attempts for now. */
  isBlocked(address: string): boolean;
  recordFailure(address: string): void;
  /** A successful login clears the address's count. */
  recordSuccess(address: string): void;
}

export interface LoginLimiterOptions {
  /** Failed attempts allowed per window (default 10). */
  readonly maxFailures?: number;
  /** Window length in milliseconds (default 15 minutes). */
  readonly windowMs?: number;
  readonly clock?: () => number;
}

// Addresses remembered at most; past it, the oldest window is forgotten first.
const MAX_ADDRESSES = 10_000;

/**
 * A fixed-window counter of failed logins per address, in memory. It slows password guessing
 * from one address; many addresses (a botnet) need a rate-limiting proxy in front.
 *
 * @example
 * const limiter = createLoginLimiter({ maxFailures: 10 });
 * if (limiter.isBlocked(ip)) return reply.code(429);
 */
export function createLoginLimiter(options: LoginLimiterOptions = {}): LoginLimiter {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const clock = options.clock ?? Date.now;
  const windows = new Map<string, { failures: number; startedAt: number }>();

  function current(address: string): { failures: number; startedAt: number } | undefined {
    const window = windows.get(address);
    if (window !== undefined && clock() - window.startedAt >= windowMs) {
      windows.delete(address);
      return undefined;
    }
    return window;
  }

  return {
    isBlocked: (address) => (current(address)?.failures ?? 0) >= maxFailures,
    recordFailure(address) {
      const window = current(address);
      if (window !== undefined) {
        window.failures += 1;
        return;
      }
      if (windows.size >= MAX_ADDRESSES) {
        const oldest = windows.keys().next();
        if (oldest.done !== true) windows.delete(oldest.value);
      }
      windows.set(address, { failures: 1, startedAt: clock() });
    },
    recordSuccess(address) {
      windows.delete(address);
    },
  };
}
