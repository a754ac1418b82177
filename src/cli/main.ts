import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { isIocrelayError } from '../errors/iocrelay-error.js';
import { registerAllowCommand } from './allow-command.js';
import { registerBackupCommand } from './backup-command.js';
import { registerChangesCommand } from './changes-command.js';
import { registerCheckConfigCommand } from './check-config-command.js';
import { EXIT } from './exit-codes.js';
import { registerExplainCommand } from './explain-command.js';
import { registerHashPasswordCommand } from './hash-password-command.js';
import { registerServeCommand } from './serve-command.js';
import { registerPresignCommand } from './presign-command.js';
import { registerReportCommand } from './report-command.js';
import { printError } from './print-error.js';
import { registerStatusCommand } from './status-command.js';
import { registerSyncCommand } from './sync-command.js';

/**
 * The `iocrelay` command line. Returns the exit code instead of exiting, so tests can run it
 * in-process and the bin script decides when the process ends.
 *
 * @example
 * process.exitCode = await main(process.argv);
 */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.OK;
  const setExitCode = (code: number): void => {
    exitCode = code;
  };

  const program = new Command('iocrelay')
    .description('MISP indicators to per-tenant firewall blocklists, fail-safe')
    .exitOverride()
    .showHelpAfterError();

  registerSyncCommand(program, setExitCode);
  registerCheckConfigCommand(program, setExitCode);
  registerExplainCommand(program, setExitCode);
  registerChangesCommand(program, setExitCode);
  registerServeCommand(program, setExitCode);
  registerStatusCommand(program, setExitCode);
  registerHashPasswordCommand(program, setExitCode);
  registerPresignCommand(program, setExitCode);
  registerReportCommand(program, setExitCode);
  registerAllowCommand(program, setExitCode);
  registerBackupCommand(program, setExitCode);

  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    printError(error, process.stderr);
    return isUsageError(error) ? EXIT.USAGE : EXIT.FAILED;
  }
}

// Errors in what the user typed (a configuration, a path, a value) exit 2, like bad flags.
function isUsageError(error: unknown): boolean {
  return (
    error instanceof ConfigError ||
    isIocrelayError(error, 'CONFIG_NOT_FOUND') ||
    isIocrelayError(error, 'WARNINGLIST_UNKNOWN') ||
    isIocrelayError(error, 'WARNINGLIST_INVALID') ||
    isIocrelayError(error, 'WARNINGLIST_DIR_MISSING') ||
    isIocrelayError(error, 'VALUE_INVALID')
  );
}
