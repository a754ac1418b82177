import { checkpointRenderer } from './checkpoint-renderer.js';
import { ciscoRenderer } from './cisco-renderer.js';
import { fortigateRenderer } from './fortigate-renderer.js';
import { paloaltoRenderer } from './paloalto-renderer.js';
import { csvRenderer } from './csv-renderer.js';
import { hostsRenderer } from './hosts-renderer.js';
import { ip6tablesRenderer, iptablesRenderer } from './iptables-renderer.js';
import { ipsetRenderer } from './ipset-renderer.js';
import { jsonRenderer } from './json-renderer.js';
import { mikrotikRenderer } from './mikrotik-renderer.js';
import { nftablesRenderer } from './nftables-renderer.js';
import { plainRenderer } from './plain-renderer.js';
import { rpzRenderer } from './rpz-renderer.js';
import { stix2Renderer } from './stix2-renderer.js';
import { suricataRenderer } from './suricata-renderer.js';
import { sophosRenderer } from './sophos-renderer.js';
import type { Renderer } from './renderer.js';

/**
 * Every device format a list may name in `format:`, by name. Adding a format is adding its
 * renderer here; the config schema and the docs read the names from this table.
 *
 * @example
 * RENDERERS.get('plain')?.contentType; // 'text/plain; charset=utf-8'
 */
export const RENDERERS: ReadonlyMap<string, Renderer> = new Map(
  [
    plainRenderer,
    paloaltoRenderer,
    fortigateRenderer,
    checkpointRenderer,
    ciscoRenderer,
    sophosRenderer,
    mikrotikRenderer,
    nftablesRenderer,
    ipsetRenderer,
    iptablesRenderer,
    ip6tablesRenderer,
    suricataRenderer,
    rpzRenderer,
    hostsRenderer,
    csvRenderer,
    jsonRenderer,
    stix2Renderer,
  ].map((renderer) => [renderer.format, renderer]),
);

/** Format names, for the config schema. */
export const FORMATS = [...RENDERERS.keys()] as [string, ...string[]];

/**
 * The renderer of a format the configuration validated.
 *
 * @example
 * rendererOf('plain'); // plainRenderer
 */
export function rendererOf(format: string): Renderer {
  const renderer = RENDERERS.get(format);
  if (renderer === undefined) throw new Error(`no renderer for format ${format}`);
  return renderer;
}
