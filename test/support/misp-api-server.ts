import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AttributeProvider, MispWireAttribute } from './misp-fixtures.js';

/** What MISP's AppController answers a refused key with (openapi UnauthorizedApiError). */
const AUTH_FAILED =
  'Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.';

/** The page PHP prints when a request outgrows memory_limit (whole result sets without limit). */
export const PHP_MEMORY_ERROR =
  '<br />\n<b>Fatal error</b>:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in <b>/var/www/MISP/app/Model/AppModel.php</b> on line <b>3012</b><br />\n';

export type Failure =
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'forbidden' | 'login-redirect' | 'html' | 'truncated' | 'bad-shape' }
  | { readonly kind: 'invalid-json' | 'php-memory' | 'reset' }
  | { readonly kind: 'delay'; readonly ms: number };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Record<string, unknown>;
}

export interface MispApiServerOptions {
  readonly apiKey: string;
  readonly attributes?: readonly MispWireAttribute[];
  readonly provider?: AttributeProvider;
  /** Attributes MISP drops after the LIMIT query, as its allowedlist does. */
  readonly cull?: (attribute: MispWireAttribute) => boolean;
  readonly tls?: { readonly key: string; readonly cert: string };
}

export interface MispApiServer {
  readonly url: string;
  /** Every request received, failed ones included, in order. */
  readonly requests: RecordedRequest[];
  setAttributes(attributes: readonly MispWireAttribute[]): void;
  /** Changes the held attributes in place (edit, soft-delete, add). */
  mutate(change: (attributes: MispWireAttribute[]) => void): void;
  /**
   * The next `times` requests fail this way (after they are recorded), once `after` more
   * requests have been answered normally.
   */
  failNext(failure: Failure, times?: number, after?: number): void;
  close(): Promise<void>;
}

/**
 * An in-memory MISP answering POST /attributes/restSearch on 127.0.0.1 the way MISP 2.4/2.5
 * does: filters type, to_ids, published, deleted, timestamp; pages with limit/page in id
 * order; sends X-Result-Count like MispAttribute::__iteratedFetch; refuses a search without
 * limit with PHP's memory error.
 *
 * @example
 * const misp = await startMispApiServer({ apiKey: 'k', attributes: [wireAttribute(1, wireEvent(1))] });
 */
