import { createHash } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDirPublisher } from './dir-publisher.js';

function item(text: string) {
  const content = Buffer.from(text);
  const sha256 = createHash('sha256').update(content).digest('hex');
  return { tenant: 'acme', file: 'ip.txt', content, contentType: 'text/plain', sha256 };
}

describe('createDirPublisher', () => {
  it('writes <dir>/<tenant>/<file> and leaves no temporary file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iocrelay-pub-'));
    const outcome = await createDirPublisher(dir).publish(item('192.0.2.1\n'));

    expect(outcome).toEqual({ status: 'written', location: join(dir, 'acme', 'ip.txt') });
    expect(readFileSync(join(dir, 'acme', 'ip.txt'), 'utf8')).toBe('192.0.2.1\n');
    expect(readdirSync(join(dir, 'acme'))).toEqual(['ip.txt']);
  });

  it('leaves a file holding the same bytes untouched, mtime included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iocrelay-pub-'));
    const publisher = createDirPublisher(dir);
    await publisher.publish(item('192.0.2.1\n'));
    const before = statSync(join(dir, 'acme', 'ip.txt'));

    const outcome = await publisher.publish(item('192.0.2.1\n'));

    expect(outcome.status).toBe('unchanged');
    expect(statSync(join(dir, 'acme', 'ip.txt')).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(join(dir, 'acme', 'ip.txt')).ino).toBe(before.ino);
  });

  it('replaces the file by rename (new inode) when the content changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iocrelay-pub-'));
    const publisher = createDirPublisher(dir);
    await publisher.publish(item('192.0.2.1\n'));
    const before = statSync(join(dir, 'acme', 'ip.txt')).ino;

    await publisher.publish(item('192.0.2.2\n'));

    expect(readFileSync(join(dir, 'acme', 'ip.txt'), 'utf8')).toBe('192.0.2.2\n');
    expect(statSync(join(dir, 'acme', 'ip.txt')).ino).not.toBe(before);
  });

  it.skipIf(process.getuid?.() === 0)(
    'fails with PUBLISH_DIR_FAILED and keeps the old file',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'iocrelay-pub-'));
      mkdirSync(join(dir, 'acme'));
      writeFileSync(join(dir, 'acme', 'ip.txt'), 'old\n');
      chmodSync(join(dir, 'acme'), 0o555);

      await expect(createDirPublisher(dir).publish(item('new\n'))).rejects.toMatchObject({
        code: 'PUBLISH_DIR_FAILED',
      });
      expect(readFileSync(join(dir, 'acme', 'ip.txt'), 'utf8')).toBe('old\n');
    },
  );

  it('fails with PUBLISH_DIR_FAILED when the tenant folder is a file, as root too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iocrelay-pub-'));
    writeFileSync(join(dir, 'acme'), 'not a folder');

    await expect(createDirPublisher(dir).publish(item('new\n'))).rejects.toMatchObject({
      code: 'PUBLISH_DIR_FAILED',
    });
  });
});
