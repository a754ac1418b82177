import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { IocrelayError } from '../errors/iocrelay-error.js';
import type { PublishItem, PublishOutcome, Publisher } from './publisher.js';

/**
 * Publishes to `<dir>/<tenant>/<file>`. A new list is written to a temporary file in the same
 * folder, flushed to disk, then renamed over the old one: rename is atomic on POSIX file
 * systems, so a web server or a device copying the file never sees half a list. A file that
 * already holds the same bytes is left untouched (its mtime too), so HTTP caches stay valid.
 *
 * @example
 * await createDirPublisher('/srv/iocrelay/public').publish(item);
 */
export function createDirPublisher(dir: string): Publisher {
  return {
    name: 'dir',

    async publish(item: PublishItem): Promise<PublishOutcome> {
      const folder = join(dir, item.tenant);
      const target = join(folder, item.file);

      if (await holdsSameBytes(target, item.content))
        return { status: 'unchanged', location: target };

      const temporary = join(folder, `.${item.file}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await mkdir(folder, { recursive: true });
        await writeDurably(temporary, item.content);
        await rename(temporary, target);
        await syncFolder(folder);
      } catch (error) {
        await rm(temporary, { force: true }).catch(() => undefined);
        const reason = (error as NodeJS.ErrnoException).code ?? 'unknown';
        throw new IocrelayError('PUBLISH_DIR_FAILED', { path: target, reason }, { cause: error });
      }
      return { status: 'written', location: target };
    },

    async read(tenant: string, file: string): Promise<Buffer | null> {
      return readFile(join(dir, tenant, file)).catch(() => null);
    },
  };
}

async function holdsSameBytes(path: string, content: Buffer): Promise<boolean> {
  try {
    return (await readFile(path)).equals(content);
  } catch {
    return false;
  }
}

async function writeDurably(path: string, content: Buffer): Promise<void> {
  const handle = await open(path, 'wx', 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

// The rename itself is only durable once the folder entry is flushed (POSIX fsync on a dir).
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
