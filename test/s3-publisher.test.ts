import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectAclCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Config } from '../src/config/publish-schema.js';
import { isIocrelayError, type IocrelayError } from '../src/errors/iocrelay-error.js';
import { createDirPublisher } from '../src/publish/dir-publisher.js';
import type { PublishItem } from '../src/publish/publisher.js';
import { createPublisherSet } from '../src/publish/publisher-set.js';
import { createS3Publisher } from '../src/publish/s3-publisher.js';
import {
  S3_TEST_KEYS,
  s3TestConfig,
  startS3StandIn,
  type S3StandIn,
} from './support/s3-stand-in.js';

const BUCKET = 'blocklists';
const TEXT = 'text/plain; charset=utf-8';
let s3: S3StandIn;
let inspector: S3Client;

beforeAll(async () => {
  s3 = await startS3StandIn([BUCKET]);
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

function s3Config(overrides: Partial<S3Config> = {}): S3Config {
  return s3TestConfig(s3, overrides);
}

function item(tenant: string, file: string, text: string): PublishItem {
  const content = Buffer.from(text);
  const sha256 = createHash('sha256').update(content).digest('hex');
  return { tenant, file, content, contentType: TEXT, sha256 };
}

function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function head(key: string) {
  return inspector.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
}

async function body(key: string): Promise<string> {
  const object = await inspector.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return (await object.Body?.transformToString()) ?? '';
}

function requestsTo(path: string, method?: string) {
  return s3.requests.filter(
    (r) => r.path === path && (method === undefined || r.method === method),
  );
}

async function failureOf(promise: Promise<unknown>): Promise<IocrelayError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!isIocrelayError(error)) throw new Error(`expected an IocrelayError, got ${String(error)}`);
  return error;
}

