import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { IocrelayError } from '../errors/iocrelay-error.js';
import { errnoCode, placeFile } from '../files/place-file.js';

/**
 * Throws REPORT_TARGET_EXISTS when `target` exists and `isForced` is false. Called before the
 * report is built, so a refused name costs no store read and no Chromium.
 *
 * @example
 * refuseExistingTarget('acme-2026-11.pdf', false);
 */
export function refuseExistingTarget(target: string, isForced: boolean): void {
  if (!isForced && existsSync(target)) {
    throw new IocrelayError('REPORT_TARGET_EXISTS', { target });
  }
}

/**
 * Writes a report to `target` through a temporary file in the same folder and a rename, so a
 * reader never sees half a report and a failed write leaves the old file as it was. An
 * existing target is replaced only when `isForced`. Throws REPORT_TARGET_EXISTS, or
 * REPORT_WRITE_FAILED with the path and the reason (a missing folder, permissions, space).
 *
 * @example
 * writeReportFile('acme-2026-11.html', Buffer.from(html), false);
 */
export function writeReportFile(target: string, bytes: Uint8Array, isForced: boolean): void {
  refuseExistingTarget(target, isForced);

  const temporary = join(
    dirname(target),
    `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    writeFileSync(temporary, bytes, { flag: 'wx', mode: 0o644 });
    place(temporary, target, isForced);
  } catch (error) {
    rmSync(temporary, { force: true });
    if (error instanceof IocrelayError) throw error;
    throw new IocrelayError(
      'REPORT_WRITE_FAILED',
      { path: target, problem: problemOf(error) },
      { cause: error },
    );
  }
}

// Without --force a file created while the report was built must not be replaced.
function place(temporary: string, target: string, isForced: boolean): void {
  try {
    placeFile(temporary, target, isForced);
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') throw new IocrelayError('REPORT_TARGET_EXISTS', { target });
    throw error;
  }
}

function problemOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
