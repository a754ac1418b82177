import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { IocrelayError } from '../errors/iocrelay-error.js';
import type { Logger } from '../log/logger.js';
import { redactUrl } from './redact-url.js';
import {
  BodyTooLargeError,
  classifyTransportError,
  TransportFailure,
  type TransportErrorCodes,
} from './transport-errors.js';

/** Largest body read for one request unless the caller says otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 512 * 1024 * 1024;

export interface HttpClientOptions {
  /** Time allowed for one attempt, headers and body together. */
  readonly timeoutMs: number;
  readonly verifyTls: boolean;
  /** PEM file of a private CA, trusted in place of the system CAs. */
  readonly caFile?: string;
  /** Retries after the first attempt, for 5xx answers, timeouts and network errors. */
  readonly retries: number;
  /** First backoff delay; it doubles on each retry, with jitter. */
  readonly retryBaseMs: number;
  readonly maxBodyBytes?: number;
  readonly errors: TransportErrorCodes;
  readonly log: Logger;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** May hold credentials: never logged, never copied into an error. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
  /** Whether a 5xx answer is worth another attempt; all are by default. */
  readonly isRetryable?: (response: HttpResponse) => boolean;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface HttpClient {
  /**
   * Sends the request and returns the answer whatever its status; redirects are not followed.
   * Throws an IocrelayError (codes from `errors`) when no answer could be read, or the
   * signal's reason when the caller aborted.
   */
  send(request: HttpRequest): Promise<HttpResponse>;
  /** Closes every connection; requests still running fail. */
  destroy(): Promise<void>;
}

/**
 * An HTTP client on undici with a per-attempt timeout, retries with exponential backoff and
 * jitter (5xx, timeouts, network errors; never 4xx nor TLS failures) and a cap on body size.
 *
 * @example
 * const http = createHttpClient({ timeoutMs: 60_000, verifyTls: true, retries: 3,
 *   retryBaseMs: 1000, errors: MISP_TRANSPORT_ERRORS, log });
 * const answer = await http.send({ method: 'GET', url: 'https://misp.example/servers/getVersion' });
 * await http.destroy();
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const agent = new Agent({
    connect: {
      ca: options.caFile === undefined ? undefined : readCa(options),
      rejectUnauthorized: options.verifyTls,
      timeout: options.timeoutMs,
    },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });

  return {
    send: (req) => sendWithRetries(agent, options, req),
    destroy: () => agent.destroy(),
  };
}

function readCa(options: HttpClientOptions): Buffer {
  try {
    return readFileSync(options.caFile ?? '');
  } catch (error) {
    const details = { caFile: options.caFile ?? null, reason: 'ca_file_unreadable' };
    throw new IocrelayError(options.errors.tls, details, { cause: error });
  }
}

async function sendWithRetries(
  agent: Agent,
  options: HttpClientOptions,
  req: HttpRequest,
): Promise<HttpResponse> {
  const url = redactUrl(req.url);

  for (let attempt = 0; ; attempt++) {
    let response: HttpResponse;
    try {
      response = await sendOnce(agent, options, req);
    } catch (error) {
      if (!(error instanceof TransportFailure)) throw error;
      if (!error.isRetryable || attempt >= options.retries) {
        throw new IocrelayError(
          error.code,
          { url, reason: error.reason, attempts: attempt + 1 },
          {
            cause: error.cause,
          },
        );
      }
      await backoff(options, req, attempt, { url, attempt: attempt + 1, reason: error.reason });
      continue;
    }

    const isServerError = response.status >= 500;
    const isRetryable = isServerError && (req.isRetryable?.(response) ?? true);
    if (!isRetryable || attempt >= options.retries) return response;
    await backoff(options, req, attempt, { url, attempt: attempt + 1, status: response.status });
  }
}

async function sendOnce(
  agent: Agent,
  options: HttpClientOptions,
  req: HttpRequest,
): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;

  let answer: Awaited<ReturnType<typeof request>>;
  try {
    answer = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      dispatcher: agent,
      signal,
    });
  } catch (error) {
    throw classifyTransportError(error, 'connect', options.errors, req.signal, timeout);
  }

  try {
    const body = await readCapped(answer.body, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    return { status: answer.statusCode, headers: flattenHeaders(answer.headers), body };
  } catch (error) {
    answer.body.destroy();
    throw classifyTransportError(error, 'body', options.errors, req.signal, timeout);
  }
}

async function readCapped(body: AsyncIterable<Buffer>, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) throw new BodyTooLargeError(`body exceeds ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined)
      flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

async function backoff(
  options: HttpClientOptions,
  req: HttpRequest,
  attempt: number,
  fields: Readonly<Record<string, string | number>>,
): Promise<void> {
  // Equal jitter: half the exponential delay is fixed, half random, so retries from many
  // iocrelay instances do not hit a recovering MISP in step.
  const ceiling = options.retryBaseMs * 2 ** attempt;
  const delayMs = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  options.log.info({ ...fields, delayMs }, 'request failed, retrying');
  try {
    await sleep(delayMs, undefined, { signal: req.signal });
  } catch (error) {
    throw req.signal?.aborted ? req.signal.reason : error;
  }
}
