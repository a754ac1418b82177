import { relative } from 'node:path';

import { IocrelayError } from '../../errors/iocrelay-error.js';
import type { ErrorDetails } from '../../errors/iocrelay-error.js';

/** One thing wrong with one warninglist file: its path and a line saying what and where. */
export interface WarninglistProblem {
  readonly file: string;
  readonly message: string;
}

/**
 * WARNINGLIST_INVALID with every bad file and what is wrong in each, so that an operator fixes
 * them all in one go. The details carry one line per file (its path relative to the folder
 * loaded, its problems joined by `; `), which is how `printError` shows details.
 *
 * @example
 * new WarninglistError('/srv/wl', [{ file: '/srv/wl/a/list.json', message: 'type: …' }]);
 * // details: { dir: '/srv/wl', 'a/list.json': 'type: …' }
 */
export class WarninglistError extends IocrelayError {
  readonly problems: readonly WarninglistProblem[];

  /** `dir` is the folder loaded, or null when the lists come from several folders. */
  constructor(dir: string | null, problems: readonly WarninglistProblem[]) {
    super('WARNINGLIST_INVALID', problemDetails(dir, problems));
    this.problems = problems;
  }

  /** The problems one per line, `file: message`. */
  describe(): string {
    return this.problems.map((problem) => `${problem.file}: ${problem.message}`).join('\n');
  }
}

function problemDetails(dir: string | null, problems: readonly WarninglistProblem[]): ErrorDetails {
  const byFile = new Map<string, string[]>();
  for (const problem of problems) {
    const file = dir === null ? problem.file : relative(dir, problem.file);
    byFile.set(file, [...(byFile.get(file) ?? []), problem.message]);
  }

  const details: Record<string, string> = dir === null ? {} : { dir };
  for (const [file, messages] of byFile) details[file] = messages.join('; ');
  return details;
}
