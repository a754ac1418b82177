import { describe, expect, it } from 'vitest';
import { renderList } from './render-list.js';
import { rpzRenderer, rpzSerial } from './rpz-renderer.js';

const context = { tenant: 'acme', list: 'block.rpz', generatedAt: 0 };

describe('rpzRenderer', () => {
  it('writes SOA, NS, then an NXDOMAIN rule for each name and its subdomains', () => {
    const body =
      'evil.example CNAME .\n*.evil.example CNAME .\nbad.test CNAME .\n*.bad.test CNAME .\n';
    const text = rpzRenderer.render(
      [
        { kind: 'domain', value: 'evil.example' },
        { kind: 'domain', value: 'bad.test' },
      ],
      context,
    );
    expect(text).toBe(
      '; iocrelay response policy zone: acme/block.rpz, 2 names\n' +
        '$TTL 300\n' +
        `@ SOA localhost. hostmaster.localhost. ${rpzSerial(body)} 3600 600 86400 300\n` +
        '@ NS localhost.\n' +
        body,
    );
  });

  it('writes a wildcard entry as the name and its wildcard, each owner name once', () => {
    const body =
      'wild.example CNAME .\n*.wild.example CNAME .\n' +
      'deep.sub.wild.example CNAME .\n*.deep.sub.wild.example CNAME .\n';
    const text = rpzRenderer.render(
      [
        { kind: 'domain', value: '*.wild.example' },
        { kind: 'domain', value: 'deep.sub.wild.example' },
        { kind: 'domain', value: 'wild.example' },
      ],
      context,
    );
    expect(text).toBe(
      '; iocrelay response policy zone: acme/block.rpz, 2 names\n' +
        '$TTL 300\n' +
        `@ SOA localhost. hostmaster.localhost. ${rpzSerial(body)} 3600 600 86400 300\n` +
        '@ NS localhost.\n' +
        body,
    );
    expect(rpzRenderer.entriesOf(text)).toEqual(['wild.example', 'deep.sub.wild.example']);
  });

  it('counts names left out for an RPZ trigger label', () => {
    const entries = [
      { kind: 'domain' as const, value: 'x.rpz-ip' },
      { kind: 'domain' as const, value: '*.y.rpz-nsip' },
      { kind: 'domain' as const, value: 'evil.example' },
    ];
    const { entries: count, leftOut } = renderList(rpzRenderer, entries, context);
    expect([count, leftOut]).toEqual([1, { 'rpz trigger label': 2 }]);
  });

  it('writes SOA and NS alone for an empty list', () => {
    expect(rpzRenderer.render([], context)).toBe(
      '; iocrelay response policy zone: acme/block.rpz, 0 names\n' +
        '$TTL 300\n' +
        `@ SOA localhost. hostmaster.localhost. ${rpzSerial('')} 3600 600 86400 300\n` +
        '@ NS localhost.\n',
    );
  });

  it.each([
    ['', 1_910_006_305], // SHA-256 of '' starts e3b0c442; shifted right by one
    ['evil.example CNAME .\n*.evil.example CNAME .\n', 769_673_781],
  ])('derives the serial of %j from the content alone', (body, serial) => {
    expect(rpzSerial(body)).toBe(serial);
    expect(serial).toBeGreaterThan(0);
    expect(serial).toBeLessThan(2 ** 31);
  });

  it('changes the serial when a name changes, and only then', () => {
    const one = rpzRenderer.render([{ kind: 'domain', value: 'a.example' }], context);
    const same = rpzRenderer.render([{ kind: 'domain', value: 'a.example' }], context);
    const other = rpzRenderer.render([{ kind: 'domain', value: 'b.example' }], context);
    const serialOf = (text: string): string | undefined => /SOA \S+ \S+ (\d+)/.exec(text)?.[1];
    expect(serialOf(same)).toBe(serialOf(one));
    expect(serialOf(other)).not.toBe(serialOf(one));
  });

  it.each(['32.1.2.0.192.rpz-ip', 'ns.example.rpz-nsdname', 'x.rpz-nsip', 'x.rpz-client-ip'])(
    'leaves out %s, which RPZ would read as another kind of trigger',
    (value) => {
      const text = rpzRenderer.render([{ kind: 'domain', value }], context);
      expect(rpzRenderer.entriesOf(text)).toEqual([]);
    },
  );

  it('reads the names back, wildcards and zone records aside', () => {
    const text = rpzRenderer.render(
      [
        { kind: 'domain', value: 'evil.example' },
        { kind: 'domain', value: 'bad.test' },
      ],
      context,
    );
    expect(rpzRenderer.entriesOf(text)).toEqual(['evil.example', 'bad.test']);
  });
});
