import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type LoadedConfig } from '../../src/config/load-config.js';
import { createLogger, type Logger } from '../../src/log/logger.js';
import { createDirPublisher } from '../../src/publish/dir-publisher.js';
import { openStore, type Store } from '../../src/store/store.js';
import { createSources } from '../../src/sync/create-sources.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { SyncReport } from '../../src/sync/sync-report.js';

/** A configuration in a temporary folder, its store, and a log captured as JSON lines. */
export interface SyncFixture {
  readonly dir: string;
  readonly config: LoadedConfig;
  readonly store: Store;
  readonly log: Logger;
  readonly logLines: string[];
  sync(options?: {
    readonly isForced?: boolean;
    readonly isFullForced?: boolean;
    readonly now?: number;
  }): Promise<SyncReport>;
  /** `<publish.dir>/<tenant>/<file>` as text. */
  list(tenant: string, file: string): string;
  /** Every published file with its bytes and mtime, to prove nothing moved. */
  snapshot(): Record<string, { readonly text: string; readonly mtimeMs: number }>;
  close(): Promise<void>;
}

/**
 * The MISP fixtures are dated 2024 and never age, so a config without its own `policy` gets
 * expiry turned off; expiry has tests of its own that set it.
 */
export const STATIC_FIXTURE_POLICY =
  'policy: { expiry: { ip: never, domain: never, url: never } }\n';

/**
 * Writes `yaml` to a temporary folder, loads it with `env`, opens its store and returns helpers
 * that run the real sync (sources, store, dir publisher) in this process.
 *
 * @example
 * const fixture = await syncFixture(`misp: { url: ${misp.url}, api_key: k }`);
 */
export async function syncFixture(
  yaml: string,
  env: Record<string, string> = {},
): Promise<SyncFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'iocrelay-sync-'));
  const file = join(dir, 'iocrelay.yaml');
  writeFileSync(file, /^policy:/m.test(yaml) ? yaml : `${yaml}\n${STATIC_FIXTURE_POLICY}`);
  const config = loadConfig(file, env);
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(
        ...chunk
          .toString()
          .split('\n')
          .filter((line) => line !== ''),
      );
      done();
    },
  });
  const log = createLogger({ level: 'debug', destination });
  const store = await openStore({ path: config.database, log });
  const publisher = createDirPublisher(config.publish.dir);
  let isClosed = false;

  return {
    dir,
    config,
    store,
    log,
    logLines,
    sync: (options = {}) =>
      runSync({
        config,
        store,
        sources: createSources(config, log),
        publisher,
        log,
        isForced: options.isForced ?? false,
        isFullForced: options.isFullForced ?? false,
        ...(options.now === undefined ? {} : { clock: () => options.now ?? Date.now() }),
      }),
    list: (tenant, listFile) => readFileSync(join(config.publish.dir, tenant, listFile), 'utf8'),
    snapshot: () => {
      const files: Record<string, { text: string; mtimeMs: number }> = {};
      for (const tenant of readdirSync(config.publish.dir)) {
        for (const name of readdirSync(join(config.publish.dir, tenant))) {
          const path = join(config.publish.dir, tenant, name);
          files[`${tenant}/${name}`] = {
            text: readFileSync(path, 'utf8'),
            mtimeMs: statSync(path).mtimeMs,
          };
        }
      }
      return files;
    },
    close: async () => {
      if (!isClosed) await store.close();
      isClosed = true;
    },
  };
}
