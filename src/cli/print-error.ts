import { ConfigError } from '../config/config-error.js';
import { isIocrelayError } from '../errors/iocrelay-error.js';

/**
 * Writes an error for a person: its code, the catalogue message, then its details or, for a
 * configuration, every problem one per line. Details never hold secrets (see error-catalogue).
 *
 * @example
 * printError(error, process.stderr);
 */
export function printError(error: unknown, out: NodeJS.WritableStream): void {
  if (error instanceof ConfigError) {
    out.write(`error ${error.code}: ${error.message}\n  file: ${String(error.details['file'])}\n`);
    for (const line of error.describe().split('\n')) out.write(`  ${line}\n`);
    return;
  }

  if (isIocrelayError(error)) {
    out.write(`error ${error.code}: ${error.message}\n`);
    for (const [key, value] of Object.entries(error.details))
      out.write(`  ${key}: ${String(value)}\n`);
    return;
  }

  out.write(`error INTERNAL: ${error instanceof Error ? error.message : String(error)}\n`);
  out.write('  This is a bug in iocrelay; please report it with the log above.\n');
}
