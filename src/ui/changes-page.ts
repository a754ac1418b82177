import type { PublicationPageItem } from '../store/dashboard-queries.js';
import { html, type SafeHtml } from './html.js';
import { isoTime, layout } from './layout.js';
import { chosenTenant, unknownTenantPage, configuredLists } from './tenant-lists.js';
import { positiveInt, uiHref, type PageHandler } from './ui-context.js';

const PAGE_SIZE = 20;
const MAX_CHANGES = 50;

/**
 * `/ui/changes?tenant=T`: the latest publications of a tenant's lists, newest first and
 * paged, each with entries added and removed and the rule that removed each; what
 * `iocrelay changes` prints.
 *
 * @example
 * registerPage(scope, '/changes', context, sessions, changesPage);
 */
export const changesPage: PageHandler = async (context, request) => {
  const { session, query } = request;
  const { config } = context.serve;
  const tenant = chosenTenant(config, query['tenant']);
  if (tenant === null) return unknownTenantPage(context, request, 'changes');
  const lists = configuredLists(config, tenant.id).filter(
    (ref) => query['list'] === undefined || query['list'] === '' || ref.list === query['list'],
  );
  const before = positiveInt(query['before']);
  const items = await context.store
    .dashboardQueries()
    .publications(lists, PAGE_SIZE, MAX_CHANGES, before);
  const older = items.length === PAGE_SIZE ? items.at(-1)?.publication.id : undefined;

  const body = html`<form method="get" action="/ui/changes" class="form-row">
      <div>
        <label for="tenant">Tenant</label
        ><select id="tenant" name="tenant">
          ${config.tenants.map((t) => html`<option value="${t.id}" ${t.id === tenant.id ? html` selected` : null}>${t.id}</option>`)}
        </select>
      </div>
      <div>
        <label for="list">List</label
        ><select id="list" name="list">
          <option value="">all lists</option>
          ${tenant.lists.map((l) => html`<option value="${l.file}" ${l.file === query['list'] ? html` selected` : null}>${l.file}</option>`)}
        </select>
      </div>
      <div><button type="submit">Show</button></div>
    </form>
    ${items.length === 0 ? html`<p class="muted">No publication yet.</p>` : items.map(publicationHtml)}
    <p class="pager">
      ${before === undefined ? null : html`<a href="${uiHref('/ui/changes', { tenant: tenant.id, list: query['list'] })}">newest</a> `}${older === undefined ? null : html`<a href="${uiHref('/ui/changes', { tenant: tenant.id, list: query['list'], before: older })}">older publications</a>`}
    </p>`;

  return layout({
    title: 'Change log',
    assets: context.assets,
    active: 'changes',
    admin: session,
    body,
  });
};

function publicationHtml(item: PublicationPageItem): SafeHtml {
  const { publication, isFirst, changes } = item;
  const shown = changes.length;
  const total = (isFirst ? 0 : publication.added) + publication.removed;
  return html`<section class="publication" data-publication="${publication.id}">
    <h2>
      ${publication.tenant}/${publication.list}
      <span class="muted">at ${isoTime(publication.publishedAt)}, run ${publication.runId}</span>
    </h2>
    <p>
      ${isFirst ? html`first publication, <strong>${publication.entries}</strong> entries` : html`<strong>${publication.entries}</strong> entries, <span class="good">+${publication.added}</span> <span class="bad">−${publication.removed}</span>`}
    </p>
    ${
      shown === 0
        ? null
        : html`<table>
            <thead>
              <tr>
                <th></th>
                <th>kind</th>
                <th>value</th>
                <th>rule</th>
                <th>detail</th>
              </tr>
            </thead>
            <tbody>
              ${changes.map(
                (change) =>
                  html`<tr>
                    <td class="${change.change === 'added' ? 'good' : 'bad'}">
                      ${change.change === 'added' ? '+' : '−'}
                    </td>
                    <td>${change.kind}</td>
                    <td>
                      <a class="mono" href="${uiHref('/ui/search', { q: change.value })}"
                        >${change.value}</a
                      >
                    </td>
                    <td>${change.rule ?? ''}</td>
                    <td>${change.detail ?? ''}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${total > shown ? html`<p class="muted">… ${total - shown} more changes not shown</p>` : null}
  </section>`;
}
