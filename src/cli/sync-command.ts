import type { Command } from 'commander';
import { logLevelOption } from './log-level-option.js';
import { createPublishTargets } from '../publish/create-publish-targets.js';
import { createPublisherSet } from '../publish/publisher-set.js';
import { createSources } from '../sync/create-sources.js';
import { runSync } from '../sync/run-sync.js';
import { EXIT } from './exit-codes.js';
import { openRuntime } from './open-runtime.js';
import { printSummary } from './print-summary.js';
import { createProgressLine } from './progress-line.js';

interface SyncFlags {
  readonly config: string;
  readonly force?: boolean;
  readonly full?: boolean;
  readonly logLevel?: string;
}

/** `iocrelay sync`: one run of the main job, for cron or a systemd timer. */
export function registerSyncCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('sync')
    .description('Pull MISP and feeds once, then write every tenant list (fail-safe)')
    .requiredOption('-c, --config <file>', 'configuration file', process.env['IOCRELAY_CONFIG'])
    .option('--force', 'publish lists the shrink guard would hold back')
    .option('--full', 'pull everything, not only what changed since the last run')
    .addOption(logLevelOption())
    .action(async (flags: SyncFlags) => {
      const { config, log, store } = await openRuntime(flags);
      const progress = createProgressLine(process.stderr);
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);

      try {
        const report = await runSync({
          config,
          store,
          sources: createSources(config, log),
          publisher: createPublisherSet(createPublishTargets(config, log)),
          log,
          isForced: flags.force === true,
          isFullForced: flags.full === true,
          signal: controller.signal,
          onProgress: (source, state) => progress.update(source, state),
        });
        progress.done();
        printSummary(report, process.stdout);
        if (controller.signal.aborted) {
          process.stderr.write(
            'interrupted: nothing more was published; the lists on disk are complete\n',
          );
          setExitCode(EXIT.INTERRUPTED);
        } else {
          setExitCode(EXIT_BY_STATUS[report.status]);
        }
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        // A failure to close must not hide the run's own outcome or error: it is logged apart.
        await store
          .close()
          .catch((error: unknown) => log.error({ err: error }, 'store not closed cleanly'));
        log.flush();
      }
    });
}

const EXIT_BY_STATUS = {
  ok: EXIT.OK,
  held: EXIT.HELD,
  partial: EXIT.FAILED,
  failed: EXIT.FAILED,
} as const;
