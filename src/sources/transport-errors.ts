import type { ErrorCode } from '../errors/error-catalogue.js';

/**
 * How a failed HTTP attempt is sorted: which catalogue code it becomes and whether another
 * attempt could help. Used by http-client.ts.
 */

/**
 * Node and OpenSSL codes of a certificate that could not be verified. Retrying cannot fix any of
 * them, so they fail at once.
 */
const TLS_ERROR_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);

/** Which catalogue code each kind of transport failure becomes, per caller. */
export interface TransportErrorCodes {
  readonly tls: ErrorCode;
  readonly timeout: ErrorCode;
  readonly unreachable: ErrorCode;
  readonly truncated: ErrorCode;
  readonly tooLarge: ErrorCode;
}

export const MISP_TRANSPORT_ERRORS: TransportErrorCodes = {
  tls: 'MISP_TLS_FAILED',
  timeout: 'MISP_TIMEOUT',
  unreachable: 'MISP_UNREACHABLE',
  truncated: 'MISP_TRUNCATED',
  tooLarge: 'MISP_RESPONSE_TOO_LARGE',
};

/** A feed has no separate timeout or truncation code: both mean the feed cannot be read. */
export const FEED_TRANSPORT_ERRORS: TransportErrorCodes = {
  tls: 'FEED_TLS_FAILED',
  timeout: 'FEED_UNREACHABLE',
  unreachable: 'FEED_UNREACHABLE',
  truncated: 'FEED_UNREACHABLE',
  tooLarge: 'FEED_RESPONSE_TOO_LARGE',
};

/** A failed attempt, already sorted into a catalogue code. */
export class TransportFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly reason: string,
    readonly isRetryable: boolean,
    cause: unknown,
  ) {
    super(reason, { cause });
  }
}

/** Thrown while reading a body past the size cap. */
export class BodyTooLargeError extends Error {}

/**
 * The TransportFailure an attempt's error stands for, or the caller's abort reason (returned
 * as is, never retried) when the caller's signal fired.
 *
 * @example
 * throw classifyTransportError(error, 'body', MISP_TRANSPORT_ERRORS, req.signal, timeout);
 */
export function classifyTransportError(
  error: unknown,
  phase: 'connect' | 'body',
  errors: TransportErrorCodes,
  callerSignal: AbortSignal | undefined,
  timeout: AbortSignal,
): unknown {
  if (callerSignal?.aborted) return callerSignal.reason;

  const codes = errorCodes(error);
  if (error instanceof BodyTooLargeError) {
    return new TransportFailure(errors.tooLarge, 'body_too_large', false, error);
  }
  if (timeout.aborted || codes.some((code) => TIMEOUT_CODES.has(code))) {
    return new TransportFailure(errors.timeout, 'timeout', true, error);
  }
  const tlsCode = codes.find((code) => TLS_ERROR_CODES.has(code) || code.startsWith('ERR_TLS_'));
  if (tlsCode !== undefined) return new TransportFailure(errors.tls, tlsCode, false, error);

  // Headers arrived but the body did not: the connection was cut or ended short of Content-Length.
  if (phase === 'body') return new TransportFailure(errors.truncated, 'truncated', true, error);
  return new TransportFailure(errors.unreachable, codes[0] ?? 'network_error', true, error);
}

/** The `code` of the error and of each error in its `cause` chain, outermost first. */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = current.cause;
  }
  return codes;
}
