import type { LoadedConfig } from '../config/load-config.js';
import type { Logger } from '../log/logger.js';
import { createDirPublisher } from './dir-publisher.js';
import type { Publisher } from './publisher.js';
import { createS3Publisher } from './s3-publisher.js';

/**
 * The publish targets a configuration names: the folder always (it is read back when the
 * store has no record of a list), then the S3 bucket when `publish.s3` is set.
 *
 * @example
 * const publisher = createPublisherSet(createPublishTargets(config, log));
 */
export function createPublishTargets(config: LoadedConfig, log: Logger): Publisher[] {
  const targets = [createDirPublisher(config.publish.dir)];
  if (config.publish.s3 !== undefined) targets.push(createS3Publisher(config.publish.s3, { log }));
  return targets;
}