export async function startMispApiServer(options: MispApiServerOptions): Promise<MispApiServer> {
  let attributes: MispWireAttribute[] = [...(options.attributes ?? [])];
  const provider = (): AttributeProvider =>
    options.provider ?? {
      count: attributes.length,
      at: (index) => attributes[index] as MispWireAttribute,
    };
  const requests: RecordedRequest[] = [];
  const failures: (Failure | null)[] = [];
  const pageStarts = new Map<string, Map<number, number>>();
  const timers = new Set<NodeJS.Timeout>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const text = await readBody(req);
    let body: Record<string, unknown> = {};
    try {
      body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      return sendJson(res, 400, {
        name: 'Invalid JSON input.',
        message: 'Invalid JSON input.',
        url: req.url,
      });
    }
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });

    const failure = failures.shift();
    if (failure?.kind === 'delay') {
      await new Promise<void>((resolve) => timers.add(setTimeout(resolve, failure.ms)));
    } else if (failure) {
      return fail(failure, req, res, () => answer(body).text);
    }

    if (req.method !== 'POST' || req.url !== '/attributes/restSearch') {
      return sendJson(res, 404, { name: 'Not Found', message: 'Not Found', url: req.url });
    }
    const key = req.headers.authorization;
    if (key === undefined) return redirectToLogin(res);
    if (key !== options.apiKey)
      return sendJson(res, 403, { name: AUTH_FAILED, message: AUTH_FAILED, url: req.url });
    if (body.limit === undefined)
      return send(res, 500, 'text/html; charset=UTF-8', PHP_MEMORY_ERROR);

    const page = answer(body);
    send(res, 200, 'application/json; charset=UTF-8', page.text, {
      'X-Result-Count': String(page.resultCount),
    });
  };

  const answer = (body: Record<string, unknown>): { text: string; resultCount: number } => {
    const limit = Number(body.limit ?? 0);
    const page = Math.max(1, Number(body.page ?? 1));
    const match = matcher(body);
    const source = provider();
    const filterKey = JSON.stringify({ ...body, page: undefined });
    const starts = pageStarts.get(filterKey) ?? new Map<number, number>([[1, 0]]);
    pageStarts.set(filterKey, starts);

    // Resume from the nearest page already walked: paging a 1M-row provider stays linear.
    let known = page;
    while (!starts.has(known)) known--;
    let index = starts.get(known) ?? 0;
    let toSkip = (page - known) * limit;
    const rows: MispWireAttribute[] = [];
    for (; index < source.count && rows.length < limit; index++) {
      const attribute = source.at(index);
      if (!match(attribute)) continue;
      if (toSkip > 0) toSkip--;
      else rows.push(attribute);
    }
    if (toSkip === 0) starts.set(page + 1, index);

    const kept = options.cull ? rows.filter((attribute) => !options.cull?.(attribute)) : rows;
    const resultCount = limit * (page - 1) + rows.length + (kept.length === limit ? 1 : 0);
    const shaped = kept.map((attribute) => shape(attribute, body));
    return { text: JSON.stringify({ response: { Attribute: shaped } }), resultCount };
  };

  const server = options.tls ? createHttpsServer(options.tls) : createHttpServer();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => send(res, 500, 'text/plain', String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    setAttributes: (list) => {
      attributes = [...list];
      pageStarts.clear();
    },
    mutate: (change) => {
      change(attributes);
      pageStarts.clear();
    },
    failNext: (failure, times = 1, after = 0) => {
      for (let i = 0; i < after; i++) failures.push(null);
      for (let i = 0; i < times; i++) failures.push(failure);
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function matcher(body: Record<string, unknown>): (attribute: MispWireAttribute) => boolean {
  const types = body.type === undefined ? null : new Set([body.type].flat());
  const toIds = body.to_ids === undefined ? null : new Set([body.to_ids].flat().map(isTrue));
  const published = body.published === undefined ? null : isTrue(body.published);
  const deleted = deletedFilter(body.deleted);
  const since = body.timestamp === undefined ? 0 : Number(body.timestamp);
  const eventSince = body.event_timestamp === undefined ? 0 : Number(body.event_timestamp);

  return (attribute) =>
    (types === null || types.has(attribute.type)) &&
    (toIds === null || toIds.has(attribute.to_ids)) &&
    (published === null || attribute.Event.published === published) &&
    deleted.has(attribute.deleted) &&
    Number(attribute.timestamp) >= since &&
    Number(attribute.Event.timestamp ?? 0) >= eventSince;
}

/** MispAttribute::fetchAttributes: no `deleted` means deleted = 0; [0,1] means both. */
function deletedFilter(value: unknown): Set<boolean> {
  if (value === undefined) return new Set([false]);
  if (value === 'only') return new Set([true]);
  return new Set([value].flat().map(isTrue));
}

function isTrue(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

/** Without includeContext MISP sends a short Event; includeEventTags merges event tags in. */
function shape(
  attribute: MispWireAttribute,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const event = attribute.Event;
  const shaped: Record<string, unknown> = { ...attribute };
  if (!isTrue(body.includeContext)) {
    const { id, info, org_id, orgc_id, uuid, distribution } = event;
    shaped.Event = { org_id, distribution, id, info, orgc_id, uuid };
  }
  if (isTrue(body.includeEventTags)) {
    const inherited = ((event.Tag ?? []) as Record<string, unknown>[]).map((tag) => ({
      ...tag,
      inherited: 1,
    }));
    shaped.Tag = [...((attribute.Tag ?? []) as unknown[]), ...inherited];
  }
  return shaped;
}

function fail(
  failure: Failure,
  req: IncomingMessage,
  res: ServerResponse,
  page: () => string,
): void {
  switch (failure.kind) {
    case 'status':
      return sendJson(res, failure.status, { name: 'Error', message: 'Error', url: req.url });
    case 'forbidden':
      return sendJson(res, 403, { name: AUTH_FAILED, message: AUTH_FAILED, url: req.url });
    case 'login-redirect':
      return redirectToLogin(res);
    case 'html':
      return send(
        res,
        200,
        'text/html; charset=UTF-8',
        '<!DOCTYPE html>\n<html><body>Users - MISP</body></html>',
      );
    case 'truncated': {
      const text = page();
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
      });
      res.write(text.slice(0, Math.floor(text.length / 2)));
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    case 'bad-shape':
      return sendJson(res, 200, { response: { Event: [] } });
    case 'invalid-json':
      return send(res, 200, 'application/json', '{"response": {"Attribute": [{"id": "1",}]}}');
    case 'php-memory':
      return send(res, 500, 'text/html; charset=UTF-8', PHP_MEMORY_ERROR);
    case 'reset':
      req.socket.destroy();
      return;
    case 'delay':
      return;
  }
}

function redirectToLogin(res: ServerResponse): void {
  res.writeHead(302, { Location: '/users/login', 'Content-Type': 'text/html' });
  res.end('');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=UTF-8', JSON.stringify(body));
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
