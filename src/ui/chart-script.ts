/**
 * The dashboard's only script, served as /ui/assets/charts.js: it draws every element with a
 * `data-chart` attribute (JSON written by chart-data.ts) with uPlot. No inline script: the
 * Content-Security-Policy allows scripts from /ui/assets only.
 */
export const CHART_SCRIPT = `'use strict';
(function () {
  function draw(element) {
    var spec = JSON.parse(element.getAttribute('data-chart'));
    var isPoints = spec.kind === 'points';
    var series = [{ label: spec.xLabel }];
    spec.series.forEach(function (s) {
      series.push({
        label: s.label,
        stroke: s.color,
        fill: isPoints ? undefined : s.color + '33',
        width: isPoints ? 0 : 2,
        points: { show: isPoints, size: 7, fill: s.color },
        paths: isPoints ? function () { return null; } : uPlot.paths.bars({ size: [0.6, 40] }),
      });
    });
    var data = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
    var options = {
      width: Math.max(320, element.clientWidth - 16),
      height: 240,
      series: series,
      scales: {
        x: {
          time: true,
          // Points within a few seconds (one publication) give uPlot a range too narrow for
          // time ticks: widen anything under two hours to two hours around its middle.
          // uPlot widens a single-instant range itself before asking: use the data's own bounds.
          range: function () {
            var min = Math.min.apply(null, spec.x);
            var max = Math.max.apply(null, spec.x);
            var middle = (min + max) / 2;
            var range = max - min >= 7200 ? [min, max] : [middle - 3600, middle + 3600];
            element.setAttribute('data-x-range', range.join(','));
            return range;
          },
        },
      },
      axes: [{}, { label: spec.yLabel }],
    };
    element.textContent = '';
    new uPlot(options, data, element);
    element.setAttribute('data-drawn', String(spec.x.length));
  }
  document.querySelectorAll('[data-chart]').forEach(draw);
})();
`;
