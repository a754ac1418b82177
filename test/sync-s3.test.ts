import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { S3_TEST_KEYS, startS3StandIn, type S3StandIn } from './support/s3-stand-in.js';

const DEMO_FEED = join(import.meta.dirname, '..', 'demo', 'feed');
const ENV = { S3_KEY_ID: S3_TEST_KEYS.accessKeyId, S3_SECRET: S3_TEST_KEYS.secretAccessKey };

let s3: S3StandIn;
let inspector: S3Client;
beforeAll(async () => {
  s3 = await startS3StandIn(['blocklists']);
  inspector = new S3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: S3_TEST_KEYS,
  });
});
afterAll(async () => {
  inspector.destroy();
  await s3.close();
});

async function objectText(key: string): Promise<string> {
  const answer = await inspector.send(new GetObjectCommand({ Bucket: 'blocklists', Key: key }));
  return (await answer.Body?.transformToString()) ?? '';
}

describe('sync with publish.s3', () => {
  it('uploads every list, and a failed upload is retried at the next run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iocrelay-sync-s3-'));
    cpSync(DEMO_FEED, join(dir, 'feed'), { recursive: true });
    const file = join(dir, 'iocrelay.yaml');
    writeFileSync(
      file,
      `feeds: [{ name: demo, url: ./feed }]
publish:
  dir: ./public
  s3: { bucket: blocklists, prefix: feeds/, endpoint: "${s3.endpoint}", access_key_id: \${S3_KEY_ID}, secret_access_key: \${S3_SECRET} }
policy: { expiry: { ip: never, domain: never, url: never } }
tenants:
  - id: acme
    lists: [{ file: ip.txt, types: [ip] }, { file: domain.txt, types: [domain] }]
`,
    );
    const onDisk = (list: string) => readFileSync(join(dir, 'public', 'acme', list), 'utf8');

    const first = await runCli(['sync', '--config', file], ENV);
    expect(first.code).toBe(0);
    expect(await objectText('feeds/acme/ip.txt')).toBe(onDisk('ip.txt'));
    expect(await objectText('feeds/acme/domain.txt')).toBe(onDisk('domain.txt'));
    expect(first.stdout).toContain('s3://blocklists/feeds/acme/ip.txt');

    // S3 down: the folder still gets the new list, the run says the list failed (exit 1).
    const allow = `allow: [${onDisk('ip.txt')
      .split('\n')
      .find((line) => /^\d/.test(line))}]\n`;
    writeFileSync(file, readFileSync(file, 'utf8') + allow);
    await s3.stop();
    const down = await runCli(['sync', '--config', file], ENV);
    await s3.resume();
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('PUBLISH_TARGET_FAILED');
    expect(down.stderr).not.toContain(S3_TEST_KEYS.secretAccessKey);
    expect(await objectText('feeds/acme/ip.txt')).not.toBe(onDisk('ip.txt'));
    // S3 failed on the first list, so the second one did not wait for it again.
    expect(down.stderr).toContain('PUBLISH_TARGET_SKIPPED');
    // The folder took the new list, so devices may already hold it: the publication is on
    // record with the indicator it removed, dated by this run.
    const changes = await runCli(
      ['changes', '--config', file, '--tenant', 'acme', '--list', 'ip.txt', '--json'],
      ENV,
    );
    expect(changes.code).toBe(0);
    const [latest] = JSON.parse(changes.stdout) as {
      publication: { removed: number };
      changes: { change: string; rule: string | null }[];
    }[];
    expect(latest?.publication.removed).toBe(1);
    expect(latest?.changes).toEqual([
      expect.objectContaining({ change: 'removed', rule: 'allowlist' }),
    ]);

    const again = await runCli(['sync', '--config', file], ENV);
    expect(again.code).toBe(0);
    expect(await objectText('feeds/acme/ip.txt')).toBe(onDisk('ip.txt'));
  }, 60_000);
});
