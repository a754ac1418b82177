import { html, trustedHtml, type SafeHtml } from './html.js';
import type { UiAssetNames } from './ui-assets.js';

/** The pages of the navigation bar, in order. */
export const UI_PAGES = [
  { id: 'overview', path: '/ui/', label: 'Overview' },
  { id: 'tenants', path: '/ui/tenants', label: 'Tenants' },
  { id: 'search', path: '/ui/search', label: 'Search' },
  { id: 'allowlists', path: '/ui/allowlists', label: 'Allowlists' },
  { id: 'changes', path: '/ui/changes', label: 'Change log' },
] as const;

export type UiPageId = (typeof UI_PAGES)[number]['id'];

export interface LayoutOptions {
  readonly title: string;
  readonly assets: UiAssetNames;
  /** The page to mark in the navigation; none on the login page. */
  readonly active?: UiPageId;
  /** The logged-in admin: shows the navigation and the logout button. */
  readonly admin?: { readonly username: string; readonly csrfToken: string };
  /** Loads uPlot and the chart script. */
  readonly hasCharts?: boolean;
  readonly body: SafeHtml;
}

/**
 * The HTML document around a page: stylesheet, navigation, logout form, scripts by URL only.
 *
 * @example
 * layout({ title: 'Overview', assets, active: 'overview', admin: session, body: html`…` });
 */
export function layout(options: LayoutOptions): SafeHtml {
  const { assets, admin } = options;
  const charts = options.hasCharts === true;
  return html`${trustedHtml('<!doctype html>')}
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} · iocrelay</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/ui/assets/${assets.css}" />
        ${charts ? html`<link rel="stylesheet" href="/ui/assets/${assets.uplotCss}" />` : null}
      </head>
      <body>
        <header>
          <strong>iocrelay</strong>
          ${admin === undefined ? null : navigation(options.active, admin)}
        </header>
        <main>
          <h1>${options.title}</h1>
          ${options.body}
        </main>
        ${
          charts
            ? html`<script src="/ui/assets/${assets.uplotJs}"></script>
                <script src="/ui/assets/${assets.chartJs}"></script>`
            : null
        }
      </body>
    </html> `;
}

function navigation(
  active: UiPageId | undefined,
  admin: { readonly username: string; readonly csrfToken: string },
): SafeHtml {
  return html`<nav>
      ${UI_PAGES.map(
        (page) =>
          html`<a href="${page.path}" ${page.id === active ? trustedHtml(' class="active"') : null}
            >${page.label}</a
          >`,
      )}
    </nav>
    <span>${admin.username}</span>
    <form method="post" action="/ui/logout">
      <input type="hidden" name="csrf" value="${admin.csrfToken}" /><button
        class="link"
        type="submit"
      >
        Log out
      </button>
    </form>`;
}

/**
 * A notice above a page's content.
 *
 * @example
 * notice('error', 'reason required');
 */
export function notice(kind: 'ok' | 'error', text: string): SafeHtml {
  return html`<p class="notice ${kind}" role="status">${text}</p>`;
}

/**
 * An ISO 8601 time in UTC, or a dash.
 *
 * @example
 * isoTime(0); // '1970-01-01 00:00:00Z'
 */
export function isoTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
}
