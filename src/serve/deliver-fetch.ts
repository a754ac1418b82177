import type { Logger } from '../log/logger.js';
import type { FeedServerOptions, FetchRecord } from './feed-server-options.js';

/**
 * Hands a delivery record to the server's `onFetch`, if it has one. Delivery tracking is
 * bookkeeping: a throw or a rejection is logged (`delivery tracking failed`), never passed on,
 * as the device already has its answer.
 *
 * @example
 * deliverFetch(options.onFetch, record, log);
 */
export function deliverFetch(
  onFetch: FeedServerOptions['onFetch'],
  record: FetchRecord,
  log: Logger,
): void {
  if (onFetch === undefined) return;

  try {
    const pending = onFetch(record);
    if (pending instanceof Promise)
      pending.catch((error: unknown) => logDeliveryFailure(log, record, error));
  } catch (error) {
    logDeliveryFailure(log, record, error);
  }
}

function logDeliveryFailure(log: Logger, record: FetchRecord, error: unknown): void {
  log.error({ err: error, tenant: record.tenant, list: record.list }, 'delivery tracking failed');
}
