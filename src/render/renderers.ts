import { plainRenderer } from './plain-renderer.js';
import type { Renderer } from './renderer.js';

/**
 * Every device format a list may name in `format:`, by name. Adding a format is adding its
 * renderer here; the config schema and the docs read the names from this table.
 *
 * @example
 * RENDERERS.get('plain')?.contentType; // 'text/plain; charset=utf-8'
 */
export const RENDERERS: ReadonlyMap<string, Renderer> = new Map(
  [plainRenderer].map((renderer) => [renderer.format, renderer]),
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
