import type { LevelWithSilent } from 'pino';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import { createLogger, type Logger } from '../log/logger.js';
import { openStore, type Store } from '../store/store.js';

/** What every command that touches the store needs: config, logger, store. */
export interface Runtime {
  readonly config: LoadedConfig;
  readonly log: Logger;
  readonly store: Store;
}

/**
 * Loads the configuration (throwing every problem at once), then makes the logger and opens
 * the store. The caller closes the store.
 *
 * @example
 * const runtime = await openRuntime({ config: 'iocrelay.yaml' });
 */
export async function openRuntime(options: {
  readonly config: string;
  readonly logLevel?: string;
}): Promise<Runtime> {
  const config = loadConfig(options.config);
  const log = createLogger({ level: (options.logLevel ?? config.log_level) as LevelWithSilent });
  const store = await openStore({ path: config.database, log });
  return { config, log, store };
}
