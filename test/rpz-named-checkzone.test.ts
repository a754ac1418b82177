import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ListEntry } from '../src/render/renderer.js';
import { rpzRenderer } from '../src/render/rpz-renderer.js';

// named-checkzone comes with Debian's bind9utils; the zone is checked as BIND would load it.
const hasNamedCheckzone = spawnSync('named-checkzone', ['-v']).status === 0;
if (!hasNamedCheckzone) {
  console.warn('rpz zone tests skipped: named-checkzone is missing (apt-get install bind9utils)');
}

const context = { tenant: 'acme', list: 'block.rpz', generatedAt: 0 };
const folder = mkdtempSync(join(tmpdir(), 'iocrelay-rpz-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function checkZone(text: string): { status: number | null; output: string } {
  const file = join(folder, 'zone.rpz');
  writeFileSync(file, text);
  const result = spawnSync('named-checkzone', ['-k', 'fail', '-n', 'fail', 'rpz.test', file], {
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.skipIf(!hasNamedCheckzone)('rpz zones pass named-checkzone', () => {
  it.each<[string, ListEntry[], string[]]>([
    [
      'names, a nested name and an IDN',
      [
        { kind: 'domain', value: 'evil.example' },
        { kind: 'domain', value: 'cdn.evil.example' },
        { kind: 'domain', value: 'xn--bcher-kva.test' },
        { kind: 'domain', value: 'a-b.c-d.test' },
      ],
      [
        'evil.example.rpz.test.',
        '*.evil.example.rpz.test.',
        'cdn.evil.example.rpz.test.',
        '*.cdn.evil.example.rpz.test.',
        'xn--bcher-kva.test.rpz.test.',
        '*.xn--bcher-kva.test.rpz.test.',
        'a-b.c-d.test.rpz.test.',
        '*.a-b.c-d.test.rpz.test.',
      ],
    ],
    ['an empty list', [], []],
  ])('loads the zone of %s', (_name, entries, owners) => {
    const { status, output } = checkZone(rpzRenderer.render(entries, context));
    expect(output).toMatch(/loaded serial \d+\nOK\n$/);
    expect(status).toBe(0);

    // Every rule is there, relative to the zone name: named-compilezone prints the zone as
    // loaded, in canonical order.
    const file = join(folder, 'zone.rpz');
    const dump = spawnSync('named-compilezone', ['-q', '-o', '-', 'rpz.test', file], {
      encoding: 'utf8',
    }).stdout;
    const rules = dump.split('\n').filter((line) => /\sIN CNAME\s+\.$/.test(line));
    expect(rules.map((line) => line.split(/\s/)[0]).sort()).toEqual([...owners].sort());
  });

  // A tester's feed: a wildcard entry next to its bare name and a deeper name. `*.*.x` (a
  // non-terminal wildcard) and a CNAME written twice were the bugs; BIND must load it silently.
  it('loads a wildcard entry, its bare name and a deeper name with no warning', () => {
    const entries: ListEntry[] = [
      { kind: 'domain', value: '*.wild.example' },
      { kind: 'domain', value: 'wild.example' },
      { kind: 'domain', value: 'deep.sub.wild.example' },
    ];
    const text = rpzRenderer.render(entries, context);
    const { status, output } = checkZone(text);

    const serial = /SOA \S+ \S+ (\d+)/.exec(text)?.[1];
    expect(output).toBe(`zone rpz.test/IN: loaded serial ${serial}\nOK\n`);
    expect(status).toBe(0);
    expect(text.split('\n').filter((line) => line.endsWith(' CNAME .'))).toEqual([
      'wild.example CNAME .',
      '*.wild.example CNAME .',
      'deep.sub.wild.example CNAME .',
      '*.deep.sub.wild.example CNAME .',
    ]);
  });

  it('fails on a broken zone, so the check can fail', () => {
    const { status } = checkZone('$TTL 300\nevil.example CNAME .\n');
    expect(status).not.toBe(0);
  });
});
