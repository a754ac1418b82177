import { html, type SafeHtml } from './html.js';

/** What charts.js draws: one x axis (Unix milliseconds) and one or more series. */
export interface ChartSpec {
  /** `bars` per day, or `points` (one dot per value). */
  readonly kind: 'bars' | 'points';
  readonly xLabel: string;
  readonly yLabel: string;
  /** Unix milliseconds. */
  readonly x: readonly number[];
  readonly series: readonly {
    readonly label: string;
    /** A CSS hex color, `#rrggbb`. */
    readonly color: string;
    readonly values: readonly (number | null)[];
  }[];
}

/**
 * A chart element: the data rides in an escaped `data-chart` attribute that charts.js reads,
 * so the page needs no inline script. The table beside it gives the same numbers as text.
 *
 * @example
 * chartElement('changes', { kind: 'bars', xLabel: 'day', yLabel: 'entries', x, series });
 */
export function chartElement(id: string, spec: ChartSpec): SafeHtml {
  // uPlot's time scale counts seconds.
  const data = { ...spec, x: spec.x.map((ms) => ms / 1000) };
  return html`<div class="chart" id="${id}" data-chart="${JSON.stringify(data)}">
    Chart needs JavaScript; the table below has the same figures.
  </div>`;
}