describe('createS3Publisher against s3rver', () => {
  it('uploads <tenant>/<file> with Content-Type, Cache-Control, sha256 metadata and Content-MD5', async () => {
    const publisher = createS3Publisher(s3Config());

    const outcome = await publisher.publish(item('acme', 'ip.txt', '192.0.2.1\n'));

    expect(outcome).toEqual({ status: 'written', location: 's3://blocklists/acme/ip.txt' });
    const stored = await head('acme/ip.txt');
    expect(stored).toMatchObject({
      ContentType: TEXT,
      CacheControl: 'no-cache',
      ContentLength: 10,
      Metadata: { sha256: sha256Of('192.0.2.1\n'), access: 'private' },
    });
    expect(await body('acme/ip.txt')).toBe('192.0.2.1\n');
    expect((await publisher.read('acme', 'ip.txt'))?.toString()).toBe('192.0.2.1\n');

    const [put] = requestsTo('/blocklists/acme/ip.txt', 'PUT');
    expect(put?.headers['content-md5']).toBe(
      createHash('md5').update('192.0.2.1\n').digest('base64'),
    );
    expect(put?.headers['x-amz-acl']).toBeUndefined();
  });

  it('sends nothing when the object holds the same bytes: one HEAD, no PUT, same Last-Modified', async () => {
    const publisher = createS3Publisher(s3Config());
    await publisher.publish(item('same', 'ip.txt', '192.0.2.2\n'));
    const before = await head('same/ip.txt');
    const seen = requestsTo('/blocklists/same/ip.txt').length;
    // s3rver stamps Last-Modified to the second: a new PUT would show after this pause.
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const outcome = await publisher.publish(item('same', 'ip.txt', '192.0.2.2\n'));

    expect(outcome).toEqual({ status: 'unchanged', location: 's3://blocklists/same/ip.txt' });
    expect(
      requestsTo('/blocklists/same/ip.txt')
        .slice(seen)
        .map((r) => r.method),
    ).toEqual(['HEAD']);
    expect((await head('same/ip.txt')).LastModified).toEqual(before.LastModified);
  });

  it('uploads changed bytes and checks them after the upload (PUT, then HEAD)', async () => {
    const publisher = createS3Publisher(s3Config());
    await publisher.publish(item('change', 'ip.txt', '192.0.2.3\n'));
    const seen = requestsTo('/blocklists/change/ip.txt').length;

    const outcome = await publisher.publish(item('change', 'ip.txt', '192.0.2.3\n198.51.100.7\n'));

    expect(outcome.status).toBe('written');
    expect(
      requestsTo('/blocklists/change/ip.txt')
        .slice(seen)
        .map((r) => r.method),
    ).toEqual(['HEAD', 'PUT', 'HEAD']);
    expect(await body('change/ip.txt')).toBe('192.0.2.3\n198.51.100.7\n');
    expect((await head('change/ip.txt')).Metadata?.['sha256']).toBe(
      sha256Of('192.0.2.3\n198.51.100.7\n'),
    );
  });

  it('uploads the same bytes again when Cache-Control or access changed in the config', async () => {
    await createS3Publisher(s3Config()).publish(item('recfg', 'ip.txt', '192.0.2.4\n'));

    const recached = await createS3Publisher(s3Config({ cache_control: 'max-age=60' })).publish(
      item('recfg', 'ip.txt', '192.0.2.4\n'),
    );
    const reopened = await createS3Publisher(s3Config({ public_read: true })).publish(
      item('recfg', 'ip.txt', '192.0.2.4\n'),
    );

    expect([recached.status, reopened.status]).toEqual(['written', 'written']);
    expect(await head('recfg/ip.txt')).toMatchObject({
      CacheControl: 'no-cache',
      Metadata: { access: 'public-read' },
    });
  });

  it('lays objects out as <prefix><tenant>/<file>', async () => {
    const publisher = createS3Publisher(s3Config({ prefix: 'feeds/eu/' }));

    const outcome = await publisher.publish(item('globex', 'domain.txt', 'bad.example\n'));

    expect(outcome.location).toBe('s3://blocklists/feeds/eu/globex/domain.txt');
    const listed = await inspector.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'feeds/' }),
    );
    expect(listed.Contents?.map((object) => object.Key)).toEqual(['feeds/eu/globex/domain.txt']);
    expect((await publisher.read('globex', 'domain.txt'))?.toString()).toBe('bad.example\n');
  });

  it('reads a missing object as null', async () => {
    expect(await createS3Publisher(s3Config()).read('nobody', 'ip.txt')).toBeNull();
  });

  it('public_read sends the public-read ACL (s3rver stores no ACL and answers GetObjectAcl with a fixed stub, so the header on the wire is checked)', async () => {
    await createS3Publisher(s3Config({ public_read: true })).publish(
      item('open', 'ip.txt', '192.0.2.5\n'),
    );
    await createS3Publisher(s3Config()).publish(item('closed', 'ip.txt', '192.0.2.6\n'));

    expect(requestsTo('/blocklists/open/ip.txt', 'PUT')[0]?.headers['x-amz-acl']).toBe(
      'public-read',
    );
    expect(requestsTo('/blocklists/closed/ip.txt', 'PUT')[0]?.headers['x-amz-acl']).toBeUndefined();
    expect((await head('open/ip.txt')).Metadata?.['access']).toBe('public-read');
    // Why the wire is checked: s3rver gives the same stub ACL whatever the object was sent with.
    const acls = await Promise.all(
      ['open/ip.txt', 'closed/ip.txt'].map((key) =>
        inspector.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: key })),
      ),
    );
    expect(acls[0]?.Grants).toEqual(acls[1]?.Grants);
  });

  it('fails with PUBLISH_S3_FAILED naming bucket, key and reason on a missing bucket, no secret', async () => {
    const publisher = createS3Publisher(s3Config({ bucket: 'no-such-bucket' }));

    const error = await failureOf(publisher.publish(item('acme', 'ip.txt', '192.0.2.1\n')));

    expect(error.code).toBe('PUBLISH_S3_FAILED');
    expect(error.details).toEqual({
      bucket: 'no-such-bucket',
      key: 'acme/ip.txt',
      operation: 'PutObject',
      reason: 'NoSuchBucket (HTTP 404)',
    });
    const printed = `${error.message} ${JSON.stringify(error.details)} ${String(error)}`;
    expect(printed).not.toContain(S3_TEST_KEYS.secretAccessKey);
    await expect(publisher.read('acme', 'ip.txt')).rejects.toMatchObject({
      code: 'PUBLISH_S3_FAILED',
      details: { operation: 'GetObject', reason: 'NoSuchBucket (HTTP 404)' },
    });
  });

  it('fails fast with PUBLISH_S3_FAILED when nothing listens at the endpoint', async () => {
    const closedPort = await freePort();
    const publisher = createS3Publisher(s3Config({ endpoint: `http://127.0.0.1:${closedPort}` }));
    const started = Date.now();

    const error = await failureOf(publisher.publish(item('acme', 'ip.txt', '192.0.2.1\n')));

    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error.code).toBe('PUBLISH_S3_FAILED');
    expect(error.details).toMatchObject({ operation: 'HeadObject', reason: 'ECONNREFUSED' });
  });

  it('gives up on an endpoint that accepts connections but never answers: 3 attempts, about 16 s', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const publisher = createS3Publisher(s3Config({ endpoint: `http://127.0.0.1:${port}` }));
    const started = Date.now();

    const error = await failureOf(publisher.publish(item('acme', 'ip.txt', '192.0.2.1\n')));
    const elapsed = Date.now() - started;
    await closeServer(silent, sockets);

    expect(error.code).toBe('PUBLISH_S3_FAILED');
    expect(error.details).toMatchObject({ operation: 'HeadObject', reason: 'TimeoutError' });
    expect(sockets).toHaveLength(3);
    expect(elapsed).toBeGreaterThanOrEqual(15_000);
    expect(elapsed).toBeLessThan(25_000);
  }, 40_000);

  it('fails with PUBLISH_S3_FAILED when the stored object is not what was sent', async () => {
    const publisher = createS3Publisher(s3Config());
    s3.corruptNextUpload();

    const error = await failureOf(publisher.publish(item('broken', 'ip.txt', '192.0.2.8\n')));

    expect(error.details).toEqual({
      bucket: BUCKET,
      key: 'broken/ip.txt',
      operation: 'HeadObject',
      reason: 'stored object has another length',
    });
    // The next run sees the difference and uploads again.
    const retried = await publisher.publish(item('broken', 'ip.txt', '192.0.2.8\n'));
    expect(retried.status).toBe('written');
    expect(await body('broken/ip.txt')).toBe('192.0.2.8\n');
  });
});

