import type { IndicatorKind } from '../normalize/indicator.js';

/** One entry of a list as a renderer sees it, in list order. */
export interface ListEntry {
  readonly kind: IndicatorKind;
  readonly value: string;
}

/** Which list a rendering is for; some formats name it inside the file. */
export interface RenderContext {
  readonly tenant: string;
  readonly list: string;
}

/**
 * Turns a list's entries into the bytes a device loads. One renderer per device format; all
 * are deterministic (same entries, same bytes), so an unchanged list is never rewritten.
 */
export interface Renderer {
  readonly format: string;
  readonly contentType: string;
  render(entries: readonly ListEntry[], context: RenderContext): string;
  /** The entry values a rendering holds, to compare with a list found on a target. */
  entriesOf(content: string): string[];
}
