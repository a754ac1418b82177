import { request } from 'undici';

import { ADMIN } from './dashboard-harness.js';

/** A logged-in dashboard session, as an HTTP client holds it. */
export interface DashboardSession {
  /** `iocrelay_ui=<id>`, for a Cookie header. */
  readonly cookie: string;
  /** The session's CSRF token, read from a page's logout form. */
  readonly csrf: string;
  /** The Set-Cookie header that opened the session. */
  readonly setCookie: string;
}

/**
 * Logs in to the dashboard with undici the way a browser does: GET the form (token and
 * cookie), POST it, then read the session's CSRF token from the overview page.
 *
 * @example
 * const session = await loginOverHttp(demo.url);
 */
export async function loginOverHttp(
  url: string,
  password: string = ADMIN.password,
): Promise<DashboardSession> {
  const form = await request(`${url}/ui/login`);
  const loginCookie = cookiePair(form.headers['set-cookie'], 'iocrelay_login');
  const token = /name="csrf" value="([^"]+)"/.exec(await form.body.text())?.[1] ?? '';

  const answer = await request(`${url}/ui/login`, {
    method: 'POST',
    headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: token, username: ADMIN.username, password }).toString(),
  });
  await answer.body.text();
  if (answer.statusCode !== 303) throw new Error(`login answered ${answer.statusCode}`);
  const setCookie = headerList(answer.headers['set-cookie']).find((c) =>
    c.startsWith('iocrelay_ui='),
  );
  if (setCookie === undefined) throw new Error('login set no session cookie');
  const cookie = setCookie.split(';')[0] ?? '';

  const page = await request(`${url}/ui/`, { headers: { cookie } });
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.body.text())?.[1] ?? '';
  return { cookie, csrf, setCookie };
}

function cookiePair(header: string | string[] | undefined, name: string): string {
  const found = headerList(header).find((c) => c.startsWith(`${name}=`));
  return found?.split(';')[0] ?? '';
}

function headerList(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  return Array.isArray(header) ? header : [header];
}
