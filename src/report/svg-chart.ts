import { escapeHtml } from '../ui/html.js';

/** One UTC day of a daily chart. */
export interface DayBar {
  /** Unix milliseconds of the day's start (UTC). */
  readonly day: number;
  readonly added: number;
  readonly removed: number;
}

/** One labelled value of a bar chart. */
export interface LabelledValue {
  readonly label: string;
  readonly value: number;
}

const DAY_MS = 86_400_000;
const WIDTH = 680;
const HEIGHT = 220;
const PAD = { top: 16, right: 12, bottom: 28, left: 48 };
const ADDED_COLOUR = '#2b6cb0';
const REMOVED_COLOUR = '#c05621';

/**
 * A daily chart of entries added (above the axis) and removed (below) from `start` to `end`
 * (Unix milliseconds, UTC days), as an inline SVG element; days without a value show none.
 * Text is escaped; the chart needs no script or font file, so it prints as drawn.
 *
 * @example
 * dailyChangesChart([{ day: start, added: 12, removed: 3 }], start, end);
 * // '<svg xmlns="http://www.w3.org/2000/svg" …'
 */
export function dailyChangesChart(days: readonly DayBar[], start: number, end: number): string {
  const dayCount = Math.max(1, Math.round((end - start) / DAY_MS));
  const maxAdded = Math.max(1, ...days.map((d) => d.added));
  const maxRemoved = Math.max(0, ...days.map((d) => d.removed));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const scale = plotHeight / (maxAdded + maxRemoved);
  const axisY = PAD.top + maxAdded * scale;
  const slot = plotWidth / dayCount;
  const barWidth = Math.max(1, slot * 0.7);

  const bars = days.flatMap((d) => {
    const x = PAD.left + Math.floor((d.day - start) / DAY_MS) * slot + (slot - barWidth) / 2;
    const label = `${isoDay(d.day)}: ${d.added} added, ${d.removed} removed`;
    return [
      rect(x, axisY - d.added * scale, barWidth, d.added * scale, ADDED_COLOUR, label),
      rect(x, axisY, barWidth, d.removed * scale, REMOVED_COLOUR, label),
    ];
  });
  const ticks = [1, 8, 15, 22, dayCount].map((n) => {
    const x = PAD.left + (n - 0.5) * slot;
    return text(x, HEIGHT - 10, String(n), 'middle');
  });

  return svg(WIDTH, HEIGHT, 'Entries added and removed per day', [
    line(PAD.left, axisY, WIDTH - PAD.right, axisY),
    text(PAD.left - 6, PAD.top + 4, String(maxAdded), 'end'),
    text(PAD.left - 6, axisY + 4, '0', 'end'),
    maxRemoved > 0 ? text(PAD.left - 6, HEIGHT - PAD.bottom, `−${maxRemoved}`, 'end') : '',
    ...bars,
    ...ticks,
  ]);
}

/**
 * Horizontal bars, one per value, longest first as given, with the label and value beside
 * each, as an inline SVG element. Labels are escaped.
 *
 * @example
 * barChart([{ label: 'ip', value: 120 }, { label: 'domain', value: 40 }], 'By kind');
 */
export function barChart(values: readonly LabelledValue[], title: string): string {
  const rowHeight = 22;
  const labelWidth = 160;
  const height = Math.max(1, values.length) * rowHeight + 8;
  const max = Math.max(1, ...values.map((v) => v.value));
  const barSpace = WIDTH - labelWidth - 80;

  const rows = values.flatMap((v, i) => {
    const y = 4 + i * rowHeight;
    const width = (v.value / max) * barSpace;
    return [
      text(labelWidth - 8, y + 15, truncate(v.label, 24), 'end'),
      rect(labelWidth, y + 3, width, rowHeight - 6, ADDED_COLOUR, `${v.label}: ${v.value}`),
      text(labelWidth + width + 6, y + 15, String(v.value), 'start'),
    ];
  });
  return svg(WIDTH, height, title, rows);
}

function svg(width: number, height: number, title: string, parts: readonly string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" ` +
    `width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}" ` +
    `font-family="sans-serif" font-size="11">` +
    `<title>${escapeHtml(title)}</title>${parts.join('')}</svg>`
  );
}

function rect(x: number, y: number, w: number, h: number, fill: string, label: string): string {
  if (h <= 0 || w <= 0) return '';
  return (
    `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="${fill}">` +
    `<title>${escapeHtml(label)}</title></rect>`
  );
}

function line(x1: number, y1: number, x2: number, y2: number): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" stroke="#4a5568"/>`;
}

function text(x: number, y: number, content: string, anchor: string): string {
  return `<text x="${n(x)}" y="${n(y)}" text-anchor="${anchor}">${escapeHtml(content)}</text>`;
}

function truncate(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
