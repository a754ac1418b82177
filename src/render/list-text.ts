import type { RenderContext } from './renderer.js';

/**
 * The line an empty list carries in formats that allow comments, so that a person (or a device
 * log) sees the list was emptied on purpose, not truncated.
 *
 * @example
 * emptyListNote({ tenant: 'acme', list: 'ip.txt', generatedAt: 0 });
 * // '# iocrelay: acme/ip.txt has no entries'
 */
export function emptyListNote(context: RenderContext): string {
  return `# iocrelay: ${context.tenant}/${context.list} has no entries`;
}

/**
 * One line each, LF endings and a final newline; nothing at all for no lines.
 *
 * @example
 * joinLines(['192.0.2.1', '2001:db8::1']); // '192.0.2.1\n2001:db8::1\n'
 */
export function joinLines(lines: Iterable<string>): string {
  // One join, not `+=`: appending a million lines builds a rope that doubles the memory.
  const all = [...lines];
  return all.length === 0 ? '' : `${all.join('\n')}\n`;
}

/**
 * The entries of a one-entry-per-line file: blank and `#` lines skipped, and only the first
 * word of a line, since some formats allow a description after a space (PAN-OS IP lists,
 * FortiGate hash feeds). A CR of CRLF endings is dropped.
 *
 * @example
 * readListLines('# note\n192.0.2.1 C2 server\r\n\n'); // ['192.0.2.1']
 */
export function readListLines(content: string): string[] {
  const entries: string[] = [];
  for (const raw of content.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;

    const space = line.search(/\s/);
    entries.push(space < 0 ? line : line.slice(0, space));
  }
  return entries;
}
