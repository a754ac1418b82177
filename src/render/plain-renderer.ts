import { INDICATOR_KINDS } from '../normalize/indicator.js';
import type { RenderContext, Renderer } from './renderer.js';
import type { ListEntries } from './list-entries.js';

/**
 * One entry per line, LF endings, a final newline; what PAN-OS, FortiGate and most firewalls
 * read as a plain external list. No header: a timestamp would change the bytes every run and
 * defeat the unchanged check. An empty list gets one `#` comment line so that a person (or a
 * device log) sees it was emptied on purpose, not truncated.
 *
 * @example
 * plainRenderer.render([{ kind: 'ip', value: '192.0.2.1' }], { tenant: 'acme', list: 'ip.txt', generatedAt: 0 });
 * // '192.0.2.1\n'
 */
const NEWLINE = 0x0a;

export const plainRenderer: Renderer = {
  format: 'plain',
  contentType: 'text/plain; charset=utf-8',
  kinds: INDICATOR_KINDS,
  isOneToOne: true,

  render(entries: ListEntries, context: RenderContext): string {
    if (entries.length === 0) {
      return `# iocrelay: ${context.tenant}/${context.list} has no entries\n`;
    }

    // One join, not `+=`: a million appends build a rope of a million string nodes, which
    // doubled the memory of a large list before it was flattened.
    const lines = new Array<string>(entries.length + 1);
    let i = 0;
    for (const entry of entries) lines[i++] = entry.value;
    lines[i] = '';
    return lines.join('\n');
  },

  renderBytes(entries: ListEntries, context: RenderContext): Buffer {
    if (entries.length === 0) return Buffer.from(plainRenderer.render(entries, context), 'utf8');

    let bytes = 0;
    for (const entry of entries) bytes += Buffer.byteLength(entry.value, 'utf8') + 1;
    const content = Buffer.allocUnsafe(bytes);
    let at = 0;
    for (const entry of entries) {
      at += content.write(entry.value, at, 'utf8');
      content[at++] = NEWLINE;
    }
    return content;
  },

  entriesOf(content: string): string[] {
    return content.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  },
};
