import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import type { FastifyInstance } from 'fastify';

import { CHART_SCRIPT } from './chart-script.js';
import { DASHBOARD_CSS } from './dashboard-css.js';

interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

// Every name carries the uPlot version or a hash of the content, so a browser may keep a file
// for a year: a new version is a new name.
const LONG_CACHE = 'public, max-age=31536000, immutable';

/**
 * Serves the dashboard's static files under /ui/assets/: uPlot's script and stylesheet from
 * node_modules, and the dashboard's own stylesheet and chart script. Read once at start.
 *
 * @example
 * registerUiAssets(scope); // GET /ui/assets/uplot-1.6.32.min.js …
 */
export function registerUiAssets(scope: FastifyInstance): UiAssetNames {
  const require = createRequire(import.meta.url);
  const uplotDir = require
    .resolve('uplot/dist/uPlot.iife.min.js')
    .replace(/uPlot\.iife\.min\.js$/, '');
  const { version } = JSON.parse(readFileSync(require.resolve('uplot/package.json'), 'utf8')) as {
    version: string;
  };

  const names: UiAssetNames = {
    uplotJs: `uplot-${version}.min.js`,
    uplotCss: `uplot-${version}.min.css`,
    chartJs: `charts-${shortHash(CHART_SCRIPT)}.js`,
    css: `dashboard-${shortHash(DASHBOARD_CSS)}.css`,
  };
  const assets = new Map<string, Asset>([
    [names.uplotJs, { type: JAVASCRIPT, body: readFileSync(`${uplotDir}uPlot.iife.min.js`) }],
    [names.uplotCss, { type: CSS, body: readFileSync(`${uplotDir}uPlot.min.css`) }],
    [names.chartJs, { type: JAVASCRIPT, body: Buffer.from(CHART_SCRIPT) }],
    [names.css, { type: CSS, body: Buffer.from(DASHBOARD_CSS) }],
  ]);

  scope.get<{ Params: { name: string } }>('/assets/:name', (request, reply) => {
    const asset = assets.get(request.params.name);
    if (asset === undefined) {
      return reply.code(404).type('text/plain; charset=utf-8').send('not found\n');
    }
    return reply.header('cache-control', LONG_CACHE).type(asset.type).send(asset.body);
  });
  return names;
}

/** The file names of the assets, for the page layout. */
export interface UiAssetNames {
  readonly uplotJs: string;
  readonly uplotCss: string;
  readonly chartJs: string;
  readonly css: string;
}

const JAVASCRIPT = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}
