import type { LoadedConfig } from '../config/load-config.js';
import type { Logger } from '../log/logger.js';
import { createDirPublisher } from './dir-publisher.js';
import type { Publisher } from './publisher.js';
import type { S3Config } from '../config/publish-schema.js';

/**
 * The publish targets a configuration names: the folder always (it is read back when the
 * store has no record of a list), then the S3 bucket when `publish.s3` is set.
 *
 * @example
 * const publisher = createPublisherSet(createPublishTargets(config, log));
 */
export function createPublishTargets(config: LoadedConfig, log: Logger): Publisher[] {
  const targets = [createDirPublisher(config.publish.dir)];
  if (config.publish.s3 !== undefined) targets.push(lazyS3Publisher(config.publish.s3, log));
  return targets;
}

// The AWS SDK costs about 15 MB of memory and 100 ms of start-up: it loads on the first call,
// so a run without S3 never pays for it and a client error surfaces as that target's failure.
function lazyS3Publisher(config: S3Config, log: Logger): Publisher {
  let loaded: Promise<Publisher> | undefined;
  const load = () =>
    (loaded ??= import('./s3-publisher.js').then((s3) => s3.createS3Publisher(config, { log })));
  return {
    name: 's3',
    publish: async (item) => (await load()).publish(item),
    read: async (tenant, file) => (await load()).read(tenant, file),
  };
}
