import { formatDuration } from '../cli/format-duration.js';
import { escapeHtml } from '../ui/html.js';
import type { MonthReport } from './month-report-data.js';
import { barChart, dailyChangesChart } from './svg-chart.js';

// Print-first: A4 margins come from the PDF printer, colours survive print-color-adjust.
const CSS = `
body { font-family: sans-serif; font-size: 10.5pt; color: #1a202c; margin: 24px; }
h1 { font-size: 18pt; margin: 0 0 4px; } h2 { font-size: 13pt; margin: 22px 0 6px; }
p.period, p.note { color: #4a5568; margin: 2px 0; } p.note { font-size: 9pt; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { border-bottom: 1px solid #e2e8f0; padding: 3px 6px; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; }
.figure { border: 1px solid #cbd5e0; border-radius: 4px; padding: 6px 10px; min-width: 130px; }
.figure b { display: block; font-size: 15pt; }
section { break-inside: avoid; }
svg { max-width: 100%; height: auto; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
`;

/**
 * The monthly report as one self-contained HTML document: inline CSS, charts as inline SVG,
 * no script and no external resource, so it opens offline, mails as one file and prints as
 * shown. Every value from the store is escaped.
 *
 * @example
 * writeFileSync('acme-2026-11.html', renderReportHtml(report));
 */
export function renderReportHtml(report: MonthReport): string {
  const title = `Blocklist report: ${report.tenant}, ${monthName(report.start)}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="period">Tenant <b>${escapeHtml(report.tenant)}</b>, from ${utc(report.start)} ` +
      `to ${utc(report.end)} (UTC month boundaries; the end is excluded). ` +
      `Generated ${utc(report.generatedAt)}.</p>`,
    summary(report),
    blocked(report),
    changes(report),
    devices(report),
    topEvents(report),
    '<p class="note">Definitions and limits: iocrelay docs/reports.md.</p>',
    '</body></html>',
    '',
  ].join('\n');
}

function summary(report: MonthReport): string {
  const { rows, timeToBlock } = report;
  const added = rows.days.reduce((sum, d) => sum + d.added, 0);
  const removed = rows.days.reduce((sum, d) => sum + d.removed, 0);
  const figure = (label: string, value: string): string =>
    `<div class="figure">${escapeHtml(label)}<b>${escapeHtml(value)}</b></div>`;
  return section('Summary', [
    '<div class="figures">',
    figure('Indicators blocked', String(rows.indicators)),
    figure('List entries added', String(added)),
    figure('List entries removed', String(removed)),
    figure('Median time to block', duration(timeToBlock.medianMs)),
    figure('90th percentile', duration(timeToBlock.p90Ms)),
    figure('Devices seen', String(report.devices.length)),
    '</div>',
  ]);
}

function blocked(report: MonthReport): string {
  const { rows } = report;
  const kinds = rows.byKind.map((k) => ({ label: k.kind, value: k.indicators }));
  const sources = rows.bySource.map((s) => ({ label: s.source, value: s.indicators }));
  if (rows.withoutSource > 0) {
    sources.push({ label: 'no selected attribute', value: rows.withoutSource });
  }
  return section('Indicators blocked', [
    `<p>${rows.indicators} distinct indicators were on at least one of the tenant's lists ` +
      'at some time during the month.</p>',
    table(
      ['kind', 'indicators'],
      kinds.map((k) => [k.label, k.value]),
    ),
    kinds.length > 0 ? barChart(kinds, 'Indicators blocked by kind') : '',
    '<p>By source (an indicator given by several sources counts under each):</p>',
    table(
      ['source', 'indicators'],
      sources.map((s) => [s.label, s.value]),
    ),
  ]);
}

function changes(report: MonthReport): string {
  return section('Additions and removals per day', [
    '<p>List entries added (blue, above the axis) and removed (orange, below) per UTC day, ' +
      'summed over the tenant’s lists: an indicator on two lists counts twice.</p>',
    dailyChangesChart(report.rows.days, report.start, report.end),
  ]);
}

function devices(report: MonthReport): string {
  const interval = formatDuration(report.intervalMs);
  const { timeToBlock } = report;
  const rows = report.devices.map((d) => [
    d.device,
    d.clientIp,
    `${(d.uptime * 100).toFixed(1)}%`,
    `${d.activeIntervals} / ${report.intervals}`,
    d.fetches,
    utc(d.lastFetchAt),
  ]);
  return section('Device fetch health', [
    `<p>Uptime: the share of the month’s ${report.intervals} intervals of ${escapeHtml(interval)} ` +
      'in which the device (credential and client address) fetched a list at least once ' +
      '(answered 200 or 304). Devices that made no fetch this month are not listed.</p>',
    table(['device', 'address', 'uptime', 'intervals', 'fetches', 'last fetch'], rows),
    '<h2>Time to block</h2>',
    `<p>Of ${timeToBlock.firstPublished} indicators first listed this month, ` +
      `${timeToBlock.delivered} reached a device within the month. From the time MISP recorded ` +
      `each one to the first device fetch of a list version carrying it: median ` +
      `<b>${duration(timeToBlock.medianMs)}</b>, 90th percentile ` +
      `<b>${duration(timeToBlock.p90Ms)}</b>.</p>`,
  ]);
}

function topEvents(report: MonthReport): string {
  const rows = report.rows.topEvents.map((e) => [
    e.mispId ?? e.uuid,
    e.info,
    e.orgName ?? '–',
    e.source,
    e.indicators,
  ]);
  return section('Top MISP events', [
    '<p>The events that gave the most of this month’s indicators to the tenant.</p>',
    table(['event id or uuid', 'event', 'organisation', 'source', 'indicators'], rows),
  ]);
}

function section(heading: string, parts: readonly string[]): string {
  return `<section><h2>${escapeHtml(heading)}</h2>\n${parts.join('\n')}\n</section>`;
}

function table(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const isNumber = headers.map((_, i) => typeof rows[0]?.[i] === 'number');
  const th = headers
    .map((h, i) => `<th${isNumber[i] === true ? ' class="n"' : ''}>${escapeHtml(h)}</th>`)
    .join('');
  const body =
    rows.length === 0
      ? `<tr><td colspan="${headers.length}">none</td></tr>`
      : rows
          .map((row) => {
            const cells = row.map((cell) =>
              typeof cell === 'number'
                ? `<td class="n">${cell}</td>`
                : `<td>${escapeHtml(cell)}</td>`,
            );
            return `<tr>${cells.join('')}</tr>`;
          })
          .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function duration(ms: number | null): string {
  return ms === null ? 'no sample' : formatDuration(ms);
}

function utc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
}

function monthName(start: number): string {
  return new Date(start).toLocaleString('en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
