import { existsSync, linkSync, renameSync, unlinkSync } from 'node:fs';

// link(2) refuses an existing name atomically; these say the file system has no hard links.
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Moves a finished temporary file to its name in the same folder. With `isReplacing` it is
 * renamed over whatever is there. Without, a file that appeared at `target` meanwhile is never
 * replaced: link(2) refuses an existing name where rename(2) would replace it, and the error
 * thrown has the code `EEXIST`. On a file system without hard links the check and the rename
 * are two steps.
 *
 * @example
 * placeFile('/srv/out/.report.html.tmp', '/srv/out/report.html', false);
 */
export function placeFile(temporary: string, target: string, isReplacing: boolean): void {
  if (isReplacing) {
    renameSync(temporary, target);
    return;
  }
  try {
    linkSync(temporary, target);
    unlinkSync(temporary);
  } catch (error) {
    if (!NO_HARD_LINKS.has(errnoCode(error) ?? '')) throw error;
    if (existsSync(target)) throw Object.assign(new Error('target exists'), { code: 'EEXIST' });
    renameSync(temporary, target);
  }
}

/**
 * The `code` of a Node.js system error (`ENOENT`, `EEXIST`…), or null.
 *
 * @example
 * errnoCode(Object.assign(new Error('gone'), { code: 'ENOENT' })); // 'ENOENT'
 */
export function errnoCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}
