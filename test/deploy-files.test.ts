import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

/**
 * The deployment files: the systemd unit goes through `systemd-analyze verify` (and its
 * offline security score) when systemd is installed; the Dockerfile and .dockerignore are
 * read and held to their invariants, since no Docker daemon runs here to build the image.
 */

const ROOT = join(import.meta.dirname, '..');
const UNIT = join(ROOT, 'deploy', 'systemd', 'iocrelay.service');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

const hasSystemdAnalyze =
  spawnSync('sh', ['-c', 'command -v systemd-analyze'], { encoding: 'utf8' }).status === 0;
const SKIP = hasSystemdAnalyze
  ? ''
  : ' (skipped: systemd-analyze missing; apt-get install systemd)';

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** The Dockerfile as instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  const lines = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
}

/** The unit's `Key=value` settings of one section; a key set twice keeps each value. */
function unitSettings(text: string, section: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  let current = '';
  for (const line of text.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line.trim());
    if (header !== null) current = header[1] ?? '';
    const setting = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (current !== section || setting === null) continue;
    const [, key = '', value = ''] = setting;
    settings.set(key, [...(settings.get(key) ?? []), value]);
  }
  return settings;
}

describe('deploy/systemd/iocrelay.service', () => {
  const unit = readFileSync(UNIT, 'utf8');
  const service = unitSettings(unit, 'Service');

  it('runs `iocrelay serve` as a non-root user with its secrets in a root-only file', () => {
    expect(service.get('Type')).toEqual(['simple']);
    expect(service.get('User')).toEqual(['iocrelay']);
    expect(service.get('ExecStart')).toEqual([
      '/usr/local/bin/iocrelay serve --config /etc/iocrelay/iocrelay.yaml',
    ]);
    expect(service.get('EnvironmentFile')).toEqual(['/etc/iocrelay/env']);
    expect(service.get('Restart')).toEqual(['on-failure']);
    expect(Number(service.get('TimeoutStopSec')?.[0])).toBeGreaterThanOrEqual(120);
  });

  it('is confined: read-only system but for its state, no capabilities, no new privileges', () => {
    expect(
      Object.fromEntries([...service].map(([key, values]) => [key, values.join(' ')])),
    ).toEqual(
      expect.objectContaining({
        NoNewPrivileges: 'yes',
        ProtectSystem: 'strict',
        ReadWritePaths: '/var/lib/iocrelay',
        PrivateTmp: 'yes',
        ProtectHome: 'yes',
        CapabilityBoundingSet: '',
        AmbientCapabilities: '',
        RestrictAddressFamilies: 'AF_INET AF_INET6 AF_UNIX',
        SystemCallFilter: '@system-service',
      }),
    );
  });

  it(`passes systemd-analyze verify, with no warning${SKIP}`, (context) => {
    if (!hasSystemdAnalyze) return context.skip();
    const dir = mkdtempSync(join(tmpdir(), 'iocrelay-unit-'));
    try {
      // verify checks that ExecStart exists; iocrelay is not installed here, so a stand-in.
      const standIn = join(dir, 'iocrelay');
      writeFileSync(standIn, '#!/bin/sh\nexit 0\n');
      chmodSync(standIn, 0o755);
      const copy = join(dir, 'iocrelay.service');
      writeFileSync(
        copy,
        unit.replace('ExecStart=/usr/local/bin/iocrelay', `ExecStart=${standIn}`),
      );

      const verify = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
      expect({ status: verify.status, stderr: verify.stderr }).toEqual({ status: 0, stderr: '' });

      const security = spawnSync('systemd-analyze', ['security', '--offline=true', copy], {
        encoding: 'utf8',
      });
      const exposure = /Overall exposure level for iocrelay\.service: ([\d.]+)/.exec(
        security.stdout,
      );
      expect(Number(exposure?.[1])).toBeLessThanOrEqual(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Dockerfile', () => {
  const steps = instructions(read('Dockerfile'));
  const stages = steps.reduce<Instruction[][]>((all, step) => {
    if (step.keyword === 'FROM') all.push([]);
    all.at(-1)?.push(step);
    return all;
  }, []);
  const [build = [], runtime = []] = stages;

  it('builds in a toolchain stage and runs on node:20-bookworm-slim', () => {
    expect(stages).toHaveLength(2);
    expect(build[0]?.args).toMatch(/^node:20-bookworm AS build$/i);
    expect(runtime[0]?.args).toBe('node:20-bookworm-slim');
    const buildRuns = build.filter((s) => s.keyword === 'RUN').map((s) => s.args);
    expect(buildRuns.join('\n')).toMatch(/python3 make g\+\+/);
    expect(buildRuns.join('\n')).toMatch(/npm ci\b/);
    expect(buildRuns.join('\n')).toMatch(/npm run build/);
    expect(buildRuns.join('\n')).toMatch(/npm prune --omit=dev/);
  });

  it('copies only the compiled code and production dependencies into the runtime', () => {
    const copies = runtime.filter((s) => s.keyword === 'COPY' || s.keyword === 'ADD');
    expect(copies.map((s) => s.args)).toEqual([
      '--from=build /src/package.json ./package.json',
      '--from=build /src/node_modules ./node_modules',
      '--from=build /src/dist ./dist',
      '--from=build /src/bin ./bin',
    ]);
  });

  it('runs as a non-root user, with a data volume, port 8080 and a health check', () => {
    const user = runtime.filter((s) => s.keyword === 'USER').map((s) => s.args);
    expect(user).toEqual(['iocrelay']);
    expect(runtime.find((s) => s.keyword === 'VOLUME')?.args).toBe('["/var/lib/iocrelay"]');
    expect(runtime.find((s) => s.keyword === 'EXPOSE')?.args).toBe('8080');
    expect(runtime.find((s) => s.keyword === 'HEALTHCHECK')?.args).toContain(
      'http://127.0.0.1:8080/healthz',
    );
    expect(runtime.find((s) => s.keyword === 'CMD')?.args).toBe('["serve"]');
  });

  it('holds no secret: no ENV or ARG named like a key, password or token', () => {
    const settings = steps
      .filter((s) => s.keyword === 'ENV' || s.keyword === 'ARG')
      .flatMap((s) => s.args.split(/\s+/))
      .map((pair) => pair.split('=')[0] ?? '');
    expect(settings).toEqual(['NODE_ENV', 'IOCRELAY_CONFIG']);
    expect(settings.filter((name) => /KEY|PASSWORD|TOKEN|SECRET/i.test(name))).toEqual([]);
  });

  it('.dockerignore lets in only what the build stage copies', () => {
    const rules = read('.dockerignore')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(rules).toEqual([
      '*',
      '!package.json',
      '!package-lock.json',
      '!tsconfig.json',
      '!tsconfig.build.json',
      '!src/',
      '!bin/',
      'src/**/*.test.ts',
    ]);
    const contextCopies = build
      .filter((s) => s.keyword === 'COPY' && !s.args.startsWith('--from'))
      .flatMap((s) => s.args.split(/\s+/).slice(0, -1));
    expect(contextCopies).toEqual([
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'src',
      'bin',
    ]);
  });
});
