import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Config } from '../src/config/publish-schema.js';
import { presignListUrl } from '../src/publish/presign-list-url.js';
import type { PublishItem } from '../src/publish/publisher.js';
import { createS3Publisher } from '../src/publish/s3-publisher.js';
import { runCli } from './support/cli.js';
import {
  S3_TEST_KEYS,
  s3TestConfig,
  startS3StandIn,
  type S3StandIn,
} from './support/s3-stand-in.js';

// Presigned URLs are fetched from a gate that checks SigV4 in front of s3rver, which does not.
let s3: S3StandIn;
beforeAll(async () => {
  s3 = await startS3StandIn(['blocklists']);
});
afterAll(async () => {
  await s3.close();
});

function s3Config(overrides: Partial<S3Config> = {}): S3Config {
  return s3TestConfig(s3, overrides);
}

function item(tenant: string, file: string, text: string): PublishItem {
  const content = Buffer.from(text);
  const sha256 = createHash('sha256').update(content).digest('hex');
  return { tenant, file, content, contentType: 'text/plain; charset=utf-8', sha256 };
}

describe('presignListUrl', () => {
  it('gives a URL that plain fetch reads, valid presign_expires seconds; a tampered one is refused', async () => {
    const config = s3Config({ prefix: 'signed/' });
    await createS3Publisher(config).publish(item('acme', 'ip.txt', '203.0.113.9\n'));

    const url = await presignListUrl(config, 'acme', 'ip.txt');

    const parsed = new URL(url);
    expect(`${parsed.origin}${parsed.pathname}`).toBe(
      `${s3.endpoint}/blocklists/signed/acme/ip.txt`,
    );
    expect(parsed.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(url).not.toContain(S3_TEST_KEYS.secretAccessKey);
    const fetched = await fetch(url);
    expect(fetched.status).toBe(200);
    expect(await fetched.text()).toBe('203.0.113.9\n');

    const otherList = url.replace('/acme/ip.txt?', '/acme/domain.txt?');
    const longer = url.replace('X-Amz-Expires=3600', 'X-Amz-Expires=604800');
    for (const tampered of [otherList, longer]) {
      const refused = await fetch(tampered);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    }
  });
});

describe('iocrelay presign', () => {
  function configFile(s3Block: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'iocrelay-presign-'));
    const file = join(dir, 'iocrelay.yaml');
    writeFileSync(
      file,
      [
        'misp:',
        '  url: https://misp.example',
        '  api_key: not-used-by-presign',
        s3Block,
        'tenants:',
        '  - id: acme',
        '    lists: [{ file: ip.txt, types: [ip] }, { file: domain.txt, types: [domain] }]',
        '',
      ].join('\n'),
    );
    return file;
  }
  const S3_BLOCK = [
    'publish:',
    '  s3:',
    '    bucket: blocklists',
    '    prefix: cli/',
    '    endpoint: ${S3_ENDPOINT}',
    '    access_key_id: ${S3_ACCESS_KEY_ID}',
    '    secret_access_key: ${S3_SECRET_ACCESS_KEY}',
    '    presign_expires: 2h',
  ].join('\n');
  const env = () => ({
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY_ID: S3_TEST_KEYS.accessKeyId,
    S3_SECRET_ACCESS_KEY: S3_TEST_KEYS.secretAccessKey,
  });

  it('prints one URL that fetches the list, with --expires or presign_expires as lifetime', async () => {
    await createS3Publisher(s3Config({ prefix: 'cli/' })).publish(
      item('acme', 'ip.txt', '192.0.2.77\n'),
    );
    const file = configFile(S3_BLOCK);

    const withFlag = await runCli(
      ['presign', '--config', file, '--tenant', 'acme', '--list', 'ip.txt', '--expires', '1d'],
      env(),
    );
    const withDefault = await runCli(
      ['presign', '--config', file, '--tenant', 'acme', '--list', 'ip.txt'],
      env(),
    );

    expect(withFlag).toMatchObject({ code: 0, stderr: '' });
    expect(withFlag.stdout).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/blocklists\/cli\/acme\/ip\.txt\?\S+\n$/,
    );
    expect(new URL(withFlag.stdout.trim()).searchParams.get('X-Amz-Expires')).toBe('86400');
    expect(new URL(withDefault.stdout.trim()).searchParams.get('X-Amz-Expires')).toBe('7200');
    expect(await (await fetch(withFlag.stdout.trim())).text()).toBe('192.0.2.77\n');
    expect(withFlag.stdout + withDefault.stdout).not.toContain(S3_TEST_KEYS.secretAccessKey);
  });

  it.each([
    {
      name: 'an unknown tenant',
      args: ['--tenant', 'nope', '--list', 'ip.txt'],
      error: (file: string) => `error TENANT_UNKNOWN: no tenant "nope" in ${file}\n`,
    },
    {
      name: 'a list the tenant does not have',
      args: ['--tenant', 'acme', '--list', 'url.txt'],
      error: () => 'error: tenant acme has no list "url.txt"; its lists: ip.txt, domain.txt\n',
    },
    {
      name: 'a lifetime over 7 days',
      args: ['--tenant', 'acme', '--list', 'ip.txt', '--expires', '8d'],
      error: () => 'error: --expires takes a duration from 60s to 7d, like 3600s, 12h or 7d\n',
    },
  ])('refuses $name with exit 2 and prints no URL', async ({ args, error }) => {
    const file = configFile(S3_BLOCK);

    const result = await runCli(['presign', '--config', file, ...args], env());

    expect(result).toEqual({ code: 2, stdout: '', stderr: error(file) });
  });

  it('exits 1 with PUBLISH_S3_FAILED when no keys are set and the AWS chain finds none', async () => {
    const file = configFile(['publish:', '  s3:', '    bucket: blocklists'].join('\n'));
    // An empty HOME (no ~/.aws) and no instance metadata lookup: the chain has nothing to find.
    const chainless = {
      HOME: mkdtempSync(join(tmpdir(), 'iocrelay-home-')),
      AWS_EC2_METADATA_DISABLED: 'true',
    };

    const result = await runCli(
      ['presign', '--config', file, '--tenant', 'acme', '--list', 'ip.txt'],
      chainless,
    );

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('error PUBLISH_S3_FAILED: ');
    expect(result.stderr).toContain(
      '  bucket: blocklists\n  key: acme/ip.txt\n  operation: presign\n  reason: CredentialsProviderError\n',
    );
  });

  it('refuses a configuration without publish.s3 with exit 2', async () => {
    const file = configFile('');

    const result = await runCli([
      'presign',
      '--config',
      file,
      '--tenant',
      'acme',
      '--list',
      'ip.txt',
    ]);

    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: publish.s3 is not set in ${file}: there is no bucket to sign for\n`,
    });
  });
});
