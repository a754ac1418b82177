import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { IocrelayError } from '../../errors/iocrelay-error.js';
import { loadWarninglists } from './load-warninglists.js';
import { WarninglistError } from './warninglist-error.js';

const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

// A folder of list files: path (relative) → content (an object is written as JSON).
function writeLists(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'iocrelay-warninglists-'));
  folders.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const RANGES = {
  name: 'Doc ranges',
  description: 'Documentation ranges',
  version: 20240101,
  type: 'cidr',
  matching_attributes: ['ip-src', 'ip-dst'],
  list: ['192.0.2.0/24', '2001:db8::/32'],
};

const HOSTS = {
  name: 'Doc hosts',
  description: 'Documentation names',
  version: 2,
  type: 'hostname',
  list: ['example.test'],
  category: 'known',
};

async function loadError(dir: string): Promise<unknown> {
  return loadWarninglists(dir).then(
    () => {
      throw new Error('expected an error');
    },
    (error: unknown) => error,
  );
}

describe('loadWarninglists', () => {
  it('reads list.json in each sub-folder and in the folder itself, in path order', async () => {
    const dir = writeLists({
      'z-hosts/list.json': HOSTS,
      'list.json': { ...RANGES, name: 'Top' },
      'a-ranges/list.json': RANGES,
      'docs/README.md': '# not a list',
      'schema.json': '{}',
    });

    expect(await loadWarninglists(dir)).toEqual([
      {
        name: 'Doc ranges',
        description: 'Documentation ranges',
        version: 20240101,
        type: 'cidr',
        matchingAttributes: ['ip-src', 'ip-dst'],
        entries: ['192.0.2.0/24', '2001:db8::/32'],
        file: join(dir, 'a-ranges/list.json'),
      },
      {
        name: 'Top',
        description: 'Documentation ranges',
        version: 20240101,
        type: 'cidr',
        matchingAttributes: ['ip-src', 'ip-dst'],
        entries: ['192.0.2.0/24', '2001:db8::/32'],
        file: join(dir, 'list.json'),
      },
      {
        name: 'Doc hosts',
        description: 'Documentation names',
        version: 2,
        type: 'hostname',
        matchingAttributes: [],
        entries: ['example.test'],
        file: join(dir, 'z-hosts/list.json'),
      },
    ]);
  });

  it('lists every bad file and what is wrong in each, loading none', async () => {
    const dir = writeLists({
      'good/list.json': RANGES,
      'not-json/list.json': '{"name": ',
      'wrong-fields/list.json': { ...HOSTS, name: ' ', type: 'glob', version: 1.5 },
      'missing/list.json': { list: ['example.test'] },
      'bad-entries/list.json': { ...RANGES, name: 'Bad', list: ['192.0.2.0/24', 'example.test'] },
      'bad-regex/list.json': { ...HOSTS, name: 'Regex', type: 'regex', list: ['/x/', 'nope'] },
      'many/list.json': { ...HOSTS, name: 'Many', list: [1, 2, 3, 4, 5, 6, 7] },
      'twin/list.json': { ...HOSTS, name: 'Doc ranges' },
    });

    const error = await loadError(dir);
    expect(error).toBeInstanceOf(WarninglistError);
    const problems = (error as WarninglistError).describe().replaceAll(`${dir}/`, '');
    expect(problems.split('\n')).toEqual([
      'bad-entries/list.json: list.1: "example.test" is refused: not an IP address or CIDR (not a dotted quad of octets 0-255)',
      'bad-regex/list.json: list.1: "nope" is refused: no delimiter (write it as for PHP preg_match, such as /^www\\.example$/i)',
      'many/list.json: list.0: Invalid input: expected string, received number',
      'many/list.json: list.1: Invalid input: expected string, received number',
      'many/list.json: list.2: Invalid input: expected string, received number',
      'many/list.json: list.3: Invalid input: expected string, received number',
      'many/list.json: list.4: Invalid input: expected string, received number',
      'many/list.json: and 2 more problems',
      'missing/list.json: name: Invalid input: expected string, received undefined',
      'missing/list.json: description: Invalid input: expected string, received undefined',
      'missing/list.json: version: Invalid input: expected number, received undefined',
      'missing/list.json: type: Invalid option: expected one of "cidr"|"hostname"|"string"|"substring"|"regex"',
      expect.stringMatching(/^not-json\/list\.json: is not JSON \(.+\)$/),
      'wrong-fields/list.json: name: must not be empty',
      'wrong-fields/list.json: version: Invalid input: expected int, received number',
      'wrong-fields/list.json: type: Invalid option: expected one of "cidr"|"hostname"|"string"|"substring"|"regex"',
      'twin/list.json: name: "Doc ranges" is also the name of good/list.json',
    ]);
    expect((error as WarninglistError).details).toMatchObject({
      dir,
      'twin/list.json': `name: "Doc ranges" is also the name of ${join(dir, 'good/list.json')}`,
      'bad-entries/list.json':
        'list.1: "example.test" is refused: not an IP address or CIDR (not a dotted quad of octets 0-255)',
    });
    expect((error as WarninglistError).code).toBe('WARNINGLIST_INVALID');
  });

  it('refuses a folder that is missing, not a folder, or holds no list', async () => {
    const empty = writeLists({ 'README.md': '# nothing', 'sub/other.json': '{}' });
    const file = join(empty, 'README.md');
    const missing = join(empty, 'missing');

    const errors = await Promise.all([missing, file, empty].map(loadError));
    expect(errors.map((e) => e instanceof IocrelayError && [e.code, e.details])).toEqual([
      ['WARNINGLIST_DIR_MISSING', { dir: missing, reason: 'cannot be read' }],
      ['WARNINGLIST_DIR_MISSING', { dir: file, reason: 'cannot be read' }],
      [
        'WARNINGLIST_DIR_MISSING',
        { dir: empty, reason: 'no list.json in it or in its sub-folders' },
      ],
    ]);
  });
});
