import type { Command } from 'commander';
import type { LevelWithSilent } from 'pino';

import { loadConfig } from '../config/load-config.js';
import { isIocrelayError } from '../errors/iocrelay-error.js';
import { createLogger } from '../log/logger.js';
import { backupStore, type BackupResult } from '../store/backup-store.js';
import { EXIT } from './exit-codes.js';
import { logLevelOption } from './log-level-option.js';
import { printError } from './print-error.js';

interface BackupFlags {
  readonly config: string;
  readonly out: string;
  readonly force?: boolean;
  readonly logLevel?: string;
}

/**
 * `iocrelay backup --out FILE`: a consistent copy of the database, safe while `serve` or a
 * `sync` runs, checked before it takes its name. Exit 0 written, 2 the target exists (or bad
 * flags), 1 the backup failed. It neither migrates nor writes the database.
 */
export function registerBackupCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('backup')
    .description('Copy the database while iocrelay runs, then check the copy')
    .requiredOption('-c, --config <file>', 'configuration file', process.env['IOCRELAY_CONFIG'])
    .requiredOption('-o, --out <file>', 'the backup file to write (its folder must exist)')
    .option('--force', 'replace the backup file if it exists')
    .addOption(logLevelOption())
    .action((flags: BackupFlags) => {
      const config = loadConfig(flags.config);
      const level = (flags.logLevel ?? config.log_level) as LevelWithSilent;
      const log = createLogger({ level }).child({ component: 'backup' });
      try {
        const result = backupStore({
          source: config.database,
          target: flags.out,
          isForced: flags.force === true,
        });
        log.info(
          {
            target: result.target,
            bytes: result.bytes,
            durationMs: result.durationMs,
            migration: result.migrations.at(-1) ?? null,
          },
          'backup written',
        );
        process.stdout.write(formatBackup(result));
        setExitCode(EXIT.OK);
      } catch (error) {
        if (!isIocrelayError(error) || !error.code.startsWith('BACKUP_')) throw error;
        // An existing target is the caller's to resolve (warn, exit 2); a failed copy is ours.
        const isRefused = error.code === 'BACKUP_TARGET_EXISTS';
        log[isRefused ? 'warn' : 'error'](
          { errorCode: error.code, details: error.details },
          'backup failed',
        );
        printError(error, process.stderr);
        setExitCode(isRefused ? EXIT.USAGE : EXIT.FAILED);
      } finally {
        log.flush();
      }
    });
}

function formatBackup(result: BackupResult): string {
  const level = result.migrations.at(-1) ?? 'none';
  const lines = [
    `backup written to ${result.target}`,
    `  ${(result.bytes / 1_048_576).toFixed(1)} MiB in ${(result.durationMs / 1000).toFixed(1)} s, integrity ok, ${result.publications} publications`,
    `  schema ${level} (${result.migrations.length} migrations); this iocrelay's latest is ${result.latestKnownMigration}`,
  ];
  return `${lines.join('\n')}\n`;
}
