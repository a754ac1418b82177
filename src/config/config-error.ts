import { IocrelayError } from '../errors/iocrelay-error.js';

/** One thing wrong with the configuration, at a dotted path such as `tenants.0.lists.1.types`. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * CONFIG_INVALID with every problem found, so the operator fixes them all in one go.
 *
 * @example
 * err.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
 */
export class ConfigError extends IocrelayError {
  readonly problems: readonly ConfigProblem[];

  constructor(file: string, problems: readonly ConfigProblem[]) {
    super('CONFIG_INVALID', { file, problems: problems.length });
    this.problems = problems;
  }

  /** The problems one per line, `path: message`. */
  describe(): string {
    return this.problems
      .map((problem) => `${problem.path || '(top)'}: ${problem.message}`)
      .join('\n');
  }
}
