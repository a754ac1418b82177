import { IocrelayError } from '../errors/iocrelay-error.js';

/**
 * The error to throw for a failed database step: STORE_BUSY when another connection held the
 * write lock past busy_timeout, STORE_FAILED for any other SQLite or file system error. Errors
 * without a code (a misuse of the store, a bug) pass through unchanged, as does an
 * IocrelayError.
 *
 * @example
 * try { stmt.run(); } catch (err) { throw storeError('recordPublication', err); }
 */
export function storeError(operation: string, cause: unknown): Error {
  if (cause instanceof IocrelayError) return cause;

  const code = codeOf(cause);
  if (code === null) return cause instanceof Error ? cause : new Error(String(cause));

  const isBusy = code.startsWith('SQLITE_BUSY') || code === 'SQLITE_LOCKED';
  return new IocrelayError(isBusy ? 'STORE_BUSY' : 'STORE_FAILED', { operation }, { cause });
}

/**
 * Runs `work` and turns whatever it throws into a store error.
 *
 * @example
 * const row = guard('getSourceState', () => stmt.get(source));
 */
export function guard<T>(operation: string, work: () => T): T {
  try {
    return work();
  } catch (err) {
    throw storeError(operation, err);
  }
}

/**
 * {@link guard} for a synchronous step behind an async API: what it throws becomes a rejection.
 *
 * @example
 * return attempt('lastPublication', () => stmt.get(tenant, list) ?? null);
 */
export function attempt<T>(operation: string, work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (err) {
    return Promise.reject(storeError(operation, err));
  }
}

/** {@link guard} for async work. */
export async function guardAsync<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw storeError(operation, err);
  }
}

// better-sqlite3 puts SQLite's extended result code name on `code` (SQLITE_BUSY,
// SQLITE_FULL…); Node's file system errors carry theirs (EACCES…) the same way.
function codeOf(err: unknown): string | null {
  if (!(err instanceof Error) || !('code' in err)) return null;
  return typeof err.code === 'string' ? err.code : null;
}
