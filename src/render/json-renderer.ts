import { INDICATOR_KINDS } from '../normalize/indicator.js';
import { entryFields } from './entry-fields.js';
import type { ListEntry, RenderContext, Renderer } from './renderer.js';
import type { ListEntries } from './list-entries.js';

/**
 * One JSON document: `tenant`, `list`, `count`, then `entries` in list order, each with the
 * same fields as the csv columns (`event` null and empty arrays when an entry has no
 * provenance). Keys come in a fixed order and there is no generation time, so the same
 * entries give the same bytes. Two-space indentation: the file is read by people as often as
 * by SIEM import jobs, and gzip takes most of the cost away.
 *
 * @example
 * jsonRenderer.render([{ kind: 'domain', value: 'evil.example' }], context);
 * // '{\n  "tenant": "acme",\n  "list": "domains.json",\n  "count": 1,\n  "entries": [ … ] }\n'
 */
export const jsonRenderer: Renderer = {
  format: 'json',
  contentType: 'application/json',
  kinds: INDICATOR_KINDS,
  isOneToOne: true,
  needsProvenance: true,

  render(entries: ListEntries, context: RenderContext): string {
    const document = {
      tenant: context.tenant,
      list: context.list,
      count: entries.length,
      entries: Array.from(entries, jsonEntry),
    };
    return `${JSON.stringify(document, null, 2)}\n`;
  },

  entriesOf(content: string): string[] {
    const document: unknown = JSON.parse(content);
    if (!isRecord(document) || !Array.isArray(document.entries)) return [];

    return (document.entries as unknown[]).flatMap((entry) =>
      isRecord(entry) && typeof entry.value === 'string' ? [entry.value] : [],
    );
  },
};

// Object literal order is JSON.stringify order: this literal is the fixed key order.
function jsonEntry(entry: ListEntry): object {
  const f = entryFields(entry);
  return {
    value: f.value,
    kind: f.kind,
    event: f.eventUuid === null ? null : { uuid: f.eventUuid, id: f.eventId, info: f.eventInfo },
    tags: f.tags,
    tlp: f.tlp,
    firstSeen: f.firstSeen,
    lastSeen: f.lastSeen,
    sources: f.sources,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
