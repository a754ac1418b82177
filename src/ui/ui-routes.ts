import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { isSameToken, type AdminSession, type AdminSessions } from './admin-sessions.js';
import type { ActionHandler, PageHandler, UiContext } from './ui-context.js';

/** The cookie that carries the session id. */
export const SESSION_COOKIE = 'iocrelay_ui';

/** Forms are small: a value, a reason, a token. The feed server's 1 KiB limit is too tight. */
export const FORM_BODY_LIMIT = 16 * 1024;

/**
 * Scripts and styles from /ui/assets only (no inline script, no inline style), forms posting
 * back to the dashboard only, never framed (clickjacking).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** One year, as HSTS preload lists expect; sent over TLS only (RFC 6797 §7.2). */
const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

/**
 * Adds the dashboard's response headers to every answer under /ui: CSP, no framing, no
 * sniffing, no referrer (MISP links leak nothing), no-store unless a route set its own
 * caching (the assets), and HSTS when the server runs TLS.
 *
 * @example
 * addSecurityHeaders(scope, { isTls: true });
 */
export function addSecurityHeaders(scope: FastifyInstance, options: { isTls: boolean }): void {
  scope.addHook('onSend', (_request, reply, payload, done) => {
    if (options.isTls) reply.header('strict-transport-security', STRICT_TRANSPORT_SECURITY);
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-frame-options', 'DENY');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}

/**
 * The live session of a request's cookie, or null.
 *
 * @example
 * const session = sessionOf(request, sessions);
 */
export function sessionOf(request: FastifyRequest, sessions: AdminSessions): AdminSession | null {
  return sessions.get(request.cookies[SESSION_COOKIE]);
}

/**
 * A GET page for logged-in admins; anyone else is sent to the login page.
 *
 * @example
 * registerPage(scope, '/tenants', context, sessions, tenantsPage);
 */
export function registerPage(
  scope: FastifyInstance,
  path: string,
  context: UiContext,
  sessions: AdminSessions,
  handler: PageHandler,
): void {
  scope.get(path, async (request, reply) => {
    const session = sessionOf(request, sessions);
    if (session === null) return reply.redirect('/ui/login', 303);

    const query = stringsOf(request.query);
    const page = await handler(context, { request, reply, session, query });
    if (page === null) return reply;
    return reply.type('text/html; charset=utf-8').send(page.toString());
  });
}

/**
 * A form POST for logged-in admins, with the session's CSRF token checked first; answers 403
 * without a session or with a missing or wrong token, else 303 to where the handler says.
 *
 * @example
 * registerAction(scope, '/allowlists/add', context, sessions, addAllowlistAction);
 */
export function registerAction(
  scope: FastifyInstance,
  path: string,
  context: UiContext,
  sessions: AdminSessions,
  handler: ActionHandler,
): void {
  scope.post(path, { bodyLimit: FORM_BODY_LIMIT }, async (request, reply) => {
    const session = sessionOf(request, sessions);
    const form = stringsOf(request.body);
    if (session === null || !isSameToken(form['csrf'], session.csrfToken)) {
      context.log.warn(
        { path, clientIp: request.socket.remoteAddress ?? null, hasSession: session !== null },
        'dashboard form refused: no session or bad CSRF token',
      );
      return forbidden(reply);
    }
    const query = stringsOf(request.query);
    const next = await handler(context, { request, reply, session, query, form });
    return reply.redirect(next, 303);
  });
}

/**
 * 403 with a short text body.
 *
 * @example
 * return forbidden(reply);
 */
export function forbidden(reply: FastifyReply): FastifyReply {
  return reply.code(403).type('text/plain; charset=utf-8').send('forbidden\n');
}

/**
 * The string fields of a parsed query or form; repeated fields and other types are dropped.
 *
 * @example
 * stringsOf({ q: 'x', a: ['1', '2'] }); // { q: 'x' }
 */
export function stringsOf(input: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (typeof input !== 'object' || input === null) return out;
  for (const [key, value] of Object.entries(input)) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}