describe('S3 in a publisher set', () => {
  it('writes the folder while S3 is down, throws PUBLISH_TARGET_FAILED, and catches up next run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iocrelay-s3-set-'));
    const publisher = createPublisherSet([
      createDirPublisher(dir),
      createS3Publisher(s3Config({ prefix: 'set/' })),
    ]);
    const list = item('acme', 'ip.txt', '198.51.100.1\n');

    await s3.stop();
    const error = await failureOf(publisher.publish(list)).finally(() => s3.resume());

    expect(error.code).toBe('PUBLISH_TARGET_FAILED');
    expect(error.details).toEqual({
      targets: 's3: PUBLISH_S3_FAILED ECONNREFUSED',
      reason: 's3',
      written: join(dir, 'acme', 'ip.txt'),
      delivered: 1,
    });
    expect(readFileSync(join(dir, 'acme', 'ip.txt'), 'utf8')).toBe('198.51.100.1\n');

    const next = await publisher.publish(list);

    expect(next).toEqual({
      status: 'written',
      location: `${join(dir, 'acme', 'ip.txt')}, s3://blocklists/set/acme/ip.txt`,
    });
    expect(await body('set/acme/ip.txt')).toBe('198.51.100.1\n');
  });
});

// A port that was free a moment ago and is closed now: connecting to it is refused.
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function closeServer(server: Server, sockets: readonly Socket[]): Promise<void> {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
