import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig, type LoadedConfig } from './load-config.js';
import { syncIntervalOf } from './server-schema.js';

const TOKEN = 'metrics-token-that-must-not-leak-42';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function load(server: string, misp = ''): LoadedConfig | string[] {
  dir = mkdtempSync(join(tmpdir(), 'iocrelay-server-schema-'));
  const file = join(dir, 'iocrelay.yaml');
  writeFileSync(file, `${misp || 'feeds: [{ name: demo, url: ./feed }]'}\nserver:\n  ${server}\n`);
  try {
    return loadConfig(file, { METRICS_TOKEN: TOKEN, MISP_API_KEY: 'k'.repeat(40) });
  } catch (error) {
    if (error instanceof ConfigError) return error.describe().split('\n');
    throw error;
  }
}

describe('server.metrics and server.ready_max_age', () => {
  it('default to loopback only, no token, and no fixed readiness age', () => {
    const config = load('listen: 127.0.0.1:8080') as LoadedConfig;

    expect(config.server.metrics).toEqual({ allow: ['127.0.0.1/32', '::1/128'] });
    expect(config.server.ready_max_age).toBeUndefined();
  });

  it('take CIDRs, a token from the environment and a duration', () => {
    const config = load(
      'metrics: { allow: [192.0.2.0/28, 2001:db8::1], token: "${METRICS_TOKEN}" }\n  ready_max_age: 30m',
    ) as LoadedConfig;

    expect(config.server.metrics).toEqual({ allow: ['192.0.2.0/28', '2001:db8::1'], token: TOKEN });
    expect(config.server.ready_max_age).toBe(1800);
  });

  it.each([
    [
      'metrics: { allow: [192.0.2.0/33, intranet.example] }',
      [
        'server.metrics.allow.0: must be an IP or a CIDR, such as 10.0.0.0/8',
        'server.metrics.allow.1: must be an IP or a CIDR, such as 10.0.0.0/8',
      ],
    ],
    [
      'metrics: { allow: [192.0.2.5/24, 127.0.0.1/32, "::1/128", "2001:db8::1/32", 198.51.100.0/24] }',
      [
        'server.metrics.allow.0: 192.0.2.5/24 has host bits set, which would allow the whole network: write 192.0.2.0/24 for the network, or the address alone',
        'server.metrics.allow.3: 2001:db8::1/32 has host bits set, which would allow the whole network: write 2001:db8::/32 for the network, or the address alone',
      ],
    ],
    [
      'metrics: { token: short-token }',
      ['server.metrics.token: must be at least 20 characters (e.g. openssl rand -hex 24)'],
    ],
    [
      'ready_max_age: 4m',
      [
        'server.ready_max_age: is shorter than the sync interval (300s): /readyz would fail between two good runs; give at least 600s',
      ],
    ],
  ])('refuse %s', (server, problems) => {
    expect(load(server)).toEqual(problems);
  });

  it('compare ready_max_age with a configured misp.interval', () => {
    const misp = 'misp: { url: https://misp.example, api_key: "${MISP_API_KEY}", interval: 1h }';

    expect(load('ready_max_age: 30m', misp)).toEqual([
      'server.ready_max_age: is shorter than the sync interval (3600s): /readyz would fail between two good runs; give at least 7200s',
    ]);
    expect(load('ready_max_age: 2h', misp)).toMatchObject({ server: { ready_max_age: 7200 } });
  });
});

describe('server.sync_interval', () => {
  it('sets how often serve syncs a configuration with feeds only, and wins over misp.interval', () => {
    const misp = 'misp: { url: https://misp.example, api_key: "${MISP_API_KEY}", interval: 1h }';

    expect(syncIntervalOf(load('listen: 127.0.0.1:8080') as LoadedConfig)).toBe(300);
    expect(syncIntervalOf(load('sync_interval: 10m') as LoadedConfig)).toBe(600);
    expect(syncIntervalOf(load('listen: 127.0.0.1:8080', misp) as LoadedConfig)).toBe(3600);
    expect(syncIntervalOf(load('sync_interval: 2m', misp) as LoadedConfig)).toBe(120);
    expect(load('sync_interval: 10s')).toEqual([
      'server.sync_interval: must be a duration of at least 30s, as seconds or like 5m, 1h (got "10s")',
    ]);
  });

  it('is what ready_max_age is compared with', () => {
    expect(load('{ sync_interval: 1h, ready_max_age: 30m }')).toEqual([
      'server.ready_max_age: is shorter than the sync interval (3600s): /readyz would fail between two good runs; give at least 7200s',
    ]);
  });
});
