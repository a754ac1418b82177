import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { isIocrelayError } from '../errors/iocrelay-error.js';
import { createDirPublisher } from './dir-publisher.js';
import { createPublisherSet } from './publisher-set.js';

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
});
