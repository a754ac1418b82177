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

  it('writes a wildcard as its bare name, once when the bare name is listed too', () => {
    const text = hostsRenderer.render(
      [
        { kind: 'domain', value: '*.wild.example' },
        { kind: 'domain', value: 'deep.sub.wild.example' },
        { kind: 'domain', value: 'wild.example' },
        { kind: 'domain', value: '*.other.example' },
      ],
      context,
    );
    expect(text).toBe(
      '# iocrelay: acme/block.hosts, 3 names\n' +
        '0.0.0.0 wild.example\n:: wild.example\n' +
        '0.0.0.0 deep.sub.wild.example\n:: deep.sub.wild.example\n' +
        '0.0.0.0 other.example\n:: other.example\n',
    );
    expect(hostsRenderer.entriesOf(text)).toEqual([
      'wild.example',
      'deep.sub.wild.example',
      'other.example',
    ]);
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
