import { IocrelayError, isIocrelayError } from '../errors/iocrelay-error.js';
import type { Publisher, PublishItem, PublishOutcome } from './publisher.js';

/**
 * Several targets as one publisher (a folder and an S3 bucket, say). Each list goes to every
 * target; a target that fails does not stop the others, and the failure is thrown once all
 * were tried, naming each failed target, so the list is reported failed and the next run tries
 * again (every target skips bytes it already holds). `read` asks the first target: the one
 * whose copy is compared when the store has no record.
 *
 * @example
 * const publisher = createPublisherSet([createDirPublisher(dir), createS3Publisher(s3)]);
 */
export function createPublisherSet(publishers: readonly Publisher[]): Publisher {
  const [first] = publishers;
  if (first === undefined) throw new TypeError('createPublisherSet: no publisher');
  if (publishers.length === 1) return first;

  return {
    name: publishers.map((publisher) => publisher.name).join('+'),

    async publish(item: PublishItem): Promise<PublishOutcome> {
      const outcomes: PublishOutcome[] = [];
      const failures: { target: string; error: unknown }[] = [];
      for (const publisher of publishers) {
        try {
          outcomes.push(await publisher.publish(item));
        } catch (error) {
          failures.push({ target: publisher.name, error });
        }
      }

      if (failures.length > 0) {
        const describe = ({ target, error }: (typeof failures)[number]) =>
          `${target}: ${isIocrelayError(error) ? `${error.code} ${String(error.details['reason'] ?? '')}`.trim() : 'unexpected error'}`;
        throw new IocrelayError(
          'PUBLISH_TARGET_FAILED',
          {
            targets: failures.map(describe).join('; '),
            reason: failures.map(({ target }) => target).join(', '),
            written: outcomes.map((outcome) => outcome.location).join(', '),
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
