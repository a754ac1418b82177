import { IocrelayError, type ErrorDetails } from '../errors/iocrelay-error.js';
import type { HttpResponse } from './http-client.js';
import { parseAttribute, parseEvent } from './misp-event-parser.js';
import { isJsonObject, MispShapeError } from './misp-wire-values.js';
import type { SourceAttribute, SourceEvent } from './source-attribute.js';

/** PHP's fatal error when a request outgrows memory_limit; MISP sends it as a 500 page. */
const PHP_MEMORY_EXHAUSTED = /Allowed memory size of \d+ bytes exhausted/;

export interface PageContext {
  /** The restSearch URL, without credentials. */
  readonly url: string;
  readonly page: number;
  /** Events already read in this pull, by uuid: every attribute of an event shares one object. */
  readonly events: Map<string, SourceEvent>;
}

/**
 * Whether a 500 is PHP running out of memory. Retrying the same page would exhaust it again,
 * so the client must not retry it.
 */
export function isMemoryExhausted(response: HttpResponse): boolean {
  return response.status >= 500 && PHP_MEMORY_EXHAUSTED.test(response.body);
}

/**
 * Checks one /attributes/restSearch answer (status, content type, JSON, shape) and returns its
 * attributes. Throws the IocrelayError that names what went wrong.
 *
 * Two JSON shapes are valid: `{"response":{"Attribute":[…]}}` (MISP's JsonExport header and
 * footer, app/Lib/Export/JsonExport.php, also when nothing matches) and `{"response":[]}`
 * (MISP before the export modules answered an empty search so).
 *
 * @example
 * const attributes = readRestSearchPage(answer, { url, page: 1, events: new Map() });
 */
export function readRestSearchPage(
  response: HttpResponse,
  context: PageContext,
): SourceAttribute[] {
  checkStatus(response, context);
  const document = parseJson(response, context);

  try {
    return readAttributes(document, context.events);
  } catch (error) {
    if (!(error instanceof MispShapeError)) throw error;
    const details = {
      url: context.url,
      page: context.page,
      path: error.path,
      expected: error.expected,
    };
    throw new IocrelayError('MISP_BAD_SHAPE', details, { cause: error });
  }
}

function checkStatus(response: HttpResponse, context: PageContext): void {
  const { status } = response;
  const details = { url: context.url, page: context.page, status };
  if (status >= 200 && status < 300) return;

  // MISP answers a refused key with 403 JSON {name, message, url}; some proxies use 401.
  if (status === 401 || status === 403) throw new IocrelayError('MISP_AUTH_FAILED', details);

  // A session-based front (the web UI, an SSO proxy) sends unauthenticated clients to its login.
  if (status >= 300 && status < 400 && (response.headers.location ?? '').includes('/users/login')) {
    throw new IocrelayError('MISP_LOGIN_REDIRECT', details);
  }

  if (isMemoryExhausted(response)) throw new IocrelayError('MISP_MEMORY_EXHAUSTED', details);
  throw new IocrelayError('MISP_HTTP_ERROR', details);
}

function parseJson(response: HttpResponse, context: PageContext): unknown {
  const contentType = response.headers['content-type'] ?? '';
  const where = { url: context.url, page: context.page };
  if (contentType.includes('text/html') || response.body.trimStart().startsWith('<')) {
    throw notJson(response, { ...where, contentType });
  }

  try {
    return JSON.parse(response.body);
  } catch (error) {
    if (PHP_MEMORY_EXHAUSTED.test(response.body)) {
      throw new IocrelayError('MISP_MEMORY_EXHAUSTED', { ...where, status: response.status });
    }
    const details = { ...where, bytes: response.body.length };
    throw new IocrelayError('MISP_TRUNCATED', details, { cause: error });
  }
}

/**
 * PHP with display_errors on prints a fatal error into a 200 answer, so the memory error can
 * come as a 200 HTML page or after partial JSON; it is only looked for in bodies that are not
 * JSON, to spare a regex over every good page.
 */
function notJson(response: HttpResponse, details: ErrorDetails): IocrelayError {
  return PHP_MEMORY_EXHAUSTED.test(response.body)
    ? new IocrelayError('MISP_MEMORY_EXHAUSTED', { ...details, status: response.status })
    : new IocrelayError('MISP_NOT_JSON', details);
}

function readAttributes(document: unknown, events: Map<string, SourceEvent>): SourceAttribute[] {
  if (!isJsonObject(document)) throw new MispShapeError('(root)', 'an object with "response"');

  const { response } = document;
  if (Array.isArray(response) && response.length === 0) return [];
  if (!isJsonObject(response) || !Array.isArray(response.Attribute)) {
    throw new MispShapeError('response', 'an object with an "Attribute" array');
  }

  const list = response.Attribute as readonly unknown[];
  const attributes = new Array<SourceAttribute>(list.length);
  for (let index = 0; index < list.length; index++) {
    const raw = list[index];
    const path = `response.Attribute[${index}]`;
    if (!isJsonObject(raw)) throw new MispShapeError(path, 'an attribute object');
    attributes[index] = parseAttribute(raw, path, eventOf(raw, path, events), null);
  }
  return attributes;
}

function eventOf(
  raw: Readonly<Record<string, unknown>>,
  path: string,
  events: Map<string, SourceEvent>,
): SourceEvent {
  const context = isJsonObject(raw.Event) ? raw.Event : {};
  const key = context.uuid ?? raw.event_uuid;
  if (typeof key === 'string') {
    const known = events.get(key);
    if (known !== undefined) return known;
  }

  const event = parseEvent(context, `${path}.Event`, { uuid: raw.event_uuid, id: raw.event_id });
  events.set(event.uuid, event);
  return event;
}
