import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { UiConfig } from '../config/ui-schema.js';
import { hashPassword, verifyPassword } from '../serve/password-hash.js';
import { unmapIPv4 } from '../serve/client-allowlist.js';
import { isSameToken, randomToken, type AdminSessions } from './admin-sessions.js';
import { html, type SafeHtml } from './html.js';
import { layout, notice } from './layout.js';
import { createLoginLimiter } from './login-limiter.js';
import type { UiContext } from './ui-context.js';
import {
  FORM_BODY_LIMIT,
  registerAction,
  SESSION_COOKIE,
  sessionOf,
  stringsOf,
} from './ui-routes.js';

/** The cookie holding the login form's CSRF token (double submit: there is no session yet). */
const LOGIN_COOKIE = 'iocrelay_login';

// One answer for an unknown user and a wrong password, so the form tells nothing of who exists.
const REFUSED = 'Wrong user name or password.';
const THROTTLED = 'Too many logins from your address. Try again in 15 minutes.';

export interface LoginRoutesOptions {
  readonly ui: UiConfig;
  readonly sessions: AdminSessions;
  readonly isTls: boolean;
}

/**
 * GET and POST /ui/login and POST /ui/logout. A login checks the form's token, counts the
 * attempt per client (429 past the limit), then checks the password against the admin's
 * scrypt hash; an unknown user name costs the same scrypt run as a known one. Successes and
 * failures are logged with fixed messages, the user name and the address, never the password.
 *
 * @example
 * await registerLoginRoutes(scope, context, { ui: config.ui, sessions, isTls: false });
 */
export async function registerLoginRoutes(
  scope: FastifyInstance,
  context: UiContext,
  options: LoginRoutesOptions,
): Promise<void> {
  const { ui, sessions, isTls } = options;
  const limiter = createLoginLimiter();
  const log = context.log;
  const decoyHash = await hashPassword(randomToken());
  const admins = new Map(ui.admins.map((admin) => [admin.username, admin.password_hash]));
  const cookieOptions = (maxAge: number) =>
    ({ path: '/ui', httpOnly: true, sameSite: 'strict', secure: isTls, maxAge }) as const;

  function loginPage(reply: FastifyReply, status: number, message: string | null): FastifyReply {
    const token = randomToken();
    void reply.setCookie(LOGIN_COOKIE, token, cookieOptions(3600));
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(loginDocument(context, token, message).toString());
  }

  scope.get('/login', (request, reply) => {
    if (sessionOf(request, sessions) !== null) return reply.redirect('/ui/', 303);
    return loginPage(reply, 200, null);
  });

  scope.post('/login', { bodyLimit: FORM_BODY_LIMIT }, async (request, reply) => {
    const clientIp = clientIpOf(request);
    const form = stringsOf(request.body);
    const username = form['username'] ?? '';
    const expected = request.cookies[LOGIN_COOKIE];
    if (expected === undefined || !isSameToken(form['csrf'], expected)) {
      log.warn({ clientIp }, 'dashboard login refused: bad form token');
      return loginPage(reply, 403, 'The form expired. Please log in again.');
    }

    // Counted before the password check, with no await in between: parallel guesses each
    // take a slot, so no more than the limit ever reach scrypt.
    const attempt = limiter.tryAttempt(clientIp);
    if (attempt !== 'allowed') {
      log.warn({ clientIp, isTableFull: attempt === 'table-full' }, 'dashboard login throttled');
      return loginPage(reply, 429, THROTTLED);
    }

    const hash = admins.get(username);
    const isValid = await verifyPassword(form['password'] ?? '', hash ?? decoyHash);
    if (hash === undefined || !isValid) {
      log.warn(
        {
          clientIp,
          username: hash === undefined ? null : username,
          isKnownUser: hash !== undefined,
        },
        'dashboard login refused',
      );
      return loginPage(reply, 401, REFUSED);
    }

    limiter.recordSuccess(clientIp);
    const session = sessions.create(username);
    log.info({ clientIp, username }, 'dashboard login');
    void reply.clearCookie(LOGIN_COOKIE, { path: '/ui' });
    void reply.setCookie(SESSION_COOKIE, session.id, cookieOptions(ui.session_ttl));
    return reply.redirect('/ui/', 303);
  });

  registerAction(
    scope,
    '/logout',
    context,
    sessions,
    ({ log: logger }, { request, reply, session }) => {
      sessions.destroy(session.id);
      logger.info(
        { clientIp: clientIpOf(request), username: session.username },
        'dashboard logout',
      );
      void reply.clearCookie(SESSION_COOKIE, { path: '/ui' });
      return Promise.resolve('/ui/login');
    },
  );
}

/**
 * The client address as the feed server sees it: the TCP peer, IPv4 unmapped.
 *
 * @example
 * clientIpOf(request); // '127.0.0.1'
 */
export function clientIpOf(request: FastifyRequest): string {
  return unmapIPv4(request.socket.remoteAddress ?? '');
}

function loginDocument(context: UiContext, token: string, message: string | null): SafeHtml {
  return layout({
    title: 'Log in',
    assets: context.assets,
    body: html`<form class="login" method="post" action="/ui/login">
      ${message === null ? null : notice('error', message)}
      <input type="hidden" name="csrf" value="${token}" />
      <label for="username">User name</label>
      <input id="username" name="username" type="text" autocomplete="username" required />
      <label for="password">Password</label>
      <input
        id="password"
        name="password"
        type="password"
        autocomplete="current-password"
        required
      />
      <p><button type="submit">Log in</button></p>
    </form>`,
  });
}
