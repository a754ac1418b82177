import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { IocrelayError, isIocrelayError } from '../errors/iocrelay-error.js';
import { createDirPublisher } from './dir-publisher.js';
import { createPublisherSet } from './publisher-set.js';
import type { Publisher } from './publisher.js';

const item = {
  tenant: 'acme',
  file: 'ip.txt',
  content: Buffer.from('192.0.2.1\n'),
  contentType: 'text/plain',
  sha256: 'not-checked-by-the-dir-publisher',
};

describe('createPublisherSet', () => {
  it('writes every target, then leaves them untouched when the bytes are the same', async () => {
    const [a, b] = [mkdtempSync(join(tmpdir(), 'set-a-')), mkdtempSync(join(tmpdir(), 'set-b-'))];
    const set = createPublisherSet([createDirPublisher(a), createDirPublisher(b)]);

    expect(await set.publish(item)).toEqual({
      status: 'written',
      location: `${join(a, 'acme', 'ip.txt')}, ${join(b, 'acme', 'ip.txt')}`,
    });
    expect(readFileSync(join(b, 'acme', 'ip.txt'), 'utf8')).toBe('192.0.2.1\n');
    expect((await set.publish(item)).status).toBe('unchanged');
  });

  it('writes the good target, then fails naming the bad one', async () => {
    const good = mkdtempSync(join(tmpdir(), 'set-good-'));
    const blocked = join(mkdtempSync(join(tmpdir(), 'set-bad-')), 'file');
    writeFileSync(blocked, 'a file where a folder should be');
    const set = createPublisherSet([createDirPublisher(good), createDirPublisher(blocked)]);

    const error = await set.publish(item).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(isIocrelayError(error, 'PUBLISH_TARGET_FAILED')).toBe(true);
    expect(isIocrelayError(error) && error.details['targets']).toMatch(
      /^dir: PUBLISH_DIR_FAILED ENOTDIR$/,
    );
    expect(readFileSync(join(good, 'acme', 'ip.txt'), 'utf8')).toBe('192.0.2.1\n');
  });

  it('does not wait for a target that failed earlier in the same run, and tries it next run', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'set-fast-'));
    let hungCalls = 0;
    // A target that answers after 300 ms with a failure, as a hung S3 endpoint's timeout.
    const hung: Publisher = {
      name: 's3',
      publish: async () => {
        hungCalls++;
        await new Promise((resolve) => setTimeout(resolve, 300));
        throw new IocrelayError('PUBLISH_S3_FAILED', { reason: 'TimeoutError' });
      },
      read: () => Promise.resolve(null),
    };
    const set = createPublisherSet([createDirPublisher(folder), hung]);
    const outcome = async (file: string, runId: number) => {
      const started = performance.now();
      const error = await set.publish({ ...item, file, runId }).then(
        () => null,
        (caught: unknown) => caught,
      );
      return { error, ms: performance.now() - started };
    };

    const first = await outcome('ip.txt', 1);
    const second = await outcome('domain.txt', 1);
    expect(isIocrelayError(first.error, 'PUBLISH_TARGET_FAILED')).toBe(true);
    expect(isIocrelayError(first.error) && first.error.details['delivered']).toBe(1);
    expect(isIocrelayError(second.error) && second.error.details['targets']).toBe(
      's3: PUBLISH_TARGET_SKIPPED',
    );
    expect(second.ms).toBeLessThan(150);
    expect(readFileSync(join(folder, 'acme', 'domain.txt'), 'utf8')).toBe('192.0.2.1\n');
    expect(hungCalls).toBe(1);

    await outcome('ip.txt', 2);
    expect(hungCalls).toBe(2);
  });
});
