import type { Command } from 'commander';
import { createHealthExtension } from '../observe/health-extension.js';
import { createMetricsExtension } from '../observe/metrics-extension.js';
import { createPublishTargets } from '../publish/create-publish-targets.js';
import { openDeliveryTracking } from '../serve/delivery-tracking.js';
import { startServe } from '../serve/start-serve.js';
import { createSources } from '../sync/create-sources.js';
import { createUiExtension } from '../ui/ui-extension.js';
import { EXIT } from './exit-codes.js';
import { logLevelOption } from './log-level-option.js';
import { openRuntime } from './open-runtime.js';

interface ServeFlags {
  readonly config: string;
  readonly logLevel?: string;
}

/**
 * `iocrelay serve`: the feed server on `server.listen` and the sync every `misp.interval`, in
 * one long-running process (a systemd service, a container). SIGTERM or SIGINT finishes the
 * publication in progress, then stops.
 */
export function registerServeCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('serve')
    .description('Serve lists to devices over HTTP(S) and sync on a schedule')
    .requiredOption('-c, --config <file>', 'configuration file', process.env['IOCRELAY_CONFIG'])
    .addOption(logLevelOption())
    .action(async (flags: ServeFlags) => {
      const { config, log, store } = await openRuntime(flags);
      let stopping: Promise<void> | null = null;
      let tracking: Awaited<ReturnType<typeof openDeliveryTracking>> | null = null;
      try {
        tracking = await openDeliveryTracking({
          database: config.database,
          retentionSeconds: config.server.fetch_retention,
          log,
        });
        const serve = await startServe({
          config,
          store,
          sources: createSources(config, log),
          targets: createPublishTargets(config, log),
          log,
          onFetch: tracking.record,
          extensions: [
            createMetricsExtension(),
            createHealthExtension(),
            ...(config.ui === undefined ? [] : [createUiExtension(config.ui)]),
          ],
        });
        process.stdout.write(`iocrelay serving lists at ${serve.url}/feeds/<tenant>/<file>\n`);

        await new Promise<void>((resolve) => {
          const stop = (): void => {
            stopping ??= serve.stop().finally(resolve);
          };
          process.once('SIGTERM', stop);
          process.once('SIGINT', stop);
        });
        setExitCode(EXIT.OK);
      } finally {
        await tracking
          ?.close()
          .catch((error: unknown) => log.error({ err: error }, 'fetch log not closed cleanly'));
        await store
          .close()
          .catch((error: unknown) => log.error({ err: error }, 'store not closed cleanly'));
        log.flush();
      }
    });
}
