import { IocrelayError, isIocrelayError } from '../errors/iocrelay-error.js';
import type { Publisher, PublishItem, PublishOutcome } from './publisher.js';

/**
 * Several targets as one publisher (a folder, an S3 bucket, the feed server's memory). Each
 * list goes to every target at once, so a slow target does not hold back the others; a target
 * that fails does not stop them, and the failure is thrown once all have answered, naming each
 * failed target and how many took the list (`delivered`), so the list is reported failed and
 * the next run tries again (every target skips bytes it already holds).
 *
 * A target that failed in a run is not tried again for the other lists of that run (items
 * carry `runId`): a hung S3 endpoint costs one timeout per run, not one per list, and the
 * lists reach the other targets without waiting for it. `read` asks the first target: the one
 * whose copy is compared when the store has no record.
 *
 * @example
 * const publisher = createPublisherSet([createDirPublisher(dir), createS3Publisher(s3)]);
 */
export function createPublisherSet(publishers: readonly Publisher[]): Publisher {
  const [first] = publishers;
  if (first === undefined) throw new TypeError('createPublisherSet: no publisher');
  if (publishers.length === 1) return first;

  // The run in which each target last failed.
  const failedInRun = new Map<Publisher, number>();

  const publishTo = async (publisher: Publisher, item: PublishItem): Promise<PublishOutcome> => {
    if (item.runId !== undefined && failedInRun.get(publisher) === item.runId) {
      throw new IocrelayError('PUBLISH_TARGET_SKIPPED', {
        target: publisher.name,
        run: item.runId,
      });
    }
    try {
      return await publisher.publish(item);
    } catch (error) {
      if (item.runId !== undefined) failedInRun.set(publisher, item.runId);
      throw error;
    }
  };

  return {
    name: publishers.map((publisher) => publisher.name).join('+'),

    async publish(item: PublishItem): Promise<PublishOutcome> {
      const settled = await Promise.allSettled(
        publishers.map((publisher) => publishTo(publisher, item)),
      );
      const outcomes: PublishOutcome[] = [];
      const failures: { target: string; error: unknown }[] = [];
      settled.forEach((result, index) => {
        if (result.status === 'fulfilled') outcomes.push(result.value);
        else failures.push({ target: publishers[index]?.name ?? '?', error: result.reason });
      });

      if (failures.length > 0) {
        const describe = ({ target, error }: (typeof failures)[number]) =>
          `${target}: ${isIocrelayError(error) ? `${error.code} ${String(error.details['reason'] ?? '')}`.trim() : 'unexpected error'}`;
        throw new IocrelayError(
          'PUBLISH_TARGET_FAILED',
          {
            targets: failures.map(describe).join('; '),
            reason: failures.map(({ target }) => target).join(', '),
            written: outcomes.map((outcome) => outcome.location).join(', '),
            delivered: outcomes.length,
          },
          { cause: failures[0]?.error },
        );
      }
      return {
        status: outcomes.some((outcome) => outcome.status === 'written') ? 'written' : 'unchanged',
        location: outcomes.map((outcome) => outcome.location).join(', '),
      };
    },

    read: (tenant, file) => first.read(tenant, file),
  };
}
