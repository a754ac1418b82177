import { describe, expect, it } from 'vitest';
import { EntryList } from './list-entries.js';
import { plainRenderer } from './plain-renderer.js';
import type { ListEntry } from './renderer.js';

const context = { tenant: 'acme', list: 'ip.txt', generatedAt: 0 };

describe('plainRenderer', () => {
  it('writes one entry per line with a final newline, in the given order', () => {
    const text = plainRenderer.render(
      [
        { kind: 'ip', value: '192.0.2.1' },
        { kind: 'ip', value: '198.51.100.0/24' },
        { kind: 'ip', value: '2001:db8::1' },
      ],
      context,
    );
    expect(text).toBe('192.0.2.1\n198.51.100.0/24\n2001:db8::1\n');
  });

  it('reads the entries of a rendering back, comments and blank lines aside', () => {
    expect(plainRenderer.entriesOf('192.0.2.1\n# note\n\n2001:db8::1\n')).toEqual([
      '192.0.2.1',
      '2001:db8::1',
    ]);
    expect(plainRenderer.entriesOf('# iocrelay: acme/ip.txt has no entries\n')).toEqual([]);
  });

  it('writes a single comment line for an empty list', () => {
    expect(plainRenderer.render([], context)).toBe('# iocrelay: acme/ip.txt has no entries\n');
  });

  it('writes the same bytes straight into a buffer as it writes as text', () => {
    const entries: ListEntry[] = [
      { kind: 'ip', value: '192.0.2.1' },
      { kind: 'domain', value: 'xn--bcher-kva.example' },
      { kind: 'url', value: 'http://bad.example/pfad/übersicht' },
      { kind: 'url', value: 'http://bad.example/\u{1F600}' },
    ];
    const bytes = plainRenderer.renderBytes?.(EntryList.of(entries), context);
    expect(bytes?.toString('utf8')).toBe(
      '192.0.2.1\nxn--bcher-kva.example\nhttp://bad.example/pfad/übersicht\nhttp://bad.example/\u{1F600}\n',
    );
    expect(bytes).toEqual(Buffer.from(plainRenderer.render(entries, context), 'utf8'));
    expect(plainRenderer.renderBytes?.([], context)?.toString('utf8')).toBe(
      '# iocrelay: acme/ip.txt has no entries\n',
    );
  });
});
