import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Files under the publish folder that no configured list writes any more: a tenant or a list
 * removed from the configuration. They are not deleted (a device may still need them while
 * the change rolls out) but each run names them, since nothing keeps them current.
 *
 * @example
 * await findStrayLists('/srv/iocrelay/public', config.tenants); // ['globex/ip.txt']
 */
export async function findStrayLists(
  dir: string,
  tenants: readonly { readonly id: string; readonly lists: readonly { readonly file: string }[] }[],
): Promise<string[]> {
  const expected = new Set(tenants.flatMap((t) => t.lists.map((l) => `${t.id}/${l.file}`)));
  const stray: string[] = [];

  for (const folder of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (!folder.isDirectory()) continue;
    const files = await readdir(join(dir, folder.name), { withFileTypes: true }).catch(() => []);
    for (const file of files) {
      const path = `${folder.name}/${file.name}`;
      if (file.isFile() && !file.name.startsWith('.') && !expected.has(path)) stray.push(path);
    }
  }
  return stray.sort();
}
