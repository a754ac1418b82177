import { describe, expect, it } from 'vitest';
import { hostsRenderer } from './hosts-renderer.js';

const context = { tenant: 'acme', list: 'block.hosts', generatedAt: 0 };

describe('hostsRenderer', () => {
  it('writes a header, then a 0.0.0.0 and a :: line per name, in list order', () => {
    const text = hostsRenderer.render(
      [
        { kind: 'domain', value: 'evil.example' },
        { kind: 'domain', value: 'xn--bcher-kva.test' },
      ],
      context,
    );
    expect(text).toBe(
      '# iocrelay: acme/block.hosts, 2 names\n' +
        '0.0.0.0 evil.example\n:: evil.example\n' +
        '0.0.0.0 xn--bcher-kva.test\n:: xn--bcher-kva.test\n',
    );
  });

  it('writes the header alone for an empty list', () => {
    expect(hostsRenderer.render([], context)).toBe('# iocrelay: acme/block.hosts, 0 names\n');
  });

  it('reads each name once back, header and :: lines aside', () => {
    const text = hostsRenderer.render([{ kind: 'domain', value: 'a.example' }], context);
    expect(hostsRenderer.entriesOf(text)).toEqual(['a.example']);
  });

  it('carries domains only', () => {
    expect(hostsRenderer.kinds).toEqual(['domain']);
  });
});
