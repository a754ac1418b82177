import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { startMispApiServer, type MispApiServer } from './support/misp-api-server.js';
import { wireAttribute, wireEvent } from './support/misp-fixtures.js';
import { STATIC_FIXTURE_POLICY } from './support/sync-harness.js';

const KEY = 'cliSECRETkey-must-never-be-printed-0123456789';
const servers: MispApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

// Fixtures are dated and never age: expiry is off unless a test sets its own policy.
function configFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'iocrelay-cli-'));
  const file = join(dir, 'iocrelay.yaml');
  writeFileSync(file, /^policy:/m.test(text) ? text : `${text}\n${STATIC_FIXTURE_POLICY}`);
  return file;
}

const MISP_CONFIG = `
misp:
  url: \${MISP_URL}
  api_key: \${MISP_API_KEY}
  retries: 0
tenants:
  - id: acme
    lists: [{ file: ip.txt, types: [ip] }]
`;

describe('iocrelay CLI', () => {
  it('sync prints where each list is and exits 0; a second run reports them unchanged', async () => {
    const misp = await startMispApiServer({
      apiKey: KEY,
      attributes: [wireAttribute(1, wireEvent(1), { value: '192.0.2.9' })],
    });
    servers.push(misp);
    const file = configFile(MISP_CONFIG);
    const env = { MISP_URL: misp.url, MISP_API_KEY: KEY };

    const first = await runCli(['sync', '--config', file], env);
    expect(first.code).toBe(0);
    const listPath = join(file, '..', 'public', 'acme', 'ip.txt');
    expect(first.stdout).toContain(
      `acme    ip.txt  ip     1        1      0        written  ${listPath}`,
    );
    expect(readFileSync(listPath, 'utf8')).toBe('192.0.2.9\n');

    const second = await runCli(['sync', '--config', file], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('unchanged');

    // Every stderr line is a pino JSON record with the fixed fields.
    for (const line of first.stderr.trim().split('\n')) {
      expect(JSON.parse(line)).toMatchObject({
        app: 'iocrelay',
        level: expect.any(String),
        msg: expect.any(String),
      });
    }
    expect(first.stderr + first.stdout).not.toContain(KEY);
  });

  it('exits 1 on a refused key, says what to check, and never prints the key', async () => {
    const misp = await startMispApiServer({ apiKey: 'the-right-key', attributes: [] });
    servers.push(misp);
    const result = await runCli(
      ['sync', '--config', configFile(MISP_CONFIG), '--log-level', 'trace'],
      {
        MISP_URL: misp.url,
        MISP_API_KEY: KEY,
      },
    );

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('nothing published: misp failed with MISP_AUTH_FAILED');
    expect(result.stderr).toContain('"errorCode":"MISP_AUTH_FAILED"');
    expect(result.stdout + result.stderr).not.toContain(KEY);
  });

  it('check-config lists every problem with its path and exits 2', async () => {
    const file = configFile('misp:\n  url: ftp://x\n  page_size: 0\ntenants:\n  - id: Bad Id\n');
    const result = await runCli(['check-config', '--config', file], {});

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        'error CONFIG_INVALID: The configuration has problems (listed below). Fix each one; nothing was run.',
        `  file: ${file}`,
        '  misp.url: must be an http(s) URL of the MISP instance',
        '  misp.page_size: Too small: expected number to be >=1',
        '  tenants.0.id: must be lowercase letters, digits, - or _ (it becomes a folder name)',
        '  misp.api_key: is required: set it (e.g. ${MISP_API_KEY}) or give misp.api_key_file',
        '',
      ].join('\n'),
    );
  });

  it('check-config on a valid file says what it will do, without the key', async () => {
    const withFeed = `${MISP_CONFIG}feeds: [{ name: h, url: "http://u:\${MISP_API_KEY}@127.0.0.1:9/feed/?token=\${MISP_API_KEY}" }]\n`;
    const result = await runCli(['check-config', '--config', configFile(withFeed)], {
      MISP_URL: `https://admin:${KEY}@misp.example/?key=${KEY}`,
      MISP_API_KEY: KEY,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'source misp: https://misp.example/ (page size 5000, TLS verified)',
    );
    expect(result.stdout).toContain('source feed:h: http://127.0.0.1:9/feed/\n');
    expect(result.stdout).not.toContain(KEY);
  });

  it('check-config reads the warninglists and refuses an unknown list name, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iocrelay-cli-wl-'));
    mkdirSync(join(dir, 'test'));
    writeFileSync(
      join(dir, 'test', 'list.json'),
      JSON.stringify({
        name: 'Test list',
        description: 'd',
        version: 1,
        type: 'cidr',
        list: ['192.0.2.0/24'],
      }),
    );
    const feeds = `feeds: [{ name: demo, url: ${join(process.cwd(), 'demo', 'feed')} }]\n`;
    const good = await runCli(
      ['check-config', '--config', configFile(`${feeds}warninglists: { dir: ${dir} }\n`)],
      {},
    );
    expect(good.code).toBe(0);
    expect(good.stdout).toContain(`warninglists: 1 applied from ${dir}\n`);

    const bad = await runCli(
      [
        'check-config',
        '--config',
        configFile(`${feeds}warninglists: { dir: ${dir}, lists: [Test list, No such list] }\n`),
      ],
      {},
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error WARNINGLIST_UNKNOWN');
    expect(bad.stderr).toContain('No such list');
  });

  it('explain takes a defanged value and shows provenance and lists', async () => {
    // The demo's TLP:AMBER event belongs to customer:acme, which this tenant is.
    const file = configFile(
      `feeds: [{ name: demo, url: ${join(process.cwd(), 'demo', 'feed')} }]\n` +
        'tenants: [{ id: default, owner_tag: customer:acme }]\n',
    );
    expect((await runCli(['sync', '--config', file], {})).code).toBe(0);

    const result = await runCli(
      ['explain', 'hxxps://payroll-portal[.]example/Office365/login.php', '--config', file],
      {},
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('https://payroll-portal.example/Office365/login.php (url)');
    expect(result.stdout).toContain(
      'event e2e5ee76-d53c-54d4-b803-dda9e35aa984: Phishing campaign impersonating a payroll portal',
    );
    expect(result.stdout).toMatch(/default\/url\.txt: listed since \d{4}-/);
    expect(result.stdout).toContain(
      'default/ip.txt: not listed (kind: the list takes ip, not url)',
    );

    const covered = await runCli(['explain', '198.51.100.5', '--config', file], {});
    expect(covered.stdout).toContain(
      [
        '198.51.100.5 (ip)',
        '  not in the store: no source has given this value',
        '  lists:',
        '    default/ip.txt: not listed (unknown: no source has ever given this value)',
        '      blocked all the same: inside 198.51.100.0/28 on this list',
      ].join('\n'),
    );

    const json = await runCli(['explain', '203.0.113.200', '--config', file, '--json'], {});
    const explanation = JSON.parse(json.stdout) as { lists: { list: string }[] };
    expect(explanation.lists.find((l) => l.list === 'ip.txt')).toMatchObject({
      isListed: false,
      reason: 'tlp: TLP:RED never leaves the store',
    });
  });

  it('names the reason when a list cannot be written, and lists stray files', async () => {
    const file = configFile(
      `feeds: [{ name: demo, url: ${join(process.cwd(), 'demo', 'feed')} }]\npublish: { dir: ./out }\n`,
    );
    writeFileSync(join(file, '..', 'out'), 'a file where the folder should be');

    const failed = await runCli(['sync', '--config', file], {});
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('PUBLISH_DIR_FAILED (ENOTDIR)');
    expect(failed.stdout).toContain(
      'not published: A list file could not be written to publish.dir.',
    );

    const stray = configFile(
      `feeds: [{ name: demo, url: ${join(process.cwd(), 'demo', 'feed')} }]\n`,
    );
    mkdirSync(join(stray, '..', 'public', 'gone'), { recursive: true });
    writeFileSync(join(stray, '..', 'public', 'gone', 'ip.txt'), '192.0.2.1\n');
    const result = await runCli(['sync', '--config', stray], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'stray lists, no longer configured and no longer updated: gone/ip.txt',
    );
  });

  it('every command has --help', async () => {
    for (const command of ['sync', 'check-config', 'explain']) {
      const result = await runCli([command, '--help'], {});
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: iocrelay ${command}`);
    }
  });

  it('a missing config file exits 2 with CONFIG_NOT_FOUND', async () => {
    const result = await runCli(['sync', '--config', '/nonexistent/iocrelay.yaml'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error CONFIG_NOT_FOUND');
  });
});
