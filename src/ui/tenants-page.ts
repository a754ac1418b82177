import { formatDuration } from '../cli/format-duration.js';
import { markStaleDevices, type CheckedDevice } from '../store/device-status.js';
import type { PublicationRecord } from '../store/publications.js';
import { chartElement } from './chart-data.js';
import { html, type SafeHtml } from './html.js';
import { isoTime, layout } from './layout.js';
import { chosenTenant, unknownTenantPage } from './tenant-lists.js';
import { timeToBlockRows, type TimeToBlockRow } from './time-to-block-rows.js';
import { uiHref, type PageHandler } from './ui-context.js';

/**
 * `/ui/tenants?tenant=T`: a tenant's lists (entries, last publication, download), its devices
 * (last fetch, version held, stale ones marked) and the time to block of its newest entries.
 *
 * @example
 * registerPage(scope, '/tenants', context, sessions, tenantsPage);
 */
export const tenantsPage: PageHandler = async (context, request) => {
  const { session, query } = request;
  const { config } = context.serve;
  const tenant = chosenTenant(config, query['tenant']);
  if (tenant === null) return unknownTenantPage(context, request, 'tenants');
  const now = Date.now();

  const publications = new Map<string, PublicationRecord | null>();
  for (const list of tenant.lists) {
    publications.set(list.file, await context.store.lastPublication(tenant.id, list.file));
  }
  const devices = markStaleDevices(
    await context.store.deviceStatus(tenant.id),
    now,
    config.server.stale_after,
  );
  const refused = await context.store.refusedFetches(tenant.id);
  const delivery = await timeToBlockRows(context.store, tenant);
  const isServed = tenant.feed_auth !== undefined;

  const body = html` <nav class="pager">
      Tenant:
      ${config.tenants.map((t) =>
        t.id === tenant.id
          ? html`<strong>${t.id}</strong> `
          : html`<a href="${uiHref('/ui/tenants', { tenant: t.id })}">${t.id}</a> `,
      )}
    </nav>
    <p class="muted">
      ${isServed ? 'Served to devices by the feed server.' : 'No feed_auth: the feed server does not serve this tenant.'}
    </p>
    <h2>Lists</h2>
    <table id="lists">
      <thead>
        <tr>
          <th>list</th>
          <th>format</th>
          <th>kinds</th>
          <th class="num">entries</th>
          <th>last publication</th>
          <th>version</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${tenant.lists.map((list) => {
          const last = publications.get(list.file) ?? null;
          return html`<tr data-list="${list.file}">
            <td>${list.file}</td>
            <td>${list.format}</td>
            <td>${list.types.join(', ')}</td>
            <td class="num" data-entries="${last?.entries ?? ''}">${last?.entries ?? '–'}</td>
            <td>${last === null ? 'not published yet' : isoTime(last.publishedAt)}</td>
            <td><code>${last?.sha256.slice(0, 12) ?? ''}</code></td>
            <td>
              ${last === null ? null : html`<a href="/ui/lists/${tenant.id}/${list.file}">download</a>`}
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
    <h2>Devices</h2>
    ${devicesTable(devices, now, config.server.stale_after)}
    ${refused.length === 0 ? null : html`<p class="warn">Refused fetches: ${refused.map((r) => html`${r.list} answered ${r.status} ×${r.fetches} (last ${isoTime(r.lastAt)}); `)}</p>`}
    <h2>Time to block of the newest entries</h2>
    ${deliveryChart(delivery)}`;

  return layout({
    title: `Tenant ${tenant.id}`,
    assets: context.assets,
    active: 'tenants',
    admin: session,
    hasCharts: true,
    body,
  });
};

function devicesTable(
  devices: readonly CheckedDevice[],
  now: number,
  staleAfterS: number,
): SafeHtml {
  if (devices.length === 0)
    return html`<p class="muted" id="devices">No device has fetched a list of this tenant.</p>`;
  const stale = devices.filter((d) => d.isStale).length;
  return html`<p>
      ${devices.length} devices,
      <span class="${stale > 0 ? 'bad' : 'good'}">${stale} stale</span> (no fetch for over
      ${formatDuration(staleAfterS * 1000)})
    </p>
    <table id="devices">
      <thead>
        <tr>
          <th>list</th>
          <th>device</th>
          <th>address</th>
          <th>user agent</th>
          <th>last fetch</th>
          <th>answer</th>
          <th>holds</th>
          <th class="num">fetches</th>
        </tr>
      </thead>
      <tbody>
        ${devices.map(
          (d) =>
            html`<tr class="${d.isStale ? 'stale' : ''}">
              <td>${d.list}</td>
              <td>${d.device}</td>
              <td>${d.clientIp}</td>
              <td>${d.userAgent ?? '–'}</td>
              <td>
                ${isoTime(d.lastFetchAt)}${d.isStale ? html` <span class="bad">STALE ${formatDuration(now - d.lastFetchAt)}</span>` : null}
              </td>
              <td>${d.lastStatus}</td>
              <td>
                ${d.sha256 === null ? 'no publication' : d.isCurrent ? html`<span class="good">current</span>` : html`<span class="warn">older</span> <code>${d.sha256.slice(0, 12)}</code>`}
              </td>
              <td class="num">${d.fetches}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function deliveryChart(rows: readonly TimeToBlockRow[]): SafeHtml {
  if (rows.length === 0)
    return html`<p class="muted" id="time-to-block">No entry published yet.</p>`;
  const sorted = [...rows].sort((a, b) => a.firstPublishedAt - b.firstPublishedAt);
  const unit = chartUnit(rows);
  const scaled = (ms: number | null): number | null =>
    ms === null ? null : Math.round((ms / unit.ms) * 100) / 100;
  return html`${chartElement('time-to-block-chart', {
      kind: 'points',
      xLabel: 'first published',
      yLabel: unit.name,
      x: sorted.map((row) => row.firstPublishedAt),
      series: [
        {
          label: 'MISP → list',
          color: '#0b5cad',
          values: sorted.map((row) => scaled(row.publishDelayMs)),
        },
        {
          label: 'MISP → first device',
          color: '#b42318',
          values: sorted.map((row) => scaled(row.timeToBlockMs)),
        },
      ],
    })}
    <table id="time-to-block">
      <thead>
        <tr>
          <th>list</th>
          <th>indicator</th>
          <th>recorded in MISP</th>
          <th>first published</th>
          <th>MISP → list</th>
          <th>first device fetch</th>
          <th>time to block</th>
        </tr>
      </thead>
      <tbody>
        ${[...sorted].reverse().map(
          (row) =>
            html`<tr>
              <td>${row.list}</td>
              <td>
                <a class="mono" href="${uiHref('/ui/search', { q: row.value })}">${row.value}</a>
              </td>
              <td>${isoTime(row.recordedInMispAt)}</td>
              <td>${isoTime(row.firstPublishedAt)}</td>
              <td>${row.publishDelayMs === null ? '–' : formatDuration(row.publishDelayMs)}</td>
              <td>${isoTime(row.firstFetchedAt)}</td>
              <td>
                ${row.timeToBlockMs === null ? html`<span class="muted">not fetched yet</span>` : formatDuration(row.timeToBlockMs)}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

// Minutes for a live feed; hours or days when the entries are older than the store.
function chartUnit(rows: readonly TimeToBlockRow[]): { name: string; ms: number } {
  const largest = Math.max(0, ...rows.map((row) => row.timeToBlockMs ?? row.publishDelayMs ?? 0));
  if (largest > 2 * 86_400_000) return { name: 'days', ms: 86_400_000 };
  if (largest > 2 * 3_600_000) return { name: 'hours', ms: 3_600_000 };
  return { name: 'minutes', ms: 60_000 };
}
