import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { isIocrelayError } from '../errors/iocrelay-error.js';
import { EXIT } from './exit-codes.js';
import { printError } from './print-error.js';

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

  for (const register of await commandsFor(argv[2])) register(program, setExitCode);

  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    printError(error, process.stderr);
    return isUsageError(error) ? EXIT.USAGE : EXIT.FAILED;
  }
}

type RegisterCommand = (program: Command, setExitCode: (code: number) => void) => void;

// Each command's module loads only when that command runs: a sync does not load the feed
// server, the dashboard or the report printer (about 16 MB less memory). Help and unknown
// commands load them all, in this order.
const COMMANDS: Readonly<Record<string, () => Promise<RegisterCommand>>> = {
  sync: async () => (await import('./sync-command.js')).registerSyncCommand,
  'check-config': async () =>
    (await import('./check-config-command.js')).registerCheckConfigCommand,
  explain: async () => (await import('./explain-command.js')).registerExplainCommand,
  changes: async () => (await import('./changes-command.js')).registerChangesCommand,
  serve: async () => (await import('./serve-command.js')).registerServeCommand,
  status: async () => (await import('./status-command.js')).registerStatusCommand,
  'hash-password': async () =>
    (await import('./hash-password-command.js')).registerHashPasswordCommand,
  presign: async () => (await import('./presign-command.js')).registerPresignCommand,
  report: async () => (await import('./report-command.js')).registerReportCommand,
  allow: async () => (await import('./allow-command.js')).registerAllowCommand,
  backup: async () => (await import('./backup-command.js')).registerBackupCommand,
};

function commandsFor(name: string | undefined): Promise<RegisterCommand[]> {
  const names =
    name !== undefined && Object.hasOwn(COMMANDS, name) ? [name] : Object.keys(COMMANDS);
  return Promise.all(
    names.map((command) => (COMMANDS[command] as () => Promise<RegisterCommand>)()),
  );
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
