import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

const ISSUE_EXAMPLE = `
database: ./var/iocrelay.db
misp:
  url: \${MISP_URL}
  api_key: \${MISP_API_KEY}
  query:
    type: [ip-src, ip-dst, ip-src|port, ip-dst|port, domain, domain|ip, hostname, url, md5, sha1, sha256]
    to_ids: true
    published: true
publish:
  dir: ./public
tenants:
  - id: acme
    lists:
      - { file: ip.txt, types: [ip] }
      - { file: domain.txt, types: [domain] }
      - { file: url.txt, types: [url] }
      - { file: sha256.txt, types: [sha256] }
`;

const SECRET = 'k3y-THAT-MUST-NOT-LEAK-0123456789';

function writeConfig(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'iocrelay-config-'));
  const file = join(dir, 'iocrelay.yaml');
  writeFileSync(file, text);
  return { dir, file };
}

function problemsOf(text: string, env: Record<string, string> = {}): string[] {
  const { file } = writeConfig(text);
  try {
    loadConfig(file, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.describe().split('\n');
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('takes the example from the brief unchanged, with paths made absolute', () => {
    const { dir, file } = writeConfig(ISSUE_EXAMPLE);
    const config = loadConfig(file, { MISP_URL: 'https://misp.example', MISP_API_KEY: SECRET });

    expect(config.database).toBe(join(dir, 'var/iocrelay.db'));
    expect(config.publish).toEqual({ dir: join(dir, 'public'), max_shrink: 0.5 });
    expect(config.misp).toMatchObject({
      url: 'https://misp.example',
      api_key: SECRET,
      verify_tls: true,
      page_size: 5000,
      timeout: 60,
      retries: 3,
      full_sync_interval: 86_400,
      query: { to_ids: true, published: true },
    });
    expect(config.tenants.map((t) => [t.id, t.lists.map((l) => l.file)])).toEqual([
      ['acme', ['ip.txt', 'domain.txt', 'url.txt', 'sha256.txt']],
    ]);
    expect(Object.isFrozen(config.misp)).toBe(true);
  });

  it('gives one tenant `default` with one list per kind when tenants is absent', () => {
    const { file } = writeConfig('feeds: [{ name: demo, url: ./feed }]\n');
    const config = loadConfig(file, {});

    expect(config.tenants).toEqual([
      {
        id: 'default',
        allow: [],
        feeds: [],
        lists: [
          { file: 'ip.txt', types: ['ip'], format: 'plain', aggregate: false },
          { file: 'domain.txt', types: ['domain'], format: 'plain', aggregate: false },
          { file: 'url.txt', types: ['url'], format: 'plain', aggregate: false },
          { file: 'md5.txt', types: ['md5'], format: 'plain', aggregate: false },
          { file: 'sha1.txt', types: ['sha1'], format: 'plain', aggregate: false },
          { file: 'sha256.txt', types: ['sha256'], format: 'plain', aggregate: false },
        ],
      },
    ]);
  });

  it('lists every problem at once, each with its dotted path', () => {
    const text = `
misp:
  url: not a url
  api_key: \${MISP_API_KEY}
  page_size: 0
  timeout: soon
feeds:
  - { name: Bad Name, url: ./x }
tenants:
  - id: acme
    lists:
      - { file: ip.txt, types: [ipv4] }
      - { file: ../escape.txt, types: [ip] }
      - { file: ip.txt, types: [ip] }
  - id: acme
    colour: blue
`;
    expect(problemsOf(text)).toEqual([
      'misp.api_key: environment variable MISP_API_KEY is not set; export it, or use ${MISP_API_KEY:-default}',
      'misp.url: must be an http(s) URL of the MISP instance',
      'misp.page_size: Too small: expected number to be >=1',
      'misp.timeout: must be a duration from 1s to 3600s, as seconds or like 30s, 5m, 24h, 7d (got "soon")',
      'feeds.0.name: must be lowercase letters, digits, - or _',
      'tenants.0.lists.0.types.0: Invalid option: expected one of "ip"|"domain"|"url"|"md5"|"sha1"|"sha256"',
      'tenants.0.lists.1.file: must be a plain file name (letters, digits, . _ -), no folders',
      'tenants.1: unknown key colour (a typo? see docs/configuration.md)',
      'tenants.1.id: duplicate id "acme"',
      'tenants.0.lists.2.file: duplicate file "ip.txt"',
    ]);
  });

  it('refuses owner tags that would hand one tenant the amber indicators of another', () => {
    const text = `
feeds: [{ name: demo, url: ./feed }]
allow: [192.0.2.10, 'bad..', 10.0.0.0/33]
tenants:
  - { id: acme, owner_tag: customer:acme }
  - { id: initech, owner_tag: Customer:ACME }
  - { id: globex, owner_tag: tlp:amber }
  - { id: hooli, owner_tag: 'customer:*' }
  - { id: soylent, policy: { sources: [feed:typo] } }
`;
    // Allowlist entries are checked with the schema, so all of these come at once.
    expect(problemsOf(text)).toEqual([
      "tenants.3.owner_tag: must be one exact tag: a pattern could hand one tenant's indicators to another",
      'allow.1: "bad..": empty label',
      'allow.2: "10.0.0.0/33": the prefix must be 0-32',
    ]);
    const fixed = text.replace("  - { id: hooli, owner_tag: 'customer:*' }\n", '');
    expect(problemsOf(fixed)).toEqual([
      'allow.1: "bad..": empty label',
      'allow.2: "10.0.0.0/33": the prefix must be 0-32',
      'tenants.1.owner_tag: "Customer:ACME" is already the owner tag of tenant acme (tags compare without case): each tenant needs its own',
      'tenants.2.owner_tag: "tlp:amber" is a TLP tag, not an owner: name the customer (e.g. customer:globex)',
      'tenants.3.policy.sources.0: "feed:typo" is no configured source (feed:demo)',
    ]);
  });

  it('reports duplicates and a config with no source', () => {
    const text = `
tenants:
  - id: acme
    lists:
      - { file: ip.txt, types: [ip] }
      - { file: ip.txt, types: [domain] }
  - id: acme
`;
    expect(problemsOf(text)).toEqual([
      'misp: no source: configure misp, feeds, or both',
      'tenants.1.id: duplicate id "acme"',
      'tenants.0.lists.1.file: duplicate file "ip.txt"',
    ]);
  });

  it.each([
    [
      'both api_key and api_key_file',
      'misp: { url: https://misp.example, api_key: k, api_key_file: ./k }\n',
      'misp.api_key_file: give misp.api_key or misp.api_key_file, not both',
    ],
    [
      'a feed URL of another scheme',
      'feeds: [{ name: f, url: "file:///srv/feed" }]\n',
      'feeds.0.url: must be a folder path or an http(s) URL',
    ],
    [
      'a path starting with ~',
      'database: ~/iocrelay.db\nfeeds: [{ name: f, url: ./f }]\n',
      'database: ~ is not expanded; give an absolute path or one relative to this file',
    ],
  ])('refuses %s', (_name, text, problem) => {
    expect(problemsOf(text)).toContain(problem);
  });

  it('reports YAML syntax errors before anything else', () => {
    expect(problemsOf('misp: [unclosed\n')[0]).toMatch(/^\(yaml\): /);
  });

  it('reads the key from api_key_file and never echoes a secret in a problem', () => {
    const { dir, file } = writeConfig(
      'misp:\n  url: https://misp.example\n  api_key_file: ./key\n  page_size: -1\n',
    );
    writeFileSync(join(dir, 'key'), `${SECRET}\n`);

    let message = '';
    try {
      loadConfig(file, {});
    } catch (error) {
      message =
        error instanceof ConfigError ? `${error.message}\n${error.describe()}` : String(error);
    }
    expect(message).toContain('misp.page_size');
    expect(message).not.toContain(SECRET);

    writeFileSync(file, 'misp:\n  url: https://misp.example\n  api_key_file: ./key\n');
    expect(loadConfig(file, {}).misp?.api_key).toBe(SECRET);
  });

  it('keeps env values as data: a value cannot inject YAML', () => {
    const { file } = writeConfig('feeds: [{ name: demo, url: "${FEED}" }]\n');
    const config = loadConfig(file, { FEED: 'https://feed.example/x\ntenants: []' });
    expect(config.feeds[0]?.url).toBe('https://feed.example/x\ntenants: []');
    expect(config.tenants[0]?.id).toBe('default');
  });

  it('fails with CONFIG_NOT_FOUND for a missing file', () => {
    expect(() => loadConfig('/nonexistent/iocrelay.yaml', {})).toThrow(
      expect.objectContaining({ code: 'CONFIG_NOT_FOUND' }),
    );
  });
});

describe('misp.query.type', () => {
  it('accepts exactly the MISP types the normalizer turns into indicators', async () => {
    const { SUPPORTED_MISP_TYPES } = await import('./config-schema.js');
    const { SUPPORTED_ATTRIBUTE_TYPES } = await import('../normalize/normalize-attribute.js');
    expect([...SUPPORTED_MISP_TYPES].sort()).toEqual([...SUPPORTED_ATTRIBUTE_TYPES].sort());
  });
});
