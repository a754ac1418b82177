import { describe, expect, it } from 'vitest';

import { isIocrelayError } from '../errors/iocrelay-error.js';
import { escapeHtml } from '../ui/html.js';
import { monthBounds, nearestRank } from './month-report-data.js';
import { barChart, dailyChangesChart } from './svg-chart.js';

const NOW = Date.UTC(2026, 11, 4, 16);

describe('monthBounds', () => {
  it.each([
    ['2026-11', Date.UTC(2026, 10, 1), Date.UTC(2026, 11, 1)],
    ['2026-12', Date.UTC(2026, 11, 1), Date.UTC(2027, 0, 1)],
    ['2024-02', Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1)],
  ])('%s runs from its first UTC midnight to the next month’s', (month, start, end) => {
    expect(monthBounds(month, NOW)).toEqual({ start, end });
  });

  it('accepts 1970-01, the first month a store can hold', () => {
    expect(monthBounds('1970-01', NOW)).toEqual({ start: 0, end: Date.UTC(1970, 1, 1) });
  });

  it.each([
    '2026-13',
    '2026-00',
    '2026-1',
    '26-11',
    '2026-11-01',
    ' 2026-11',
    '2027-01',
    '0000-01',
    '0099-12',
    '1969-12',
  ])('refuses %j', (month) => {
    let error: unknown;
    try {
      monthBounds(month, NOW);
    } catch (caught) {
      error = caught;
    }
    expect(isIocrelayError(error, 'REPORT_MONTH_INVALID')).toBe(true);
  });
});

describe('nearestRank', () => {
  it.each([
    [[], 0.5, null],
    [[7], 0.9, 7],
    [[1, 2, 3, 4], 0.5, 2],
    [[1, 2, 3, 4, 5], 0.5, 3],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9, 10],
  ])('of %j at %d is %j', (values, p, expected) => {
    expect(nearestRank(values, p)).toBe(expected);
  });
});

describe('escaping in the report', () => {
  it('escapes the five HTML special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('escapes chart labels and titles', () => {
    const svg = barChart([{ label: '<script>', value: 3 }], 'By "kind"');

    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('aria-label="By &quot;kind&quot;"');
    expect(svg).not.toContain('<script>');
  });

  it('draws one bar per day with a change, added above the axis and removed below', () => {
    const start = Date.UTC(2026, 10, 1);
    const svg = dailyChangesChart(
      [{ day: start + 9 * 86_400_000, added: 20, removed: 7 }],
      start,
      Date.UTC(2026, 11, 1),
    );

    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('<title>2026-11-10: 20 added, 7 removed</title>');
  });
});
