import type { RejectReason } from './indicator.js';

/**
 * A refused value: the failure branch of `NormalizeResult`, so a parser's rejection can be
 * returned as a result without copying. Every parser in this folder returns its canonical form
 * or one of these; none throws, since a bad indicator is dropped and counted, never fatal.
 *
 * @example
 * { ok: false, reason: 'invalid_hash', detail: 'an md5 is 32 hex digits, got 31' }
 */
export interface Rejection {
  readonly ok: false;
  readonly reason: RejectReason;
  readonly detail: string;
}

/**
 * Builds a rejection. `detail` is for people reading logs; `reason` is the stable counter name.
 *
 * @example
 * reject('invalid_port', 'port 70000 is above 65535');
 */
export function reject(reason: RejectReason, detail: string): Rejection {
  return { ok: false, reason, detail };
}

/**
 * Tells a parser's result (a canonical string, an indicator, any object without `ok`) from its
 * rejection.
 *
 * @example
 * const host = normalizeDomain(text);
 * if (isRejection(host)) return host;
 */
export function isRejection<T extends string | object>(value: T | Rejection): value is Rejection {
  return typeof value === 'object' && 'ok' in value;
}
