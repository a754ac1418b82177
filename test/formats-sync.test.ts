import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { loadConfig } from '../src/config/load-config.js';
import { ConfigError } from '../src/config/config-error.js';
import { RENDERERS } from '../src/render/renderers.js';
import { syncFixture, type SyncFixture } from './support/sync-harness.js';

const DEMO_FEED = join(process.cwd(), 'demo', 'feed');
const fixtures: SyncFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});

// One list per format, with the kinds the format carries (one kind where a list holds one).
function listsYaml(): string {
  return [...RENDERERS.values()]
    .map((renderer) => {
      const types = renderer.kindsProblem?.(renderer.kinds) ? ['ip'] : renderer.kinds;
      return `      - { file: ${renderer.format}.out, types: [${types.join(', ')}], format: ${renderer.format} }`;
    })
    .join('\n');
}

describe('every format through the sync', () => {
  it('publishes each format from the demo feed, and a second run leaves every file untouched', async () => {
    const fixture = await syncFixture(`feeds: [{ name: demo, url: ${DEMO_FEED} }]
publish: { dir: ./public }
tenants:
  - id: acme
    owner_tag: customer:acme
    lists:
${listsYaml()}
`);
    fixtures.push(fixture);

    const first = await fixture.sync();
    expect(first.status).toBe('ok');
    expect(first.lists.map((l) => [l.list, l.status])).toEqual(
      [...RENDERERS.keys()].map((format) => [`${format}.out`, 'written']),
    );
    const before = fixture.snapshot();

    // The MikroTik script comments every entry with its MISP event: the sync gives it provenance.
    const adds = fixture
      .list('acme', 'mikrotik.out')
      .split('\n')
      .filter((line) => line.startsWith('add '));
    expect(adds.length).toBeGreaterThan(0);
    expect(adds.filter((line) => !/ comment="[0-9a-f-]{36} [^"]/.test(line))).toEqual([]);
    expect(adds).toContain(
      'add list="iocrelay_acme_mikrotik_out_new" address=198.51.100.23 ' +
        'comment="e2e5ee76-d53c-54d4-b803-dda9e35aa984 Phishing campaign impersonating a payroll portal"',
    );

    const second = await fixture.sync({ isFullForced: true });
    expect(second.lists.every((l) => l.status === 'unchanged')).toBe(true);
    expect(fixture.snapshot()).toEqual(before);
  });

  it('refuses at load a list whose kinds its format cannot carry', () => {
    const file = join(process.cwd(), 'demo', 'iocrelay.yaml');
    expect(() => loadConfig(file)).not.toThrow();

    let problems: string[] = [];
    try {
      loadConfigText(`feeds: [{ name: demo, url: ${DEMO_FEED} }]
tenants:
  - id: acme
    lists:
      - { file: a, types: [domain], format: sophos }
      - { file: b, types: [md5, sha256], format: suricata }
      - { file: c, types: [url], format: rpz }
      - { file: d, types: [ip, domain], format: paloalto }
      - { file: ip.nft, types: [ip], format: nftables }
      - { file: ip-nft, types: [ip], format: nftables }
`);
    } catch (error) {
      if (error instanceof ConfigError) problems = error.describe().split('\n');
    }
    expect(problems).toEqual([
      'tenants.0.lists.5.file: "ip-nft" and "ip.nft" would share the device name iocrelay_acme_ip_nft: rename one',
      'tenants.0.lists.1.types: format suricata writes one file type per list (ip, domain, md5 or sha256), not md5 + sha256',
      'tenants.0.lists.2.types: format rpz carries domain only, not url',
      'tenants.0.lists.3.types: a PAN-OS external dynamic list has one type: give ip, domain a list each',
    ]);
  });
});

function loadConfigText(text: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'iocrelay-formats-'));
  writeFileSync(join(dir, 'iocrelay.yaml'), text);
  loadConfig(join(dir, 'iocrelay.yaml'));
}
