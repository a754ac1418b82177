import { formatDuration } from '../cli/format-duration.js';
import type { SourceReport } from '../sync/sync-report.js';
import { chartElement } from './chart-data.js';
import { html, type SafeHtml } from './html.js';
import { isoTime, layout } from './layout.js';
import { configuredLists } from './tenant-lists.js';
import { positiveInt, uiHref, type PageHandler, type UiContext } from './ui-context.js';

const CHART_DAYS = 30;
const FAILED_PAGE = 10;
// Runs read for the sources' last outcome: a source missing from all of them shows its state only.
const RUNS_FOR_SOURCES = 20;
const DAY_MS = 86_400_000;

/**
 * `/ui/`: each source's last outcome and last success, indicators by kind, entries added and
 * removed per day over the last 30 days, and the failed runs with their error (paged).
 *
 * @example
 * registerPage(scope, '/', context, sessions, overviewPage);
 */
export const overviewPage: PageHandler = async (context, { session, query }) => {
  const queries = context.store.dashboardQueries();
  const failedBefore = positiveInt(query['failedBefore']);
  const now = Date.now();
  const since = Math.floor(now / DAY_MS) * DAY_MS - (CHART_DAYS - 1) * DAY_MS;

  const counts = await context.indicatorCounts.get();
  const days = await queries.dailyChanges(configuredLists(context.serve.config), since);
  const failed = await queries.failedRuns(FAILED_PAGE, failedBefore);
  const sources = await sourceHealth(context);
  const [lastRun] = await context.store.recentRuns(1);
  const total = counts.reduce((sum, row) => sum + row.count, 0);

  const x = Array.from({ length: CHART_DAYS }, (_, index) => since + index * DAY_MS);
  const byDay = new Map(days.map((day) => [day.day, day]));
  const body = html` <section class="cards">
      <div class="card">
        <div class="muted">Indicators stored</div>
        <div class="value" data-count="total">${total}</div>
      </div>
      ${counts.map(
        (row) =>
          html`<div class="card">
            <div class="muted">${row.kind}</div>
            <div class="value" data-count="${row.kind}">${row.count}</div>
          </div>`,
      )}
      <div class="card">
        <div class="muted">Last run</div>
        <div class="value ${statusClass(lastRun?.status)}">${lastRun?.status ?? 'none yet'}</div>
        <div class="muted">${isoTime(lastRun?.startedAt)}</div>
      </div>
    </section>
    <h2>Sources</h2>
    ${sourcesTable(sources, now)}
    <h2>List entries added and removed per day (all lists, UTC, last ${CHART_DAYS} days)</h2>
    ${chartElement('changes-chart', {
      kind: 'bars',
      xLabel: 'day',
      yLabel: 'entries',
      x,
      series: [
        { label: 'added', color: '#1a7f37', values: x.map((day) => byDay.get(day)?.added ?? 0) },
        {
          label: 'removed',
          color: '#b42318',
          values: x.map((day) => byDay.get(day)?.removed ?? 0),
        },
      ],
    })}
    <table id="daily-changes">
      <thead>
        <tr>
          <th>day</th>
          <th>added</th>
          <th>removed</th>
        </tr>
      </thead>
      <tbody>
        ${
          days.length === 0
            ? html`<tr>
                <td colspan="3" class="muted">no publication in this window</td>
              </tr>`
            : null
        }
        ${[...days].reverse().map(
          (day) =>
            html`<tr>
              <td>${isoTime(day.day).slice(0, 10)}</td>
              <td class="num">${day.added}</td>
              <td class="num">${day.removed}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h2>Failed runs</h2>
    <table id="failed-runs">
      <thead>
        <tr>
          <th>run</th>
          <th>started</th>
          <th>source</th>
          <th>error</th>
          <th>message</th>
        </tr>
      </thead>
      <tbody>
        ${
          failed.length === 0
            ? html`<tr>
                <td colspan="5" class="muted">no failed run</td>
              </tr>`
            : null
        }
        ${failed.map(
          (run) =>
            html`<tr>
              <td class="num">${run.id}</td>
              <td>${isoTime(run.startedAt)}</td>
              <td>${run.source ?? '–'}</td>
              <td class="bad">${run.errorCode ?? '–'}</td>
              <td>${run.message ?? ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${pager(failed.length === FAILED_PAGE ? failed.at(-1)?.id : undefined, failedBefore)}`;

  return layout({
    title: 'Overview',
    assets: context.assets,
    active: 'overview',
    admin: session,
    hasCharts: true,
    body,
  });
};

interface SourceHealth {
  readonly source: string;
  readonly last: SourceReport | null;
  readonly lastRunAt: number | null;
  readonly lastSuccessAt: number | null;
  readonly lastFullAt: number | null;
}

async function sourceHealth(context: UiContext): Promise<SourceHealth[]> {
  const runs = await context.store.recentRuns(RUNS_FOR_SOURCES);
  const latest = new Map<string, { report: SourceReport; at: number }>();
  for (const run of runs) {
    const reports = run.summary?.['sources'];
    if (!Array.isArray(reports)) continue;
    for (const report of reports as SourceReport[]) {
      if (!latest.has(report.source)) latest.set(report.source, { report, at: run.startedAt });
    }
  }

  const health: SourceHealth[] = [];
  for (const [source, { report, at }] of latest) {
    const state = await context.store.getSourceState(source);
    health.push({
      source,
      last: report,
      lastRunAt: at,
      lastSuccessAt: state?.lastSuccessAt ?? null,
      lastFullAt: state?.lastFullAt ?? null,
    });
  }
  return health.sort((a, b) => a.source.localeCompare(b.source));
}

function sourcesTable(sources: readonly SourceHealth[], now: number): SafeHtml {
  if (sources.length === 0) return html`<p class="muted">No run has pulled a source yet.</p>`;
  return html`<table id="sources">
    <thead>
      <tr>
        <th>source</th>
        <th>last pull</th>
        <th>outcome</th>
        <th>mode</th>
        <th class="num">attributes</th>
        <th class="num">indicators</th>
        <th class="num">rejected</th>
        <th>last success</th>
        <th>last full pull</th>
      </tr>
    </thead>
    <tbody>
      ${sources.map(
        (s) =>
          html`<tr>
            <td>${s.source}</td>
            <td>${isoTime(s.lastRunAt)}</td>
            <td class="${s.last?.status === 'ok' ? 'good' : 'bad'}">
              ${s.last?.status ?? '–'}${s.last?.errorCode === undefined ? null : html` <code>${s.last.errorCode}</code>`}
            </td>
            <td>${s.last?.mode ?? '–'}</td>
            <td class="num">${s.last?.attributes ?? 0}</td>
            <td class="num">${s.last?.indicators ?? 0}</td>
            <td class="num">${s.last?.rejected ?? 0}</td>
            <td>
              ${isoTime(s.lastSuccessAt)}${s.lastSuccessAt === null ? null : html` <span class="muted">(${formatDuration(now - s.lastSuccessAt)} ago)</span>`}
            </td>
            <td>${isoTime(s.lastFullAt)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function pager(nextBefore: number | undefined, current: number | undefined): SafeHtml {
  return html`<p class="pager">
    ${current === undefined ? null : html`<a href="/ui/">newest</a> `}${nextBefore === undefined ? null : html`<a href="${uiHref('/ui/', { failedBefore: nextBefore })}">older failed runs</a>`}
  </p>`;
}

function statusClass(status: string | undefined): string {
  if (status === 'ok') return 'good';
  if (status === 'held' || status === 'partial' || status === 'running') return 'warn';
  return 'bad';
}
