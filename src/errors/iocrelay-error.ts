import { ERROR_CATALOGUE, type ErrorCode } from './error-catalogue.js';

/** Fields that may accompany an error: names, paths, statuses. Never a secret. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | null>>;

/**
 * The one error type iocrelay throws on purpose. `code` is stable (see docs/errors.md), the
 * message comes from the catalogue, and `details` carries the specifics as data.
 *
 * @example
 * throw new IocrelayError('MISP_HTTP_ERROR', { status: 502 }, { cause: err });
 */
export class IocrelayError extends Error {
  override readonly name = 'IocrelayError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(ERROR_CATALOGUE[code].message, options);
    this.code = code;
    this.details = details;
  }
}

/** Whether `error` is an IocrelayError, optionally of one code. */
export function isIocrelayError(error: unknown, code?: ErrorCode): error is IocrelayError {
  return error instanceof IocrelayError && (code === undefined || error.code === code);
}
